import re

import pytest
from django.urls import reverse

from interactions import workflow
from interactions.models import Kind, SearchTerm, Status
from interactions.search import Lexicon, highlight

pytestmark = pytest.mark.django_db

SEARCH = reverse("interactions:search")


def _result_links(response):
    """Result URLs in order, from the results list only."""
    html = response.content.decode()
    if 'class="search-results"' not in html:
        return []
    results = html[html.index('class="search-results"') :]
    results = results[: results.index("</ol>")]
    return re.findall(r'<h2><a href="([^"]+)">', results)


def _search(client, q, **params):
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200
    return response


@pytest.fixture
def library(make):
    """Generated content: three drugs, an interaction, other kinds and a draft."""
    diazepam = make.drug("Diazepam", brand_names="Valium\nStesolid", drug_class="Benzodiazepine")
    mirtazapine = make.drug("Mirtazapine", brand_names="Remeron\nZispin SolTab")
    codeine = make.drug("Codeine")
    interaction = make.article(
        "Can you take diazepam with mirtazapine?",
        slug="diazepam-and-mirtazapine",
        kind=Kind.INTERACTION,
        drugs=[diazepam, mirtazapine],
    )
    risks = make.article(
        "Diazepam and mirtazapine: what are the risks?",
        slug="diazepam-and-mirtazapine-risks",
        kind=Kind.RISKS,
        drugs=[diazepam, mirtazapine],
    )
    side_effects = make.article(
        "Side effects of diazepam",
        slug="diazepam-side-effects",
        drugs=[diazepam],
        summary="Sleepiness is common.",
    )
    draft = make.article(
        "Draft about diazepam",
        drugs=[diazepam],
        status=Status.DRAFT,
        summary="Zebrafish are mentioned only in this draft.",
    )
    return {
        "diazepam": diazepam,
        "mirtazapine": mirtazapine,
        "codeine": codeine,
        "interaction": interaction,
        "risks": risks,
        "side_effects": side_effects,
        "draft": draft,
    }


# Brand names and misspellings ------------------------------------------------


# One test per behaviour, each trying several queries, so the seed content
# is imported a few times rather than once per query.


def test_phrase_query_in_generated_content_ranks_interaction_then_pair_then_drugs(client, library):
    links = _result_links(_search(client, "can I take valium with remeron"))
    assert links[:4] == [
        library["interaction"].get_absolute_url(),
        library["risks"].get_absolute_url(),
        library["diazepam"].get_absolute_url(),
        library["mirtazapine"].get_absolute_url(),
    ]


# Ranking ---------------------------------------------------------------------


def test_title_matches_rank_above_summary_above_body(client, make):
    drug = make.drug("Codeine")
    body_only = make.article("Alpha", drugs=[drug], summary="Nothing.", body="About tremors.")
    summary_only = make.article("Beta", drugs=[drug], summary="About tremors.")
    title = make.article("Tremors explained", drugs=[drug], summary="Nothing.")
    links = _result_links(_search(client, "tremor"))
    assert links == [
        title.get_absolute_url(),
        summary_only.get_absolute_url(),
        body_only.get_absolute_url(),
    ]


def test_results_show_kind_drugs_severity_and_a_highlighted_snippet(client, library):
    html = _search(client, "mirtazapine diazepam").content.decode()
    first = html[html.index('class="search-result"') :]
    first = first[: first.index("</li>")]
    assert '<p class="kind-label">Interactions</p>' in first
    assert "About: Diazepam, Mirtazapine" in first
    assert "severity-moderate" in first
    assert "<mark>diazepam</mark>" in first.lower()
    drug_html = _search(client, "Valium").content.decode()
    assert '<p class="kind-label">Medicine</p>' in drug_html
    assert "Brand names: Valium, Stesolid" in drug_html


def test_plural_and_singular_find_each_other(client, library):
    assert library["side_effects"].get_absolute_url() in _result_links(
        _search(client, "side effect")
    )


# Safety ----------------------------------------------------------------------


def test_drafts_are_never_found_until_published(client, library):
    draft = library["draft"]
    assert _result_links(_search(client, "zebrafish")) == []
    assert not SearchTerm.objects.filter(page=draft).exists()
    draft.status = Status.PUBLISHED
    workflow.save_page(draft)
    assert _result_links(_search(client, "zebrafish")) == [draft.get_absolute_url()]
    draft.status = Status.REVIEW
    workflow.save_page(draft)
    assert _result_links(_search(client, "zebrafish")) == []


