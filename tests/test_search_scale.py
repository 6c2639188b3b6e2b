"""Search on a large site: only each word's heaviest pages are scored.

search.best_pages() reads each query word's heaviest pages from an index
and scores those, so a common word on most of 100,000 pages costs a few
hundred index look-ups instead of a row per page. These tests compare it
with the same scoring done in Python over every index row, on whichever
database the suite runs on.
"""

import random

import pytest
from django.db import connection

from interactions import search
from interactions.models import ArticleDrug, SearchTerm

pytestmark = pytest.mark.django_db

WORDS = ["zebra", "okapi", "quagga", "tapir", "gazelle"]
QUERIES = [
    (["zebra"], ["zebra"]),
    (["zebra", "okapi"], ["okapi"]),
    (["zebra", "okapi", "quagga"], ["zebra", "okapi", "quagga"]),
    (["tapir", "gazelle", "zebra", "okapi", "quagga"], ["gazelle"]),
]


def scored_in_python(terms, topic_terms, per_term=None):
    """best_pages() worked out from every row: the reference it must match."""
    rows = list(SearchTerm.objects.filter(term__in=terms).values_list("page_id", "term", "weight"))
    if per_term is not None:
        candidates = set()
        for word in terms:
            heaviest = sorted((-weight, pk) for pk, term, weight in rows if term == word)
            candidates.update(pk for _, pk in heaviest[:per_term])
        rows = [row for row in rows if row[0] in candidates]
    totals = {}
    for pk, term, weight in rows:
        score, title, summary, topic = totals.get(pk, (0, 0, 0, 0))
        if term in topic_terms:
            title += weight >= search.TITLE_WEIGHT
            summary += (
                search.SUMMARY_WEIGHT <= weight < search.TITLE_WEIGHT
                or weight >= search.TITLE_WEIGHT + search.SUMMARY_WEIGHT
            )
            topic += weight
        totals[pk] = (score + weight, title, summary, topic)
    ordered = sorted(totals.items(), key=lambda item: (-item[1][0], item[0]))
    return [(pk, *values) for pk, values in ordered[: search.MAX_RESULTS]]


@pytest.fixture
def zoo(make):
    """40 articles using a few words in their titles, summaries and bodies."""
    rng = random.Random(7)
    for number in range(40):
        make.article(
            f"{rng.choice(WORDS).capitalize()} note {number}",
            summary=" ".join(rng.sample(WORDS, rng.randrange(0, 3))) + " facts.",
            body=" ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 15))) + ".",
        )


def test_every_page_is_scored_when_no_word_is_on_more_pages_than_its_share(zoo):
    for terms, topic_terms in QUERIES:
        assert search.candidates_per_term(len(terms)) >= 40
        assert search.best_pages(terms, topic_terms) == scored_in_python(terms, topic_terms)


def test_only_each_words_heaviest_pages_are_scored_on_a_large_site(zoo, monkeypatch):
    monkeypatch.setattr(search, "MAX_CANDIDATES", 12)
    monkeypatch.setattr(search, "MIN_CANDIDATES_PER_TERM", 3)
    differs = False
    for terms, topic_terms in QUERIES:
        per_term = search.candidates_per_term(len(terms))
        found = search.best_pages(terms, topic_terms)
        assert found == scored_in_python(terms, topic_terms, per_term)
        differs = differs or found != scored_in_python(terms, topic_terms)
    assert differs  # the limit took effect somewhere


def test_a_one_word_query_gets_the_same_results_as_scoring_every_page(zoo, monkeypatch):
    monkeypatch.setattr(search, "MAX_CANDIDATES", search.MAX_RESULTS)
    monkeypatch.setattr(search, "MAX_RESULTS", 10)
    for word in WORDS:
        assert search.best_pages([word], [word]) == scored_in_python([word], [word])[:10]


def test_a_common_word_finds_title_then_summary_matches_before_the_rest(client, make, monkeypatch):
    monkeypatch.setattr(search, "MAX_CANDIDATES", 2)
    monkeypatch.setattr(search, "MIN_CANDIDATES_PER_TERM", 1)
    for number in range(5):
        make.article(f"Note {number}", body=f"Zebra crossing {number}.")
    in_summary = make.article("Crossing advice", summary="Zebra crossings.")
    in_title = make.article("Zebra crossings")
    html = client.get("/search/", {"q": "zebra"}).content.decode()
    results = html[html.index('class="search-results"') :]
    links = [part.split('"', 1)[0] for part in results.split('<h2><a href="')[1:]]
    assert links == [in_title.get_absolute_url(), in_summary.get_absolute_url()]


def test_the_search_indexes_exist():
    with connection.cursor() as cursor:
        terms = connection.introspection.get_constraints(cursor, SearchTerm._meta.db_table)
        drugs = connection.introspection.get_constraints(cursor, ArticleDrug._meta.db_table)
    assert terms["search_term_by_weight"]["columns"] == ["term", "weight", "page_id"]
    assert drugs["article_drug_by_drug"]["columns"] == ["drug_id", "article_id"]
