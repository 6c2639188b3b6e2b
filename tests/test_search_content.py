"""Search against the real content/, imported once for the module."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from interactions.models import SearchTerm
from interactions.search import Lexicon, parse_query, rank
from tests.test_search import _result_links, _search

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def test_brand_and_drug_names_put_the_drug_first_in_the_content(client):
    for q, slug in [
        ("Valium", "diazepam"),
        ("VALIUM", "diazepam"),
        ("valium", "diazepam"),
        ("Remeron", "mirtazapine"),
        ("remeron", "mirtazapine"),
        ("Zispin SolTab", "mirtazapine"),
        ("diazepam", "diazepam"),
        ("Lustral", "sertraline"),
    ]:
        response = _search(client, q)
        assert _result_links(response)[0] == reverse("interactions:drug_detail", args=[slug]), q
        assert "Showing results for" not in response.content.decode(), q


def test_misspellings_are_forgiven_with_a_showing_results_for_line(client):
    for q, slug, corrected in [
        ("diazapam", "diazepam", "diazepam"),
        ("mirtazepine", "mirtazapine", "mirtazapine"),
        ("Mirtazepine", "mirtazapine", "mirtazapine"),
        ("valum", "diazepam", "valium"),
        ("sertaline", "sertraline", "sertraline"),
        ("codiene", "codeine", "codeine"),
    ]:
        response = _search(client, q)
        assert _result_links(response)[0] == reverse("interactions:drug_detail", args=[slug]), q
        assert f"Showing results for <strong>{corrected}</strong>" in response.content.decode()
    # Ordinary words are not taken for drug names.
    response = _search(client, "sleepy")
    assert "Showing results for" not in response.content.decode()
    assert _result_links(response)


def test_phrase_queries_lead_to_the_interaction_article_first(client):
    for q, slug in [
        ("diazepam and mirtazapine", "diazepam-and-mirtazapine"),
        ("can I take diazepam with mirtazapine", "diazepam-and-mirtazapine"),
        ("Can I take Diazepam with Mirtazapine?", "diazepam-and-mirtazapine"),
        ("mirtazapine diazepam", "diazepam-and-mirtazapine"),
        ("Valium and Remeron", "diazepam-and-mirtazapine"),
        ("can i take diazapam with mirtazepine", "diazepam-and-mirtazapine"),
        ("can I drink alcohol with mirtazapine", "mirtazapine-and-alcohol"),
        ("zoloft and remeron", "mirtazapine-and-sertraline"),
    ]:
        links = _result_links(_search(client, q))
        assert links[0] == reverse("interactions:article_detail", args=[slug]), q
    response = _search(client, "can i take diazapam with mirtazepine")
    assert (
        "Showing results for <strong>can i take diazepam with mirtazapine</strong>"
        in response.content.decode()
    )


def test_same_ranking_on_every_database():
    """The suite runs on SQLite and PostgreSQL; both must give this order."""
    lexicon = Lexicon.load()
    ids, _ = rank(parse_query("diazepam mirtazapine", lexicon))
    from interactions.models import Page

    slugs = dict(Page.objects.values_list("pk", "slug"))
    assert [slugs[pk] for pk in ids[:8]] == [
        "diazepam-and-mirtazapine",
        "diazepam-and-mirtazapine-children",
        "diazepam-and-mirtazapine-benefits",
        "diazepam-and-mirtazapine-older-adults",
        "diazepam-and-mirtazapine-pregnancy-breastfeeding",
        "diazepam-and-mirtazapine-risks",
        "diazepam",
        "mirtazapine",
    ]
    ids, _ = rank(parse_query("is mirtazapine safe in pregnancy", lexicon))
    assert [slugs[pk] for pk in ids[:3]] == [
        "diazepam-and-mirtazapine-pregnancy-breastfeeding",
        "mirtazapine",
        "diazepam-and-mirtazapine",
    ]


def test_rebuilding_the_index_gives_the_same_rows_as_saving():
    saved = sorted(SearchTerm.objects.values_list("page_id", "term", "weight"))
    call_command("rebuild_search_index", verbosity=0)
    assert sorted(SearchTerm.objects.values_list("page_id", "term", "weight")) == saved
    assert saved


def test_the_migration_indexes_pages_saved_before_it():
    from importlib import import_module

    from django.apps import apps

    saved = sorted(SearchTerm.objects.values_list("page_id", "term", "weight"))
    SearchTerm.objects.all().delete()
    import_module("interactions.migrations.0005_search_terms").index_existing_pages(apps, None)
    assert sorted(SearchTerm.objects.values_list("page_id", "term", "weight")) == saved