def test_drafts_naming_both_drugs_are_not_ranked_for_a_pair(client, library, make):
    make.article(
        "Draft interaction",
        kind=Kind.INTERACTION,
        drugs=[library["diazepam"], library["mirtazapine"]],
        status=Status.DRAFT,
    )
    links = _result_links(_search(client, "diazepam and mirtazapine"))
    assert all("draft" not in link for link in links)


def test_deleting_a_page_removes_it_from_search(client, library):
    library["side_effects"].delete()
    assert library["side_effects"].get_absolute_url() not in _result_links(
        _search(client, "side effects")
    )


def test_snippets_escape_content_before_marking(client, make):
    drug = make.drug("Codeine")
    make.article(
        "Escaping",
        drugs=[drug],
        summary='<script>alert("x")</script> tremor & amp <b>bold</b>',
    )
    html = _search(client, "tremor amp").content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<mark>tremor</mark> &amp; <mark>amp</mark> &lt;b&gt;bold&lt;/b&gt;" in html


def test_highlight_never_marks_inside_an_escaped_entity():
    assert str(highlight("salt & pepper", {"amp"})) == ""
    marked = str(highlight("a < b amp", {"amp"}))
    assert marked == "a &lt; b <mark>amp</mark>"


def test_the_query_is_shown_escaped(client, library):
    html = _search(client, '<img src=x onerror="alert(1)"> diazepam').content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


# Bad and useless input ---------------------------------------------------------


def test_no_query_gives_the_search_page_with_help(client, library):
    response = client.get(SEARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("interactions:drug_list")}"' in html
    assert "Or try one of these searches" in html
    for example in ("codeine%20and%20diazepam", "Valium", "mirtazapine%20side%20effects"):
        assert f'href="{SEARCH}?q={example}"' in html


@pytest.mark.parametrize("q", ["", "   ", "the and with", "!!!", "?", "%%%", "a", "\x00\x01"])
def test_empty_or_useless_queries_get_a_helpful_page(client, library, q):
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="search-help"' in html
    assert "Medicines A–Z</a>" in html
    assert 'class="search-results"' not in html


def test_no_results_say_so_and_offer_help(client, library):
    html = _search(client, "xylophone").content.decode()
    assert "We found nothing for “xylophone”." in html
    assert 'class="search-help"' in html


def test_very_long_queries_are_trimmed(client, library):
    response = _search(client, "diazepam " * 100)
    html = response.content.decode()
    assert "Your search was very long" in html
    assert _result_links(response)[0] == library["diazepam"].get_absolute_url()
    # Cut at 200 characters, then back to the last whole word.
    assert 'value="' + "diazepam " * 21 + 'diazepam"' in html


@pytest.mark.parametrize(
    "q",
    [
        "diaz\x00epam",
        "diazepam\x07\x1b[31m",
        "diazepam\u200b",
        "'; DROP TABLE interactions_page; --",
        "diazepam%' OR 1=1 --",
        "\\",
        "𝔡𝔦𝔞𝔷𝔢𝔭𝔞𝔪",
        "diazépam",
        "x" * 5000,
    ],
)
def test_control_characters_and_symbols_never_break_search(client, library, q):
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == 200


def test_accents_and_control_characters_are_ignored(client, library):
    assert _result_links(_search(client, "DIAZÉPAM"))[0] == library["diazepam"].get_absolute_url()
    assert (
        _result_links(_search(client, "diaz\x00epam"))[0] == library["diazepam"].get_absolute_url()
    )


def test_search_refuses_post(client, db):
    assert client.post(SEARCH, {"q": "x"}).status_code == 405


# Pagination --------------------------------------------------------------------


@pytest.fixture
def many(make):
    drug = make.drug("Codeine")
    return [make.article(f"Tremor note {n:02d}", drugs=[drug]) for n in range(25)]


def test_results_are_paginated(client, many):
    first = _search(client, "tremor")
    assert len(_result_links(first)) == 10
    assert "25 results" in first.content.decode()
    assert 'rel="next"' in first.content.decode()
    third = _search(client, "tremor", page=3)
    assert len(_result_links(third)) == 5
    assert "page 3 of 3" in third.content.decode()
    every = set()
    for page in (1, 2, 3):
        every.update(_result_links(_search(client, "tremor", page=page)))
    assert len(every) == 25


