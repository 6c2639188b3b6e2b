"""Who may do what to a page, and every write that changes what patients see.

A page's main row is what patients see once it is published. Changes to a
live page are made on its pending version (start_editing), which editors
save as a draft and send for review; only medical reviewers publish it
(publish), take a live page offline (unpublish) or put the previous live
version back (restore_previous). The admin and the importer both write
through save_page(), so links, old-slug redirects, search rows and the
pages that link here are updated in the same transaction every time.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import page_cache, search
from .documents import (
    document,
    document_dict,
    from_document_dict,
    relation_values,
    set_fields,
    set_relations,
)
from .models import Page, PublishedVersion, Reviewer, SlugRedirect, Status
from .rendering import linked_slugs, replace_wikilink_slug

PUBLISH_PERMISSION = "interactions.publish_page"
REVIEW_PERMISSION = "interactions.review_page"

NOT_ALLOWED_TO_PUBLISH = "Only a medical reviewer can publish. Choose “In review” to send it."
NO_REVIEWER_PROFILE = (
    "Publishing records you as the page's reviewer, but your account has no reviewer "
    "profile (full name and role). Ask an administrator to add one under Reviewers."
)


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def can_mark_reviewed(user):
    return user.has_perm(REVIEW_PERMISSION)


def reviewer_for(user):
    """The reviewer profile of a logged-in user, or None."""
    try:
        return user.reviewer
    except (Reviewer.DoesNotExist, AttributeError):
        return None


def publishing_reviewer(user):
    """The Reviewer a publish by this user records; PermissionDenied if none."""
    if not can_publish(user):
        raise PermissionDenied(NOT_ALLOWED_TO_PUBLISH)
    reviewer = reviewer_for(user)
    if reviewer is None:
        raise PermissionDenied(NO_REVIEWER_PROFILE)
    return reviewer


# Writing ----------------------------------------------------------------


@dataclass(frozen=True)
class Before:
    """What a page's slug and title were before a save."""

    slug: str
    title: str
    status: str = ""


def before(page):
    if not page.pk:
        return None
    row = Page.objects.filter(pk=page.pk).values("slug", "title", "status").first()
    return Before(**row) if row else None


@transaction.atomic
def save_page(page, user=None, previous=None, resolve=None):
    """Store a page and everything that depends on it. The one write path.

    `previous` is the page's slug and title before the change (read from
    the database when not given).
    """
    if previous is None:
        previous = before(page)
    page.version += 1
    if user is not None and user.is_authenticated:
        page.updated_by = user
    page.save(resolve=resolve)
    sync_page(page, previous)
    return page


def sync_page(page, previous=None):
    sync_pages([(page, previous)])


def sync_pages(items):
    """Links, old-slug redirects, search rows and pages that link here.

    `items` are (page, what its slug and title were before or None) for
    pages just stored; the importer passes all it wrote at once.
    """
    pages = [page for page, _ in items]
    linked = {page.pk: page_links(page) for page in pages}
    wanted = {slug for slugs in linked.values() for slug in slugs}
    targets = dict(Page.objects.main().filter(slug__in=wanted).values_list("slug", "pk"))
    through = Page.links.through
    through.objects.filter(from_page_id__in=linked).delete()
    through.objects.bulk_create(
        through(from_page_id=pk, to_page_id=targets[slug])
        for pk, slugs in linked.items()
        for slug in slugs
        if slug in targets
    )
    main = [(page, previous) for page, previous in items if not page.is_pending]
    # A slug in use again stops redirecting; an old one starts.
    SlugRedirect.objects.filter(old_slug__in=[page.slug for page, _ in main]).delete()
    for page, previous in main:
        if previous and previous.slug != page.slug:
            SlugRedirect.objects.update_or_create(old_slug=previous.slug, defaults={"page": page})
    search.index_pages([page for page, _ in main])
    for page, previous in main:
        if previous and (previous.slug, previous.title) != (page.slug, page.title):
            refresh_linking_pages(page, previous.slug)
    was_live = {Status.PUBLISHED}
    if any(page.is_live or (previous and previous.status in was_live) for page, previous in main):
        announce_public_change()


def announce_public_change():
    """Every app server stops serving cached pages: what patients see changed.

    Bumped at once (for reads in this transaction) and again after commit,
    so no request can store the old content under the new generation.
    """
    page_cache.content_changed()
    transaction.on_commit(page_cache.content_changed)


def page_links(page):
    """The slugs a stored page's body links to, in order."""
    if hasattr(page, "rendered"):
        return page.rendered.linked_slugs
    return linked_slugs(page.body)


def refresh_linking_pages(page, old_slug):
    """Re-render pages whose stored HTML shows this page's title or address.

    After a slug change their Markdown is rewritten to the new slug, so the
    source stays valid and exports show the change.
    """
    for linking in page.linked_from.exclude(pk=page.pk).select_related("drug", "article"):
        linking = linking.specific
        if old_slug != page.slug:
            linking.body = replace_wikilink_slug(linking.body, old_slug, page.slug)
        save_page(linking)


def record_live_version(page, user, note):
    """Keep the live page as its content file, as a baseline and for restoring."""
    return PublishedVersion.objects.create(
        page=page, document=document_dict(page), published_by=user, note=note
    )


def copy_page(source, target, user, **overrides):
    """Make `target` a copy of `source` (fields and related rows), then save it."""
    meta, body = document(source)
    write_document(target, source.slug, meta, body, user, **overrides)


