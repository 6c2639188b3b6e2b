"""Live and pending versions: patients see the live page until a medical
reviewer publishes a change; editors can neither publish nor unpublish."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from interactions import workflow
from interactions.models import Article, Drug, Kind, Page, PublishedVersion, Status
from tests import editors

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:interactions_article_changelist"
TODAY = datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture
def site(make):
    """A small live site: two drugs, their major interaction, a linking page."""
    diazepam = make.drug("Diazepam", brand_names="Valium")
    codeine = make.drug("Codeine")
    interaction = make.article(
        "Can you take diazepam with codeine?",
        slug="diazepam-and-codeine",
        kind=Kind.INTERACTION,
        severity="major",
        drugs=[diazepam, codeine],
        summary="Taking them together can slow your breathing.",
    )
    linking = make.article(
        "Diazepam side effects", drugs=[diazepam], body="Read [[diazepam-and-codeine]]."
    )
    return diazepam, codeine, interaction, linking


def public_surfaces(client, article, linking):
    """Everything a patient can see of an article, as text."""
    pages = {
        "page": client.get(article.get_absolute_url()),
        "drug": client.get(reverse("interactions:drug_detail", args=["diazepam"])),
        "checker": client.get(reverse("interactions:checker"), {"drug": ["diazepam", "codeine"]}),
        "search": client.get(reverse("interactions:search"), {"q": "diazepam codeine"}),
        "search_words": client.get(reverse("interactions:search"), {"q": "breathing"}),
        "sitemap": client.get("/sitemap-articles.xml"),
        "feed": client.get("/feeds/articles/"),
        "linking": client.get(linking.get_absolute_url()),
    }
    return {name: response.content.decode() for name, response in pages.items()}


def _status(page):
    return Page.objects.get(pk=page.pk).status


def _action(client, name, *pages, changelist=CHANGELIST):
    return client.post(
        reverse(changelist),
        {"action": name, "index": "0", "_selected_action": [str(p.pk) for p in pages]},
        follow=True,
    )


def _save_pending(client, pending, **fields):
    response = client.post(editors.change_url(pending), editors.article_data(pending, **fields))
    assert response.status_code == 302, editors.errors_of(response)
    return Article.objects.get(pk=pending.pk)


def test_groups_come_from_data_migrations_with_the_right_permissions(db):
    def codenames(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    editors_can, reviewers_can = codenames("Editors"), codenames("Medical reviewers")
    assert {"add_article", "change_article", "change_drug", "add_reference"} <= editors_can
    assert not {"publish_page", "review_page", "delete_article", "delete_drug"} & editors_can
    assert {"publish_page", "review_page", "delete_article"} <= reviewers_can
    assert editors_can < reviewers_can


# A live page stays live while a change is made and reviewed ------------------------


def test_editing_and_sending_for_review_never_changes_a_public_surface(client, site):
    diazepam, codeine, interaction, linking = site
    before = public_surfaces(client, interaction, linking)
    client.force_login(editors.editor())
    live_view = client.get(editors.change_url(interaction)).content.decode()
    assert "This page is <strong>live</strong>" in live_view and "Edit this page" in live_view
    pending = editors.start_editing(client, interaction)
    assert (pending.title, pending.slug) == (interaction.title, interaction.slug)
    assert [d.slug for d in pending.drug_list] == ["diazepam", "codeine"]
    # The live page's admin address now opens the pending version.
    assert client.get(editors.change_url(interaction))["Location"] == editors.change_url(pending)
    pending = _save_pending(
        client,
        pending,
        title="Zzyzx renamed title",
        summary="Zzyzx new summary.",
        severity="minor",
        body="Read [[diazepam]].\n\n## When to get urgent help\n\n"
        '!!! emergency "Call 999 if:"\n    - zzyzx\n',
    )
    data = editors.article_data(Article.objects.get(pk=pending.pk), status="review")
    response = client.post(editors.change_url(pending), data, follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert "Sent for review. Patients still see the live page until a medical reviewer" in (
        " ".join(said)
    )
    assert _status(pending) == Status.REVIEW
    client.logout()
    after = public_surfaces(client, interaction, linking)
    assert after == before
    assert "Zzyzx" not in " ".join(after.values())
    assert "severity-major" in after["checker"]
    assert "We have no information on this pair" not in after["checker"]
    assert client.get(reverse("interactions:search"), {"q": "zzyzx"}).context["hits"] == []


def test_rejecting_a_change_leaves_the_live_page_as_it_was(client, site):
    _, _, interaction, linking = site
    before = public_surfaces(client, interaction, linking)
    reviewer = editors.reviewer()
    client.force_login(reviewer)
    pending = editors.start_editing(client, interaction)
    _save_pending(client, pending, summary="A change the reviewer rejects.", status="review")
    # The reviewer sends it back to draft, then discards it.
    _save_pending(client, Article.objects.get(pk=pending.pk), status="draft")
    delete = reverse("admin:interactions_article_delete", args=[pending.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=pending.pk).exists()
    client.logout()
    assert public_surfaces(client, interaction, linking) == before


def test_a_reviewers_publish_changes_every_public_surface(client, site):
    _, _, interaction, linking = site
    client.force_login(editors.editor())
    pending = editors.start_editing(client, interaction)
    _save_pending(
        client,
        pending,
        title="Diazepam and codeine together",
        summary="Zzyzx: never without your prescriber.",
        status="review",
    )
    client.force_login(editors.reviewer())
    data = editors.article_data(Article.objects.get(pk=pending.pk), status="published")
    response = client.post(editors.change_url(pending), data, follow=True)
    assert response.redirect_chain[-1][0] == editors.change_url(interaction)
    assert any("Published." in str(m) for m in response.context["messages"])
    assert not Article.objects.filter(pk=pending.pk).exists()
    client.logout()
    after = public_surfaces(client, interaction, linking)
    for name in ("page", "drug", "checker", "search", "feed", "linking"):
        assert "Diazepam and codeine together" in after[name], name
    assert "Zzyzx: never without your prescriber." in after["page"]
    live = Article.objects.get(pk=interaction.pk)
    assert live.reviewed_by.name == "Dr Rita Reviewer"
    assert live.last_reviewed == timezone.localdate()
    assert "Reviewed by" in after["page"] and "pharmacist" in after["page"]
    assert live.published_versions.first().note.startswith("Published the pending version")


def test_a_title_typed_into_a_pending_version_never_reaches_a_published_page(client, site, make):
    diazepam, _, interaction, linking = site
    pending = workflow.start_editing(diazepam, None)
    pending.title = "Zzyzx secret name"
    workflow.save_page(pending)
    # A page saved later, while the pending title exists, still links by the live title.
    later = make.article("Later article", drugs=[diazepam], body="See [[diazepam]].")
    for page in (interaction, linking, later):
        html = client.get(page.get_absolute_url()).content.decode()
        assert "Zzyzx" not in html
    assert ">Diazepam</a>" in Article.objects.get(pk=later.pk).body_html


def test_drug_pages_follow_the_same_workflow(client, site):
    diazepam, *_ = site
    client.force_login(editors.editor())
    pending = editors.start_editing(client, diazepam)
    data = editors.drug_data(pending, summary="Zzyzx drug summary.", status="review")
    assert client.post(editors.change_url(pending), data).status_code == 302
    assert "Zzyzx" not in client.get(diazepam.get_absolute_url()).content.decode()
    response = client.post(editors.change_url(pending), {**data, "status": "published"})
    assert response.status_code == 200
    assert Drug.objects.get(pk=diazepam.pk).summary == "Diazepam is a medicine."
    client.force_login(editors.reviewer())
    pending = Drug.objects.get(pk=pending.pk)
    data = editors.drug_data(pending, status="published")
    assert client.post(editors.change_url(pending), data).status_code == 302
    client.logout()
    html = client.get(diazepam.get_absolute_url()).content.decode()
    assert "Zzyzx drug summary." in html
    assert 'id="sources-heading"' in html and "https://www.nhs.uk/medicines/diazepam/" in html
    assert "Reviewed by" in html and "next review due" in html


# Editors can neither publish nor unpublish, by any route ----------------------------


def test_editor_cannot_publish_from_the_add_form(client, site):
    diazepam, *_ = site
    client.force_login(editors.editor())
    form = client.get(reverse("admin:interactions_article_add")).context["adminform"].form
    assert [value for value, _ in form.fields["status"].choices] == ["draft", "review"]
    data = editors.new_article_data(
        drugs=[diazepam],
        references=[("NHS", "https://www.nhs.uk/")],
        status="published",
        last_reviewed="2026-11-01",
        reviewed_by="1",
    )
    response = client.post(reverse("admin:interactions_article_add"), data)
    assert response.status_code == 200
    assert any(
        "status:" in e and "not one of the available" in e for e in editors.errors_of(response)
    )
    assert not Article.objects.filter(slug=data["slug"]).exists()


def test_editor_cannot_publish_a_pending_version(client, site):
    _, _, interaction, _ = site
    client.force_login(editors.editor())
    pending = editors.start_editing(client, interaction)
    data = editors.article_data(pending, summary="Unapproved.", status="published")
    response = client.post(editors.change_url(pending), data)
    assert response.status_code == 200
    assert Article.objects.get(pk=interaction.pk).summary != "Unapproved."
    _action(client, "publish", interaction)
    assert Article.objects.filter(pk=pending.pk).exists()


def test_editor_cannot_edit_a_live_page_in_place(client, site):
    _, _, interaction, _ = site
    client.force_login(editors.editor())
    data = editors.article_data(interaction, summary="Edited in place.")
    assert client.post(editors.change_url(interaction), data).status_code == 403
    assert Article.objects.get(pk=interaction.pk).summary != "Edited in place."


def test_editor_cannot_take_a_page_offline_restore_or_delete_it(client, site):
    _, _, interaction, _ = site
    client.force_login(editors.editor())
    for name in ("unpublish", "restore"):
        url = reverse(f"admin:interactions_article_{name}", args=[interaction.pk])
        assert client.post(url).status_code == 403, name
    delete = reverse("admin:interactions_article_delete", args=[interaction.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    hidden = reverse("admin:interactions_page_delete", args=[interaction.pk])
    assert client.post(hidden, {"post": "yes"}).status_code == 403
    actions = dict(client.get(reverse(CHANGELIST)).context["action_form"].fields["action"].choices)
    assert "send_for_review" in actions
    assert not {"publish", "mark_reviewed", "delete_selected"} & set(actions)
    assert Article.objects.get(pk=interaction.pk).is_live


def test_nobody_deletes_through_the_hidden_page_admin(client, make):
    lonely = make.drug("Lonely", status=Status.DRAFT)
    client.force_login(editors.reviewer())
    hidden = reverse("admin:interactions_page_delete", args=[lonely.pk])
    assert client.post(hidden, {"post": "yes"}).status_code == 403
    assert Page.objects.filter(pk=lonely.pk).exists()


# Reviewers: identity from the account, taking offline, restoring ---------------------


def test_the_reviewer_comes_from_the_account_never_from_the_form(client, site, make):
    diazepam, *_ = site
    draft = make.article("A draft", drugs=[diazepam], status=Status.DRAFT)
    other = make.reviewer(key="someone-else", name="Someone Else", role="Doctor")
    client.force_login(editors.reviewer())
    data = editors.article_data(
        draft, status="published", reviewed_by=str(other.pk), last_reviewed="2020-01-01"
    )
    assert client.post(editors.change_url(draft), data).status_code == 302
    live = Article.objects.get(pk=draft.pk)
    assert live.reviewed_by.name == "Dr Rita Reviewer" and live.reviewed_by != other
    assert live.last_reviewed == timezone.localdate()


def test_review_dates_cannot_be_in_the_future(make, site):
    diazepam, *_ = site
    article = make.article("Future", drugs=[diazepam], status=Status.DRAFT)
    article.last_reviewed = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    assert excinfo.value.message_dict["last_reviewed"] == [
        "The review date cannot be in the future."
    ]


def test_taking_a_page_offline_lists_what_breaks_and_asks_first(client, site):
    _, _, interaction, linking = site
    client.force_login(editors.reviewer())
    url = reverse("admin:interactions_article_unpublish", args=[interaction.pk])
    page = client.get(url).content.decode()
    assert "Diazepam side effects ([[diazepam-and-codeine]] link)" in page
    assert "We have no information on this pair" in page and "Diazepam + Codeine" in page
    assert Article.objects.get(pk=interaction.pk).is_live  # asking changes nothing
    client.post(url)
    assert _status(interaction) == Status.DRAFT
    client.logout()
    assert client.get(interaction.get_absolute_url()).status_code == 404
    checker = client.get(reverse("interactions:checker"), {"drug": ["diazepam", "codeine"]})
    assert "We have no information on this pair" in checker.content.decode()


def test_the_previous_live_version_is_restored_in_one_step(client, site):
    _, _, interaction, _ = site
    reviewer = editors.reviewer()
    workflow.record_live_version(interaction, None, "Imported")
    pending = workflow.start_editing(interaction, reviewer)
    pending.summary = "A worse summary."
    workflow.save_page(pending)
    workflow.publish(pending, reviewer)
    assert Article.objects.get(pk=interaction.pk).summary == "A worse summary."
    client.force_login(reviewer)
    assert (
        "Restore the previous live version"
        in client.get(editors.change_url(interaction)).content.decode()
    )
    url = reverse("admin:interactions_article_restore", args=[interaction.pk])
    assert client.post(url).status_code == 302
    restored = Article.objects.get(pk=interaction.pk)
    assert restored.is_live
    assert restored.summary == "Taking them together can slow your breathing."
    assert PublishedVersion.objects.filter(page=interaction).first().note.startswith("Restored")
    # After taking a page offline, the same button puts it back.
    workflow.unpublish(restored, reviewer)
    client.post(url)
    assert Article.objects.get(pk=interaction.pk).is_live


def test_a_stale_form_is_refused_with_who_and_what_changed(client, site):
    _, _, interaction, _ = site
    edith = editors.editor()
    client.force_login(edith)
    pending = editors.start_editing(client, interaction)
    opened = editors.article_data(pending)
    # Someone else saves while the first form is open.
    other = editors.editor("olga")
    other.first_name, other.last_name = "Olga", "Other"
    other.save()
    pending.summary = "Olga's summary."
    workflow.save_page(pending, other)
    stale = {
        **opened,
        **{f"initial-{name}": opened[name] for name in ("title", "summary", "body")},
        "summary": "Edith's summary.",
    }
    response = client.post(editors.change_url(pending), stale)
    assert response.status_code == 200
    message = " ".join(editors.errors_of(response))
    assert "changed by Olga Other" in message and "not saved" in message
    assert "Summary: now “Olga&#x27;s summary.”" in message or "Olga's summary" in message
    assert Article.objects.get(pk=pending.pk).summary == "Olga's summary."


def test_publish_action_checks_the_rules(client, make, site):
    diazepam, *_ = site
    unsourced = make.article("No sources", drugs=[diazepam], status=Status.REVIEW, references=())
    ready = make.article("Ready", drugs=[diazepam], status=Status.REVIEW)
    client.force_login(editors.reviewer())
    response = _action(client, "publish", unsourced, ready)
    assert _status(ready) == Status.PUBLISHED
    assert _status(unsourced) == Status.REVIEW
    text = response.content.decode().replace("&quot;", '"')
    assert "“No sources” was not published: references: A published page needs at least" in text


def test_publishing_a_page_that_links_to_an_unpublished_page_is_refused(make, site):
    diazepam, *_ = site
    make.article("Secret draft", slug="secret-draft", drugs=[diazepam], status=Status.DRAFT)
    linking = make.article(
        "Links to a draft", drugs=[diazepam], status=Status.REVIEW, body="See [[secret-draft]]."
    )
    with pytest.raises(ValidationError) as excinfo:
        workflow.publish(linking, editors.reviewer())
    assert "not published yet: “Secret draft”" in str(excinfo.value)


@time_machine.travel(TODAY, tick=False)
def test_mark_reviewed_action_sets_dates_shown_on_the_public_page(client, site):
    _, _, interaction, _ = site
    client.force_login(editors.reviewer())
    _action(client, "mark_reviewed", interaction)
    article = Article.objects.get(pk=interaction.pk)
    assert article.last_reviewed == datetime.date(2026, 12, 1)
    assert article.next_review_due == datetime.date(2027, 12, 1)
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r"Reviewed by <a [^>]+>Dr Rita Reviewer</a>, pharmacist, on <time", html)
    assert 'datetime="2026-12-01">1 December 2026</time>' in html
    assert 'next review due <time datetime="2027-12-01">December 2027</time>' in html


@time_machine.travel(datetime.datetime(2028, 2, 29, 12, tzinfo=datetime.UTC), tick=False)
def test_a_review_on_29_february_is_due_on_28_february(site):
    _, _, interaction, _ = site
    workflow.mark_reviewed(interaction, editors.reviewer())
    assert Article.objects.get(pk=interaction.pk).next_review_due == datetime.date(2029, 2, 28)


def test_our_reviewers_page_lists_reviewers_with_their_role(client, site):
    html = client.get(reverse("interactions:reviewers")).content.decode()
    assert "Dr Rita Reviewer" in html and "Pharmacist" in html
    assert "Clinical reviewer" in html


@time_machine.travel(TODAY, tick=False)
def test_admin_home_shows_the_review_queue(client, site, make):
    diazepam, codeine, interaction, _ = site
    make.article("Long ago", drugs=[diazepam], last_reviewed=datetime.date(2025, 11, 1))
    make.article("Soon", drugs=[diazepam], last_reviewed=datetime.date(2025, 12, 20))
    client.force_login(editors.editor())
    pending = editors.start_editing(client, interaction)
    _save_pending(client, pending, status="review")
    html = client.get(reverse("admin:index")).content.decode()
    queue = html[html.index("Review queue") : html.index("Due in the next 30 days")]
    sent = "(change to a live page) — sent by Edith Editor on 1 Dec 2026"
    assert f"Can you take diazepam with codeine?</a> {sent}" in queue
    overdue = queue[queue.index("Review overdue") :]
    assert "Long ago</a> — last reviewed 1 Nov 2025" in overdue
    due = html[html.index("Due in the next 30 days") :]
    assert "Soon</a> — due 20 Dec 2026" in due
    assert "Long ago" not in due


def test_publishing_onto_a_slug_taken_meanwhile_is_refused_not_a_crash(make, site):
    diazepam, _, interaction, _ = site
    reviewer = editors.reviewer()
    pending = workflow.start_editing(interaction, reviewer)
    pending.slug = "new-address"
    workflow.save_page(pending)
    make.article("Someone else", slug="new-address", drugs=[diazepam])
    with pytest.raises(ValidationError) as excinfo:
        workflow.publish(pending, reviewer)
    assert "This slug is already used" in str(excinfo.value)
    assert Article.objects.get(pk=interaction.pk).slug == "diazepam-and-codeine"


def test_a_publish_refused_by_a_rule_about_other_pages_keeps_the_changes_in_review(
    client, site, make
):
    diazepam, _, interaction, _ = site
    make.article("Secret draft", slug="secret-draft", drugs=[diazepam], status=Status.DRAFT)
    client.force_login(editors.reviewer())
    pending = editors.start_editing(client, interaction)
    body = pending.body + "\n\nSee [[secret-draft]]."
    data = editors.article_data(pending, body=body, status="published")
    response = client.post(editors.change_url(pending), data, follow=True)
    assert response.status_code == 200
    said = " ".join(str(m) for m in response.context["messages"])
    assert "Not published:" in said and "“Secret draft”" in said
    kept = Article.objects.get(pk=pending.pk)
    assert kept.status == Status.REVIEW and "[[secret-draft]]" in kept.body
    assert "secret-draft" not in Article.objects.get(pk=interaction.pk).body
