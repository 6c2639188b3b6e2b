"""Who may publish, and what reviewing and publishing do to an article.

Articles move draft -> in review -> published (and back to draft). Editors
write and send articles for review; only medical reviewers (holders of
`interactions.publish_article`) publish, and only they
(`interactions.review_article`) mark an article reviewed. The admin change
form, list actions and list edits all ask these functions, so the rule is
written once.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import Status

PUBLISH_PERMISSION = "interactions.publish_article"
REVIEW_PERMISSION = "interactions.review_article"
READING_GRADE_TARGET = 8

NOT_ALLOWED_TO_PUBLISH = (
    "Only a medical reviewer can publish. Choose “In review” to send the article for approval."
)
NOT_ALLOWED_TO_CHANGE_PUBLISHED = (
    "This article is published, so changes need a medical reviewer's approval. "
    "Choose “In review” to send your changes for approval."
)
NOT_ALLOWED_TO_RESTORE_PUBLISHED = (
    "Only a medical reviewer can restore a published version. "
    "Choose “In review” to restore it for approval."
)


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def can_mark_reviewed(user):
    return user.has_perm(REVIEW_PERMISSION)


def reviewer_name(user):
    return user.get_full_name().strip() or user.get_username()


def review_fields(user, today=None):
    """The field values that "Mark reviewed" sets."""
    return {"last_reviewed": today or timezone.localdate(), "reviewed_by": reviewer_name(user)}


def stored_relations(article):
    """The article's related rows as clean_relations() takes them."""
    return {
        "drugs": article.drug_list,
        "populations": list(article.populations.all()),
        "see_also": [link.target.slug for link in article.see_also_links.select_related("target")],
        "references": [(ref.title, ref.url) for ref in article.references.all()],
    }


def publish_errors(article):
    """Field -> messages for every rule the article, as stored, breaks if published.

    The article is checked with status "published" but nothing is saved.
    """
    status, article.status = article.status, Status.PUBLISHED
    try:
        errors = dict(article.validation_errors())
        try:
            article.clean_relations(**stored_relations(article))
        except ValidationError as error:
            errors.update(error.message_dict)
    finally:
        article.status = status
    return errors


def describe_errors(errors):
    """One line for messages: "summary: …; references: …"."""
    parts = []
    for field, messages in errors.items():
        messages = [messages] if isinstance(messages, str) else messages
        label = field.replace("_", " ")
        parts.append(f"{label}: {' '.join(str(m) for m in messages)}")
    return "; ".join(parts)


def describe_inbound_links(page):
    """“A” ([[slug]] link), “B” (see also) — or "" when nothing links here."""
    return ", ".join(f"“{linking.title}” ({how})" for linking, how in page.inbound_links())
