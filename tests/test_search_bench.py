"""bench/search_bench.py builds articles in batches: the result must be what
the site's own write path would have stored, or its timings mean nothing."""

import pytest

from bench.search_bench import generate
from interactions import search
from interactions.models import Article, Page, SearchTerm
from interactions.workflow import save_page

pytestmark = pytest.mark.django_db

STORED = ["title", "summary", "body", "body_html", "body_text", "toc", "status", "version"]


def rows(pages=None):
    terms = SearchTerm.objects.all() if pages is None else SearchTerm.objects.filter(page__in=pages)
    return sorted(terms.values_list("page_id", "term", "weight"))


def test_generated_search_rows_are_what_the_site_index_writes():
    generate(articles=30, drugs=6, batch=7)
    generated = rows()
    assert generated
    assert not SearchTerm.objects.filter(page__status="draft").exists()
    assert search.rebuild_index() == Page.objects.live().count()
    assert rows() == generated


def test_generated_articles_equal_the_same_articles_saved_through_save_page():
    generate(articles=24, drugs=6, batch=5)
    generated = list(Article.objects.order_by("pk").with_drugs().prefetch_related("populations"))
    assert len(generated) == 24
    for article in generated:
        copy = Article(
            title=article.title,
            slug=f"copy-{article.slug}",
            kind=article.kind,
            severity=article.severity,
            summary=article.summary,
            body=article.body,
            status=article.status,
            last_reviewed=article.last_reviewed,
            reviewed_by=article.reviewed_by,
        )
        save_page(copy)
        copy.refresh_from_db()
        assert [getattr(copy, name) for name in STORED] == [
            getattr(article, name) for name in STORED
        ]
        assert [(t, w) for _, t, w in rows([copy])] == [(t, w) for _, t, w in rows([article])]
        assert list(copy.links.all()) == list(article.links.all()) == []
        assert article.drug_list
        expected = 1 if article.kind == "special-populations" else 0
        assert len(article.populations.all()) == expected
