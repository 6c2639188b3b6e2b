"""Draft -> in review -> published: editors cannot publish by any route."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from interactions.models import Article, Kind, Status
from tests import editors

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:interactions_article_changelist"


@pytest.fixture
def diazepam(make):
    return make.drug("Diazepam")


@pytest.fixture
def draft(make, diazepam):
    return make.article("Diazepam side effects", drugs=[diazepam], status=Status.DRAFT)


@pytest.fixture
def published(make, diazepam):
    return make.article("Diazepam benefits", drugs=[diazepam], kind=Kind.BENEFITS)


def _status(article):
    return Article.objects.get(pk=article.pk).status


def _action(client, name, *articles):
    return client.post(
        reverse(CHANGELIST),
        {"action": name, "index": "0", "_selected_action": [str(a.pk) for a in articles]},
        follow=True,
    )


def _list_edit(client, article, status):
    return client.post(
        reverse(CHANGELIST),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-page_ptr": str(article.pk),
            "form-0-status": status,
            "_save": "Save",
        },
    )


def test_groups_come_from_a_data_migration_with_the_right_permissions(db):
    def codenames(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    editors_can, reviewers_can = codenames("Editors"), codenames("Medical reviewers")
    assert {"add_article", "change_article", "change_drug", "add_reference"} <= editors_can
    assert not {"publish_article", "review_article", "delete_article"} & editors_can
    assert {"publish_article", "review_article", "delete_article"} <= reviewers_can
    assert editors_can < reviewers_can


# Editors: every route refuses "published" ------------------------------------


def test_editor_cannot_publish_from_the_add_form(client, diazepam):
    client.force_login(editors.editor())
    data = editors.new_article_data(
        drugs=[diazepam],
        references=[("NHS", "https://www.nhs.uk/")],
        status="published",
        last_reviewed="2026-11-01",
        reviewed_by="Someone",
    )
    response = client.post(reverse("admin:interactions_article_add"), data)
    assert response.status_code == 200
    assert any("Only a medical reviewer can publish" in e for e in editors.errors_of(response))
    assert not Article.objects.filter(slug=data["slug"]).exists()


def test_editor_cannot_publish_from_the_change_form(client, draft):
    client.force_login(editors.editor())
    response = client.post(
        editors.change_url(draft), editors.article_data(draft, status="published")
    )
    assert response.status_code == 200
    assert "status: Only a medical reviewer can publish" in " ".join(editors.errors_of(response))
    assert _status(draft) == Status.DRAFT


def test_editor_cannot_change_a_published_article_and_keep_it_published(client, published):
    client.force_login(editors.editor())
    data = editors.article_data(published, body="New words nobody approved.")
    response = client.post(editors.change_url(published), data)
    assert response.status_code == 200
    assert any("changes need a medical reviewer" in e for e in editors.errors_of(response))
    assert "nobody approved" not in Article.objects.get(pk=published.pk).body


def test_editor_cannot_publish_new_references_on_a_published_article(client, published):
    client.force_login(editors.editor())
    data = editors.article_data(published)
    data.update(
        {
            "references-TOTAL_FORMS": "2",
            "references-1-position": "1",
            "references-1-title": "Unapproved source",
            "references-1-url": "https://example.org/",
        }
    )
    response = client.post(editors.change_url(published), data)
    assert response.status_code == 200
    assert any("changes need a medical reviewer" in e for e in editors.errors_of(response))
    assert published.references.count() == 1


def test_editor_can_send_changes_for_review(client, published):
    client.force_login(editors.editor())
    data = editors.article_data(published, body="Better words.", status="review")
    response = client.post(editors.change_url(published), data)
    assert response.status_code == 302
    assert _status(published) == Status.REVIEW


def test_editor_has_no_publish_or_review_actions(client, draft):
    client.force_login(editors.editor())
    response = client.get(reverse(CHANGELIST))
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "send_for_review" in actions
    assert "publish" not in actions and "mark_reviewed" not in actions
    assert "delete_selected" not in actions
    _action(client, "publish", draft)
    _action(client, "mark_reviewed", draft)
    refreshed = Article.objects.get(pk=draft.pk)
    assert refreshed.status == Status.DRAFT
    assert refreshed.last_reviewed == datetime.date(2026, 11, 1)


def test_editor_cannot_publish_by_editing_the_list(client, draft):
    client.force_login(editors.editor())
    response = _list_edit(client, draft, "published")
    assert response.status_code == 200
    assert "Only a medical reviewer can publish" in response.content.decode()
    assert _status(draft) == Status.DRAFT


def test_editor_cannot_mark_reviewed_or_set_the_reviewer(client, draft):
    client.force_login(editors.editor())
    response = client.get(editors.change_url(draft))
    assert "mark_reviewed" not in response.context["adminform"].form.fields
    assert "reviewed_by" not in response.context["adminform"].form.fields
    data = editors.article_data(draft, mark_reviewed="on", reviewed_by="Edith", body="Edited.")
    assert client.post(editors.change_url(draft), data).status_code == 302
    refreshed = Article.objects.get(pk=draft.pk)
    assert refreshed.body == "Edited."
    assert refreshed.reviewed_by == "Dr A Reviewer"
    assert refreshed.last_reviewed == datetime.date(2026, 11, 1)


def test_editor_can_send_drafts_for_review_from_the_list(client, draft):
    client.force_login(editors.editor())
    _action(client, "send_for_review", draft)
    assert _status(draft) == Status.REVIEW


# Reviewers ---------------------------------------------------------------------


def test_reviewer_marks_reviewed_and_publishes_from_the_change_form(client, draft):
    client.force_login(editors.reviewer())
    data = editors.article_data(
        draft, status="published", mark_reviewed="on", last_reviewed="", reviewed_by=""
    )
    response = client.post(editors.change_url(draft), data)
    assert response.status_code == 302, editors.errors_of(response)
    article = Article.objects.get(pk=draft.pk)
    assert article.status == Status.PUBLISHED
    assert article.last_reviewed == timezone.localdate()
    assert article.reviewed_by == "Dr Rita Reviewer"


def test_reviewer_publishes_from_the_list_action_only_what_passes_the_rules(
    client, make, diazepam, draft
):
    unsourced = make.article("No sources", drugs=[diazepam], status=Status.REVIEW, references=())
    client.force_login(editors.reviewer())
    response = _action(client, "publish", draft, unsourced)
    assert _status(draft) == Status.PUBLISHED
    assert _status(unsourced) == Status.REVIEW
    assert "“No sources” was not published: references: A published article needs at least" in (
        response.content.decode().replace("&quot;", '"')
    )


def test_reviewer_publishes_by_editing_the_list(client, draft):
    client.force_login(editors.reviewer())
    response = _list_edit(client, draft, "published")
    assert response.status_code == 302
    assert _status(draft) == Status.PUBLISHED


def test_list_edit_publish_still_checks_the_rules(client, make, diazepam):
    unsourced = make.article("No sources", drugs=[diazepam], status=Status.REVIEW, references=())
    client.force_login(editors.reviewer())
    response = _list_edit(client, unsourced, "published")
    assert response.status_code == 200
    assert "A published article needs at least one source." in response.content.decode()
    assert _status(unsourced) == Status.REVIEW


def test_mark_reviewed_action_sets_dates_shown_on_the_public_page(client, published):
    client.force_login(editors.reviewer())
    _action(client, "mark_reviewed", published)
    article = Article.objects.get(pk=published.pk)
    today = timezone.localdate()
    assert article.last_reviewed == today
    assert article.reviewed_by == "Dr Rita Reviewer"
    assert article.next_review_due == today.replace(year=today.year + 1)
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'Last reviewed <time datetime="{today:%Y-%m-%d}">' in html
    assert "by Dr Rita Reviewer." in html
    assert f'Next review due <time datetime="{article.next_review_due:%Y-%m-%d}">' in html


# Unpublishing warns about links ------------------------------------------------


def test_unpublishing_a_linked_article_warns_with_the_list(client, make, diazepam, published):
    make.article(
        "Linking article",
        drugs=[diazepam],
        body=f"See [[{published.slug}]].",
    )
    client.force_login(editors.editor())
    data = editors.article_data(published, status="review")
    response = client.post(editors.change_url(published), data, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any(
        "no longer published" in m and "“Linking article” ([[diazepam-benefits]] link)" in m
        for m in messages
    )
    response = _action(client, "return_to_draft", Article.objects.get(pk=published.pk))
    assert _status(published) == Status.DRAFT


def test_return_to_draft_action_warns_about_see_also_links(client, make, diazepam, published):
    make.article("Curated", drugs=[diazepam], see_also=[published])
    client.force_login(editors.reviewer())
    response = _action(client, "return_to_draft", published)
    messages = [str(m) for m in response.context["messages"]]
    assert any("“Curated” (see also)" in m for m in messages)
    assert _status(published) == Status.DRAFT


def test_content_files_round_trip_every_status(tmp_path, make, diazepam):
    from django.core.management import call_command

    for status in Status:
        make.article(f"Article {status.value}", drugs=[diazepam], status=status)
    call_command("export_content", str(tmp_path), verbosity=0)
    for status in Status:
        text = (tmp_path / "articles" / f"article-{status.value}.md").read_text()
        assert f"\nstatus: {status.value}\n" in text
    Article.objects.all().delete()
    call_command("import_content", str(tmp_path), verbosity=0)
    assert {a.slug: a.status for a in Article.objects.all()} == {
        f"article-{status.value}": status.value for status in Status
    }