def write_document(page, slug, meta, body, user=None, resolve=None, **overrides):
    """Write a document onto a page (new or existing) through save_page()."""
    previous = before(page)
    set_fields(page, meta, body)
    page.slug = slug
    for name, value in overrides.items():
        setattr(page, name, value)
    save_page(page, user, previous, resolve=resolve)
    set_relations(page, meta)
    return page


def restore_document(page, data, user):
    slug, meta, body = from_document_dict(data)
    write_document(page, slug, meta, body, user, status=Status.PUBLISHED)


# The workflow -----------------------------------------------------------


@transaction.atomic
def start_editing(live, user):
    """The pending version of a live page, made as a copy when there is none."""
    live = Page.objects.select_for_update().get(pk=live.pk).specific
    existing = Page.objects.filter(pending_for=live).first()
    if existing is not None:
        return existing.specific
    pending = type(live)(pending_for=live)
    copy_page(live, pending, user, status=Status.DRAFT)
    return pending


def send_for_review(page, user):
    page.status = Status.REVIEW
    page.submitted_by = user
    page.submitted_at = timezone.now()
    return save_page(page, user)


def publish_problems(page, reviewer, today):
    """Field -> messages for every rule the page, as stored, breaks if published."""
    specific = page.specific
    saved = {name: getattr(specific, name) for name in ("status", "reviewed_by", "last_reviewed")}
    specific.status, specific.reviewed_by, specific.last_reviewed = (
        Status.PUBLISHED,
        reviewer,
        today,
    )
    try:
        errors = dict(specific.validation_errors())
        relations = relation_values(specific)
        try:
            specific.clean_relations(**relations)
        except ValidationError as error:
            errors.update(error.message_dict)
    finally:
        for name, value in saved.items():
            setattr(specific, name, value)
    # Another page may have taken the slug since this version was saved.
    errors.update(specific.slug_errors())
    unpublished = [
        linked.title
        for linked in Page.objects.main().filter(slug__in=linked_slugs(specific.body))
        if not linked.is_live and linked.pk != specific.main_page.pk
    ]
    if unpublished:
        errors.setdefault("body", []).append(
            "It links to pages that are not published yet: "
            + ", ".join(f"“{title}”" for title in unpublished)
            + ". Publish them first or remove the links."
        )
    drafts = [drug.title for drug in getattr(specific, "drug_list", []) if not drug.is_live]
    if drafts:
        errors["drugs"] = "Publish these drug pages first: " + ", ".join(drafts) + "."
    return errors


@transaction.atomic
def publish(page, user, today=None):
    """Make a page (or its pending version) live, reviewed today by `user`.

    Returns the live page. Raises PermissionDenied for anyone who may not
    publish and ValidationError when the page breaks a publishing rule.
    """
    reviewer = publishing_reviewer(user)
    today = today or timezone.localdate()
    page = page.specific
    errors = publish_problems(page, reviewer, today)
    if errors:
        raise ValidationError(errors)
    if page.is_pending:
        live = page.pending_for.specific
        copy_page(
            page,
            live,
            user,
            status=Status.PUBLISHED,
            last_reviewed=today,
            reviewed_by=reviewer,
        )
        page.delete()
        note = f"Published the pending version; reviewed by {reviewer}."
    else:
        live = page
        live.status, live.last_reviewed, live.reviewed_by = Status.PUBLISHED, today, reviewer
        save_page(live, user)
        note = f"Published; reviewed by {reviewer}."
    record_live_version(live, user, note)
    return live


@transaction.atomic
def unpublish(page, user):
    """Take a live page off the site (reviewers only). It becomes a draft."""
    if not can_publish(user):
        raise PermissionDenied("Only a medical reviewer can take a page offline.")
    page = page.specific
    page.status = Status.DRAFT
    save_page(page, user)
    return page


def previous_live_version(page):
    """The PublishedVersion that restore_previous() would put back, or None."""
    versions = list(page.published_versions.all()[:2])
    if page.is_live:
        return versions[1] if len(versions) > 1 else None
    return versions[0] if versions else None


@transaction.atomic
def restore_previous(page, user):
    """Put the previous live version back on the site in one step."""
    publishing_reviewer(user)
    page = page.specific
    version = previous_live_version(page)
    if version is None:
        raise ValidationError("There is no earlier live version to restore.")
    restore_document(page, version.document, user)
    published = timezone.localtime(version.published_at).strftime("%-d %B %Y %H:%M")
    record_live_version(page, user, f"Restored the version that went live on {published}.")
    return page


@transaction.atomic
def mark_reviewed(page, user, today=None):
    """Record that a reviewer checked the page today (no other change)."""
    if not can_mark_reviewed(user):
        raise PermissionDenied("Only a medical reviewer can mark a page reviewed.")
    reviewer = publishing_reviewer(user)
    page = page.specific
    page.last_reviewed = today or timezone.localdate()
    page.reviewed_by = reviewer
    save_page(page, user)
    if page.is_live:
        record_live_version(page, user, f"Marked reviewed by {reviewer}.")
    return page


def describe_refusal(error):
    """One line for a ValidationError or PermissionDenied from a workflow step."""
    if hasattr(error, "message_dict"):
        return describe_errors(error.message_dict)
    return " ".join(getattr(error, "messages", [str(error)]))


def describe_errors(errors):
    """One line for messages: "summary: …; references: …"."""
    parts = []
    for field, messages in errors.items():
        messages = [messages] if isinstance(messages, str) else messages
        label = field.replace("_", " ")
        parts.append(f"{label}: {' '.join(str(m) for m in messages)}")
    return "; ".join(parts)
