"""The drug and article admin: lists, field errors, links, deleting, checks."""

import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interactions import workflow
from interactions.models import Article, Drug, Kind, Status
from tests import editors

pytestmark = pytest.mark.django_db

ADD = "admin:interactions_article_add"
CHANGELIST = "admin:interactions_article_changelist"


@pytest.fixture
def pair(make):
    return make.drug("Diazepam", brand_names="Valium"), make.drug("Mirtazapine")


def _add(client, **kwargs):
    response = client.post(reverse(ADD), editors.new_article_data(**kwargs))
    return response, (editors.errors_of(response) if response.status_code == 200 else [])


# Writing ------------------------------------------------------------------------


def test_add_form_has_the_markdown_editor_autocomplete_and_slug_from_title(editor_client):
    html = editor_client.get(reverse(ADD)).content.decode()
    assert "data-markdown-editor" in html and "markdownx-preview" in html
    assert "js/markdown-editor.js" in html and "Add image" in html
    assert "css/admin-preview.css" in html
    assert 'id="id_drug_links-0-drug"' in html and "admin-autocomplete" in html
    assert 'id="id_see_also_links-0-target"' in html
    assert "data-prepopulated-fields=" in html and "&quot;#id_slug&quot;" in html
    assert 'id="id_references-0-url"' in html
    # The form follows the task: title and kind, the drugs, then what it says.
    order = [
        html.index(marker)
        for marker in (
            'id="id_title"',
            'id="id_kind"',
            "id_drug_links-0-drug",
            'id="id_severity"',
            'id="id_summary"',
            'id="id_body"',
            "id_references-0-url",
            "id_see_also_links-0-target",
            'id="id_status"',
        )
    ]
    assert order == sorted(order)


def test_editor_writes_a_draft_with_ordered_references(editor_client, pair):
    diazepam, mirtazapine = pair
    response, errors = _add(
        editor_client,
        drugs=[diazepam],
        references=[("Second", "https://b.example/"), ("First", "https://a.example/")],
        see_also=[mirtazapine],
    )
    assert response.status_code == 302, errors
    article = Article.objects.get(slug="diazepam-and-alcohol")
    assert article.status == Status.DRAFT
    assert [r.title for r in article.references.all()] == ["Second", "First"]
    assert [p.target for p in article.see_also_links.all()] == [mirtazapine.page_ptr]


def test_unknown_slug_is_a_field_error_naming_it(editor_client, pair):
    response, errors = _add(editor_client, drugs=[pair[0]], body="See [[no-such-page]].")
    assert response.status_code == 200
    assert "body: [[no-such-page]] does not match any drug or article." in errors


def test_interaction_needs_two_drugs_and_a_severity(editor_client, pair):
    from tests.factories import URGENT_HELP

    response, errors = _add(
        editor_client, kind="interaction", drugs=[pair[0]], body="Text.\n\n" + URGENT_HELP
    )
    assert response.status_code == 200
    assert "An interaction must name at least two drugs." in errors
    assert "severity: An interaction needs a severity: major, moderate, minor or unknown." in errors


def test_severity_on_a_non_interaction_is_a_field_error(editor_client, pair):
    response, errors = _add(editor_client, drugs=[pair[0]], severity="major")
    assert "severity: Only interaction articles have a severity." in errors


def test_see_also_to_itself_is_an_error(editor_client, make, pair):
    article = make.article("Diazepam side effects", drugs=[pair[0]], status=Status.DRAFT)
    data = editors.article_data(article)
    data.update(editors.inline("see_also_links", [{"position": 0, "target": article.pk}]))
    response = editor_client.post(editors.change_url(article), data)
    assert response.status_code == 200
    assert any("cannot list itself under 'See also'" in e for e in editors.errors_of(response))


def test_publishing_without_references_or_summary_gives_field_errors(reviewer_client, pair):
    response, errors = _add(
        reviewer_client,
        drugs=[pair[0]],
        summary="",
        status="published",
    )
    assert response.status_code == 200
    assert "summary: A published page needs a summary." in errors
    assert "A published page needs at least one source." in errors
    assert not Article.objects.exists()


def test_a_reviewer_without_a_profile_cannot_publish(client, pair):
    # Publishing records the reviewer from the account, so it needs a profile.
    client.force_login(editors.reviewer(profile=False))
    response, errors = _add(
        client, drugs=[pair[0]], status="published", references=[("NHS", "https://nhs.uk/")]
    )
    assert response.status_code == 200
    assert any("your account has no reviewer profile" in e for e in errors), errors
    assert not Article.objects.exists()


