"""Every admin change is recorded; versions compare word by word and revert."""

import pytest
from django.urls import reverse
from reversion.models import Version

from interactions import workflow
from interactions.history import word_diff
from interactions.models import Article, Status
from tests import editors
from tests.factories import hub_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(make):
    return make.article(
        "Diazepam side effects",
        drugs=[make.drug("Diazepam")],
        status=Status.DRAFT,
        body="You may feel sleepy in the day.",
    )


def _edit(client, article, **fields):
    article = Article.objects.get(pk=article.pk)
    response = client.post(editors.change_url(article), editors.article_data(article, **fields))
    assert response.status_code == 302, editors.errors_of(response)
    return Article.objects.get(pk=article.pk)


def _versions(obj):
    return list(Version.objects.get_for_object(obj).order_by("pk"))


def test_word_diff_marks_whole_words_and_escapes():
    html = word_diff("You may feel sleepy <b>.", "You may feel drowsy <b>.")
    assert "<del>sleepy</del><ins>drowsy</ins>" in html
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_each_admin_edit_records_who_and_what(reviewer_client, article):
    _edit(reviewer_client, article, body="You may feel drowsy in the day.")
    _edit(reviewer_client, article, summary="Changed summary.")
    versions = _versions(article)
    assert len(versions) == 2
    assert versions[0].field_dict["body"] == "You may feel drowsy in the day."
    assert versions[1].field_dict["summary"] == "Changed summary."
    assert {v.revision.user.username for v in versions} == {"rita"}
    # The inline rows are kept with the article.
    models = {v.content_type.model for v in versions[0].revision.version_set.all()}
    assert {"article", "page", "articledrug", "reference"} <= models
    history = reviewer_client.get(
        reverse("admin:interactions_article_history", args=[article.pk])
    ).content.decode()
    assert "Dr Rita Reviewer" in history or "rita" in history
    assert "Changed" in history


def test_drug_edits_are_recorded_too(reviewer_client, make):
    drug = make.drug("Mirtazapine", status=Status.DRAFT)
    response = reviewer_client.post(
        editors.change_url(drug), editors.drug_data(drug, body=hub_body("Mirtazapine", "Hello."))
    )
    assert response.status_code == 302
    (version,) = _versions(drug)
    assert version.field_dict["body"].startswith("Hello.")


def test_compare_view_shows_a_word_level_diff_of_the_body(reviewer_client, article):
    _edit(reviewer_client, article, body="You may feel sleepy at night.")
    _edit(reviewer_client, article, body="You may feel drowsy at night.")
    first, second = _versions(article)
    response = reviewer_client.get(
        reverse("admin:interactions_article_compare", args=[article.pk]),
        {"version_id1": first.pk, "version_id2": second.pk},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<pre class="highlight word-diff">You may feel <del>sleepy</del><ins>drowsy</ins>' in html
    )
    assert "Revert to this version" in html


def test_revert_restores_an_earlier_version(reviewer_client, article):
    old = _edit(reviewer_client, article, body="The first wording.")
    old_data = editors.article_data(old)
    _edit(reviewer_client, article, body="A worse wording.")
    first = _versions(article)[0]
    url = reverse("admin:interactions_article_revision", args=[article.pk, first.pk])
    page = reviewer_client.get(url)
    assert page.status_code == 200
    assert "The first wording." in page.content.decode()
    # Looking at an old version changes nothing.
    assert Article.objects.get(pk=article.pk).body == "A worse wording."
    response = reviewer_client.post(url, old_data)
    assert response.status_code == 302
    reverted = Article.objects.get(pk=article.pk)
    assert reverted.body == "The first wording."
    assert "The first wording." in reverted.body_html
    latest = _versions(article)[-1]
    assert latest.revision.comment.startswith("Reverted to previous version")


def test_nobody_publishes_by_reverting_to_a_live_version(client, make, article):
    """A version that was live comes back only through "Restore the previous live version"."""
    reviewer = editors.reviewer()
    client.force_login(reviewer)
    published = _edit(client, article, status="published")
    assert published.is_live
    workflow.unpublish(published, reviewer)
    published_data = editors.article_data(Article.objects.get(pk=article.pk), status="published")
    live_version = _versions(article)[-1]
    url = reverse("admin:interactions_article_revision", args=[article.pk, live_version.pk])
    for user in (editors.editor(), reviewer):
        client.force_login(user)
        assert client.post(url, published_data).status_code == 403
        assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_word_diff_of_a_100_kb_body_is_fast_and_exact():
    import time

    paragraphs = [f"Paragraph {n}: you may feel sleepy, so do not drive." for n in range(2000)]
    old = "\n\n".join(paragraphs)
    assert len(old) > 100_000
    new_paragraphs = list(paragraphs)
    new_paragraphs[1000] = new_paragraphs[1000].replace("sleepy", "drowsy")
    started = time.perf_counter()
    html = word_diff(old, "\n\n".join(new_paragraphs))
    assert time.perf_counter() - started < 2
    assert html.count("<del>") == 1 and "<del>sleepy</del><ins>drowsy</ins>" in html


def test_reviewer_sees_changed_fields_and_the_body_diff_of_a_pending_version(client, make):
    from interactions import workflow

    drug = make.drug("Diazepam")
    article = make.article(
        "Diazepam side effects", drugs=[drug], body="You may feel sleepy in the day."
    )
    pending = workflow.start_editing(article, None)
    pending.summary = "A new summary."
    pending.body = "You may feel drowsy in the day."
    workflow.save_page(pending)
    client.force_login(editors.reviewer())
    html = client.get(editors.change_url(pending)).content.decode()
    changes = html[html.index("Changes from the live page") : html.index("</section>")]
    assert '<th scope="row">Summary</th><td>Summary of Diazepam side effects.</td>' in changes
    assert "<td>A new summary.</td>" in changes
    assert "You may feel <del>sleepy</del><ins>drowsy</ins> in the day." in changes
    assert "&lt;p&gt;" not in changes and "<p>You may" not in changes  # Markdown, not HTML


def test_history_entries_say_what_changed_and_the_new_status(reviewer_client, article):
    _edit(reviewer_client, article, summary="Changed summary.", status="review")
    (version,) = _versions(article)
    assert (
        "Summary" in version.revision.comment and "status now In review" in version.revision.comment
    )
    history = reviewer_client.get(
        reverse("admin:interactions_article_history", args=[article.pk])
    ).content.decode()
    assert "status now In review" in history
