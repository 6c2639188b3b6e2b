"""SEO data of the shipped content/, imported once for the module."""

import pytest
from django.urls import reverse

from interactions.models import Article, Drug
from tests.test_seo import _head, _json_ld, _meta, _public_urls, _sitemap, _title

pytestmark = pytest.mark.usefixtures("seeded")


def test_every_seed_article_has_json_ld_naming_its_review_date(client):
    for article in Article.objects.published().with_drugs():
        html = client.get(article.get_absolute_url()).content.decode()
        data = _json_ld(html)
        assert data["lastReviewed"] == article.last_reviewed.isoformat(), article.slug
        # An editorial check is never presented as a clinical review.
        assert "reviewedBy" not in data, article.slug
        assert [drug["name"] for drug in data["about"]] == [d.title for d in article.drug_list]
        assert len(data["citation"]) == article.references.count() >= 1
    diazepam = next(
        drug
        for drug in _json_ld(
            client.get(
                reverse("interactions:article_detail", args=["diazepam-side-effects"])
            ).content.decode()
        )["about"]
        if drug["name"] == "Diazepam"
    )
    assert "Valium" in diazepam["alternateName"]


def test_every_seed_page_has_a_unique_title_description_canonical_and_open_graph(client):
    titles = {}
    for url in _public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        title = _title(html)
        assert title not in titles, (url, titles.get(title))
        titles[title] = url
        canonical = f"http://testserver{url}"
        assert f'<link rel="canonical" href="{canonical}">' in _head(html), url
        assert _meta(html, "property", "og:url") == canonical, url
        assert _meta(html, "property", "og:title"), url
        assert _meta(html, "property", "og:description"), url
        assert _meta(html, "property", "og:site_name") == "MedInfo"
        assert _meta(html, "name", "description"), url


def test_descriptions_and_open_graph_come_from_the_summary(client):
    for page in [*Drug.objects.all(), *Article.objects.published()]:
        html = client.get(page.get_absolute_url()).content.decode()
        assert _meta(html, "name", "description") == page.summary, page.slug
        assert _meta(html, "property", "og:description") == page.summary, page.slug
        assert page.title in _meta(html, "property", "og:title"), page.slug
    article = Article.objects.published().first()
    html = client.get(article.get_absolute_url()).content.decode()
    assert _meta(html, "property", "og:type") == "article"


def test_sitemap_of_seed_content_matches_the_published_pages(client):
    urls = _sitemap(client)
    pages = [*Drug.objects.all(), *Article.objects.published()]
    page_urls = {f"http://testserver{page.get_absolute_url()}" for page in pages}
    listings = {f"http://testserver{url}" for url in _public_urls()} - page_urls
    listings.remove("http://testserver" + reverse("interactions:search"))
    assert set(urls) == page_urls | listings
    assert all(urls[url] for url in page_urls)