def test_image_without_alt_text_is_refused(editor_client, pair):
    response, errors = _add(
        editor_client, drugs=[pair[0]], body="![Describe this image](/media/images/a.png)"
    )
    assert response.status_code == 200
    assert any("The image /media/images/a.png needs alt text" in e for e in errors)


# Lists ----------------------------------------------------------------------------


# "1 Nov 2027" and "overdue" depend on today's date.
@time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_article_list_columns_filters_and_search(reviewer_client, make, pair):
    diazepam, mirtazapine = pair
    make.article(
        "Can you take diazepam with mirtazapine?",
        kind=Kind.INTERACTION,
        drugs=[diazepam, mirtazapine],
    )
    make.article("Mirtazapine side effects", drugs=[mirtazapine], last_reviewed=None)
    response = reviewer_client.get(reverse(CHANGELIST))
    html = response.content.decode()
    for heading in ("Kind", "Drugs", "Severity", "Status", "Last reviewed", "Next review due"):
        assert f">{heading}<" in html
    assert "Diazepam, Mirtazapine" in html
    assert "1 Nov 2027" in html and "Not reviewed yet" in html
    filters = response.context["cl"].filter_specs
    assert [f.title for f in filters] == ["kind", "status", "drugs", "severity", "review"]

    def titles(**params):
        response = reviewer_client.get(reverse(CHANGELIST), params)
        return sorted(a.title for a in response.context["cl"].result_list)

    assert titles(q="Valium") == ["Can you take diazepam with mirtazapine?"]
    assert titles(q="mirtazapine-side") == ["Mirtazapine side effects"]
    assert titles(kind="interaction") == ["Can you take diazepam with mirtazapine?"]
    assert titles(drugs__id__exact=diazepam.pk) == ["Can you take diazepam with mirtazapine?"]
    assert titles(review="overdue") == ["Mirtazapine side effects"]


def test_review_overdue_is_twelve_months_after_the_last_review(make, pair):
    today = datetime.date(2027, 6, 15)
    make.article("Due today", drugs=[pair[0]], last_reviewed=datetime.date(2026, 6, 15))
    make.article("Overdue", drugs=[pair[0]], last_reviewed=datetime.date(2026, 6, 14))
    overdue = Article.objects.review_overdue(today=today)
    assert [a.title for a in overdue] == ["Overdue"]


def test_article_list_query_count_does_not_grow(reviewer_client, make, pair):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert reviewer_client.get(reverse(CHANGELIST)).status_code == 200
        return len(queries)

    make.article("Article 0", drugs=list(pair))
    small = count()
    for number in range(1, 8):
        make.article(f"Article {number}", drugs=list(pair))
    assert count() == small


# Links, deleting, checks ---------------------------------------------------------


@pytest.fixture
def linked(make, pair):
    diazepam, mirtazapine = pair
    # Only pages that are not live can be deleted.
    diazepam.status = Status.DRAFT
    workflow.save_page(diazepam)
    by_link = make.article("Linking article", drugs=[mirtazapine], body="See [[diazepam]].")
    by_see_also = make.article("Curated article", drugs=[mirtazapine], see_also=[diazepam])
    return diazepam, by_link, by_see_also


def test_change_page_lists_what_links_here(reviewer_client, linked):
    diazepam, by_link, by_see_also = linked
    html = reviewer_client.get(editors.change_url(diazepam)).content.decode()
    assert "What links here" in html
    assert (
        f'<a href="{editors.change_url(by_link)}">Linking article</a> ([[diazepam]] link)' in html
    )
    assert f'<a href="{editors.change_url(by_see_also)}">Curated article</a> (see also)' in html


def test_deleting_a_linked_page_is_refused_with_the_list(reviewer_client, linked):
    diazepam, *_ = linked
    url = reverse("admin:interactions_drug_delete", args=[diazepam.pk])
    response = reviewer_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    html = response.content.decode()
    messages = " ".join(str(m) for m in response.context["messages"])
    assert "cannot be deleted while other pages link to it" in messages
    assert "“Linking article” ([[diazepam]] link)" in messages
    assert "“Curated article” (see also)" in messages
    assert "Linking article</a> links here ([[diazepam]] link)" in html
    assert Drug.objects.filter(pk=diazepam.pk).exists()