@pytest.mark.parametrize(
    ("page", "expected"),
    [("abc", 1), ("0", 3), ("-1", 3), ("999", 3), ("1.5", 1), ("", 1), ("9" * 50, 3)],
)
def test_bad_page_numbers_fall_back_to_a_real_page(client, many, page, expected):
    response = _search(client, "tremor", page=page)
    assert f"page {expected} of 3" in response.content.decode()


# Queries and databases -----------------------------------------------------------


def _count_queries(client, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(SEARCH, params)  # loads the list of drug names once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(SEARCH, params).status_code == 200
    return len(queries)


def test_query_count_is_small_and_does_not_grow(client, make, library):
    params = [
        {},
        {"q": "valium"},
        {"q": "diazepam and mirtazapine"},
        {"q": "side effects", "page": "2"},
        {"q": "nothing matches this"},
    ]
    drugs = [library["diazepam"], library["mirtazapine"]]
    small = [_count_queries(client, p) for p in params]
    for n in range(30):
        make.article(f"Side effects note {n}", drugs=drugs, kind=Kind.INTERACTION)
        make.drug(f"Extra drug {n}")
    large = [_count_queries(client, p) for p in params]
    assert small == large
    assert max(small) <= 7, small


# The search form and the index ---------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [reverse("interactions:home"), reverse("interactions:drug_list"), "/no/such/page/"],
)
def test_every_page_has_search_one_tap_away_in_the_header(client, db, url):
    html = client.get(url).content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert f'<a class="search-link" href="{SEARCH}">' in header
    assert "<form" not in header


@pytest.mark.parametrize(
    ("url", "form_id"),
    [(reverse("interactions:home"), "home-search"), (SEARCH, "search-page")],
)
def test_home_and_search_pages_have_one_labelled_get_search_form(client, db, url, form_id):
    html = client.get(url).content.decode()
    assert f'<form class="search-form" action="{SEARCH}" method="get" role="search">' in html
    assert f'<label for="{form_id}">Search medicines and articles</label>' in html
    assert f'<input id="{form_id}" type="search" name="q"' in html
    assert html.count("<form") == 1


def test_topic_words_outrank_the_medicine_page_in_generated_content(client, library):
    links = _result_links(_search(client, "valium side effects"))
    assert links[:2] == [
        library["side_effects"].get_absolute_url(),
        library["diazepam"].get_absolute_url(),
    ]
    # Without a topic, the medicine's own page is first.
    assert _result_links(_search(client, "valium"))[0] == library["diazepam"].get_absolute_url()


def test_unknown_medicines_are_never_spelling_corrected_to_ours(client, library):
    html = _search(client, "lorazepam").content.decode()
    assert "We have no page on lorazepam yet." in html
    assert "Showing results for" not in html


def test_renaming_a_drug_updates_the_index_and_names(client, library):
    drug = library["codeine"]
    drug.brand_names = "Tylex"
    workflow.save_page(drug)
    assert _result_links(_search(client, "tylex"))[0] == drug.get_absolute_url()


def test_new_and_deleted_drugs_are_recognised_at_once(client, library, make):
    assert _result_links(_search(client, "tramadol")) == []
    tramadol = make.drug("Tramadol", brand_names="Zydol")
    assert _result_links(_search(client, "zydol"))[0] == tramadol.get_absolute_url()
    assert "Showing results for" in _search(client, "tramadoll").content.decode()
    tramadol.delete()
    assert _result_links(_search(client, "zydol")) == []


def test_slugs_are_recognised_but_names_are_shown(make):
    wort = make.drug("St John's wort", slug="st-johns-wort")
    lexicon = Lexicon.load()
    exact, _ = lexicon.resolve("st johns wort")
    assert exact.drug == wort and exact.name == "St John's wort"
    _, suggestion = lexicon.resolve("st johns wart")
    assert suggestion.name == "St John's wort"


def test_renaming_a_linked_page_reindexes_the_pages_that_link_to_it(client, make):
    diazepam = make.drug("Diazepam")
    mirtazapine = make.drug("Mirtazapine", body="Often compared with [[diazepam]].")
    diazepam.title = "Diazepam Zolquinex"
    workflow.save_page(diazepam)
    links = _result_links(_search(client, "zolquinex"))
    assert mirtazapine.get_absolute_url() in links
