"""Every article page, with its CSS (and JS: none), fits 14 KB gzipped.

bench/page_weight.py prints the same numbers for a person to read.
"""

from bench.page_weight import BUDGET, total, weigh
from interactions.models import Article


def test_every_article_page_fits_the_first_round_trip(seeded, client):
    articles = list(Article.objects.published())
    assert articles
    for article in articles:
        rows = weigh(client, article.get_absolute_url())
        assert "/static/css/site.css" in [what for what, _, _ in rows]
        assert total(rows) <= BUDGET, f"{article.slug}: {rows}"