def test_bulk_delete_of_a_linked_page_is_refused(reviewer_client, linked, make):
    diazepam, *_ = linked
    spare = make.drug("Spare")
    response = reviewer_client.post(
        reverse("admin:interactions_drug_changelist"),
        {"action": "delete_selected", "_selected_action": [diazepam.pk, spare.pk], "post": "yes"},
    )
    assert response.status_code == 200
    assert "“Linking article” ([[diazepam]] link)" in " ".join(
        str(m) for m in response.context["messages"]
    )
    assert Drug.objects.filter(pk__in=[diazepam.pk, spare.pk]).count() == 2


def test_deleting_an_unlinked_page_works(reviewer_client, make):
    lonely = make.drug("Lonely", status=Status.DRAFT)
    url = reverse("admin:interactions_drug_delete", args=[lonely.pk])
    assert reviewer_client.post(url, {"post": "yes"}).status_code == 302
    assert not Drug.objects.filter(pk=lonely.pk).exists()


def test_a_live_page_cannot_be_deleted_only_taken_offline(reviewer_client, make):
    live = make.drug("Live")
    url = reverse("admin:interactions_drug_delete", args=[live.pk])
    assert reviewer_client.post(url, {"post": "yes"}).status_code == 403
    assert Drug.objects.get(pk=live.pk).is_live


def test_readability_grade_is_shown_with_the_target_and_only_warns(reviewer_client, make, pair):
    hard = (
        "Pharmacokinetic interactions between benzodiazepines and noradrenergic "
        "antidepressants considerably potentiate central nervous system depression."
    )
    article = make.article("Hard words", drugs=[pair[0]], status=Status.DRAFT, body=hard)
    html = reviewer_client.get(editors.change_url(article)).content.decode()
    assert "Reading grade" in html and "above the target of grade 8 or lower" in html
    response = reviewer_client.post(
        editors.change_url(article), editors.article_data(article, summary="New."), follow=True
    )
    assert Article.objects.get(pk=article.pk).summary == "New."
    warnings = [str(m) for m in response.context["messages"]]
    assert any(
        "“Hard words”, Body: Reading grade" in m and "above the target" in m for m in warnings
    )
    assert not any("Summary: Reading grade" in m for m in warnings)
    hard_summary = make.article(
        "Hard summary",
        drugs=[pair[0]],
        status=Status.DRAFT,
        summary=hard,
        body="You may feel sleepy. Do not drive.",
    )
    html = reviewer_client.get(editors.change_url(hard_summary)).content.decode()
    assert "<p>Summary: Reading grade" in html and "<p>Body: Reading grade" in html
    assert html.count("above the target") == 1
    # Medicine names count as one short word ("Diazepam" is a drug here).
    easy = make.article(
        "Easy",
        drugs=[pair[0]],
        summary="You may feel sleepy.",
        body="Diazepam may make you sleepy. Do not drive.",
    )
    html = reviewer_client.get(editors.change_url(easy)).content.decode()
    assert html.count("within the target of grade 8 or lower") == 2


def test_view_on_site_works_for_drugs_and_articles(reviewer_client, make, pair):
    article = make.article("Diazepam side effects", drugs=[pair[0]])
    for page in (pair[0], article):
        html = reviewer_client.get(editors.change_url(page)).content.decode()
        assert "View on site" in html
        content_type = ContentType.objects.get_for_model(page)
        shortcut = reverse("admin:view_on_site", args=[content_type.pk, page.pk])
        response = reviewer_client.get(shortcut)
        assert response.status_code == 302
        assert response["Location"].endswith(page.get_absolute_url())


@pytest.mark.parametrize(
    "body",
    ["[" * 10_000, "- " * 500, "> " * 5_000, "x" * 210_000],
    ids=["brackets", "nested-list", "nested-quote", "too-long"],
)
def test_pathological_bodies_are_form_errors_in_bounded_time(editor_client, pair, body):
    import time

    started = time.perf_counter()
    response, errors = _add(editor_client, drugs=[pair[0]], body=body)
    assert time.perf_counter() - started < 5
    assert response.status_code == 200
    assert any(e.startswith("body:") for e in errors), errors
    assert not Article.objects.exists()


def test_populations_are_only_offered_on_special_populations_articles(reviewer_client, make, pair):
    side_effects = make.article("Plain", drugs=[pair[0]], status=Status.DRAFT)
    special = make.article(
        "Pregnancy",
        kind=Kind.SPECIAL_POPULATIONS,
        drugs=[pair[0]],
        status=Status.DRAFT,
        populations=["pregnancy"],
    )
    plain_form = reviewer_client.get(editors.change_url(side_effects)).context["adminform"].form
    special_form = reviewer_client.get(editors.change_url(special)).context["adminform"].form
    assert "populations" not in plain_form.fields
    assert "populations" in special_form.fields
