import datetime
import html as html_lib
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from interactions.models import Article, Drug, Kind, Status
from interactions.sitemaps import ArticleSitemap

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM_NS = {"a": "http://www.w3.org/2005/Atom"}


def _json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


def _head(html):
    return html[: html.index("</head>")]


def _meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', _head(html))
    return html_lib.unescape(match.group(1)) if match else None


def _title(html):
    return html_lib.unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))


@pytest.fixture
def content(make):
    diazepam = make.drug("Diazepam", brand_names="Valium\nStesolid", drug_class="Benzodiazepine")
    mirtazapine = make.drug("Mirtazapine", brand_names="Remeron")
    interaction = make.article(
        "Can you take diazepam with mirtazapine?",
        slug="diazepam-and-mirtazapine",
        kind=Kind.INTERACTION,
        drugs=[diazepam, mirtazapine],
        summary="Yes, sometimes, if your prescriber knows.",
        last_reviewed=datetime.date(2026, 10, 3),
        reviewed_by=make.reviewer(key="a-reviewer", name="Dr A Reviewer", role="Pharmacist"),
        references=[
            ("NHS: About diazepam", "https://www.nhs.uk/medicines/diazepam/"),
            ("MedlinePlus: Mirtazapine", "https://medlineplus.gov/druginfo/meds/a697009.html"),
        ],
    )
    drafts = [
        make.article("Draft note", drugs=[diazepam], status=Status.DRAFT),
        make.article("Review note", drugs=[diazepam], status=Status.REVIEW),
    ]
    return diazepam, mirtazapine, interaction, drafts


# JSON-LD -------------------------------------------------------------------------


def test_article_json_ld_is_a_medical_web_page_with_review_drugs_and_sources(client, content):
    diazepam, mirtazapine, interaction, _ = content
    data = _json_ld(client.get(interaction.get_absolute_url()).content.decode())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == "Can you take diazepam with mirtazapine?"
    assert data["description"] == "Yes, sometimes, if your prescriber knows."
    assert data["url"] == "http://testserver/articles/diazepam-and-mirtazapine/"
    assert data["lastReviewed"] == "2026-10-03"
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr A Reviewer",
        "jobTitle": "Pharmacist",
    }
    assert data["about"] == [
        {
            "@type": "Drug",
            "name": "Diazepam",
            "url": "http://testserver/drugs/diazepam/",
            "alternateName": ["Valium", "Stesolid"],
            "drugClass": {"@type": "DrugClass", "name": "Benzodiazepine"},
        },
        {
            "@type": "Drug",
            "name": "Mirtazapine",
            "url": "http://testserver/drugs/mirtazapine/",
            "alternateName": ["Remeron"],
        },
    ]
    assert data["citation"] == [
        {
            "@type": "CreativeWork",
            "name": "NHS: About diazepam",
            "url": "https://www.nhs.uk/medicines/diazepam/",
        },
        {
            "@type": "CreativeWork",
            "name": "MedlinePlus: Mirtazapine",
            "url": "https://medlineplus.gov/druginfo/meds/a697009.html",
        },
    ]


def test_json_ld_cannot_be_broken_out_of(client, make):
    drug = make.drug("Diazepam", brand_names="</script><script>alert(1)</script>")
    title = "Tricky </script><!-- & title"
    article = make.article(title, slug="tricky", drugs=[drug], summary="<b>bold</b> & more")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    data = _json_ld(html)
    assert data["name"] == title
    assert data["description"] == "<b>bold</b> & more"
    assert data["about"][0]["alternateName"] == ["</script><script>alert(1)</script>"]


def test_drug_json_ld_names_brand_names(client, content):
    diazepam, *_ = content
    data = _json_ld(client.get(diazepam.get_absolute_url()).content.decode())
    assert data["@type"] == "MedicalWebPage"
    assert data["about"]["@type"] == "Drug"
    assert data["about"]["alternateName"] == ["Valium", "Stesolid"]


def test_home_page_describes_the_site_search(client, db):
    data = _json_ld(client.get(reverse("interactions:home")).content.decode())
    assert data["@type"] == "WebSite"
    assert data["potentialAction"]["target"] == "http://testserver/search/?q={search_term_string}"


# Titles, descriptions, canonical links, Open Graph ----------------------------------


def _public_urls():
    return [
        reverse("interactions:home"),
        reverse("interactions:drug_list"),
        reverse("interactions:checker"),
        reverse("interactions:severity_guide"),
        reverse("interactions:search"),
        *(reverse("interactions:article_kind_list", args=[kind]) for kind in Kind.values),
        *(drug.get_absolute_url() for drug in Drug.objects.all()),
        *(article.get_absolute_url() for article in Article.objects.published()),
    ]


def test_canonical_link_drops_the_query_string(client, content):
    diazepam, *_ = content
    html = client.get(diazepam.get_absolute_url() + "?utm_source=x").content.decode()
    assert '<link rel="canonical" href="http://testserver/drugs/diazepam/">' in html


def test_site_url_setting_is_used_for_absolute_addresses(client, content, settings):
    settings.SITE_URL = "https://medinfo.example"
    _, _, interaction, _ = content
    html = client.get(interaction.get_absolute_url()).content.decode()
    canonical = "https://medinfo.example/articles/diazepam-and-mirtazapine/"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert _json_ld(html)["url"] == canonical
    sitemap = client.get(reverse("sitemap")).content.decode()
    assert "<loc>https://medinfo.example/sitemap-drugs.xml</loc>" in sitemap
    drugs = client.get(reverse("sitemap_section", args=["drugs"])).content.decode()
    assert "<loc>https://medinfo.example/drugs/diazepam/</loc>" in drugs
    robots = client.get(reverse("robots_txt")).content.decode()
    assert "Sitemap: https://medinfo.example/sitemap.xml" in robots
    feed = client.get(reverse("article_feed")).content.decode()
    assert 'href="https://medinfo.example/articles/diazepam-and-mirtazapine/"' in feed


def test_not_found_pages_have_no_canonical_link(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert 'rel="canonical"' not in response.content.decode()


# Sitemap and robots.txt -----------------------------------------------------------


def _xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def _sitemap(client):
    """{address: lastmod} over every section page the sitemap index lists."""
    urls = {}
    for section in _xml(client, reverse("sitemap")).findall("s:sitemap", SITEMAP_NS):
        root = _xml(client, section.find("s:loc", SITEMAP_NS).text)
        urls.update(
            (
                url.find("s:loc", SITEMAP_NS).text,
                getattr(url.find("s:lastmod", SITEMAP_NS), "text", None),
            )
            for url in root.findall("s:url", SITEMAP_NS)
        )
    return urls


def test_sitemap_lists_every_published_page_with_lastmod_and_no_drafts(client, content):
    diazepam, mirtazapine, interaction, drafts = content
    urls = _sitemap(client)
    for page in (diazepam, mirtazapine, interaction):
        loc = f"http://testserver{page.get_absolute_url()}"
        assert urls[loc] == page.updated.date().isoformat()
    for draft in drafts:
        assert f"http://testserver{draft.get_absolute_url()}" not in urls
    assert "http://testserver/" in urls
    assert "http://testserver/interactions/check/" in urls


def test_sitemap_is_split_into_pages_of_a_fixed_size(
    client, db, make, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    drug = make.drug()
    articles = [make.article(f"Article {n}", drugs=[drug], kind="benefits") for n in range(5)]
    with django_assert_max_num_queries(5):
        index = _xml(client, reverse("sitemap"))
    sections = [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS)]
    article_pages = [url for url in sections if "sitemap-articles.xml" in url]
    assert article_pages == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-articles.xml?p=2",
        "http://testserver/sitemap-articles.xml?p=3",
    ]
    for url in article_pages:
        with django_assert_max_num_queries(2):
            root = _xml(client, url)
        assert len(root.findall("s:url", SITEMAP_NS)) <= 2
    assert set(_sitemap(client)) >= {f"http://testserver{a.get_absolute_url()}" for a in articles}


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get(reverse("robots_txt"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "User-agent: *" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text
    assert "Disallow: /search/" in text


def test_search_and_checker_results_are_not_indexed(client, content):
    search = client.get(reverse("interactions:search"), {"q": "diazepam"}).content.decode()
    assert '<meta name="robots" content="noindex">' in search
    checker = client.get(reverse("interactions:checker"), {"drug": ["a", "b"]}).content.decode()
    assert '<meta name="robots" content="noindex">' in checker
    form = client.get(reverse("interactions:checker")).content.decode()
    assert 'name="robots"' not in form


# Atom feed -----------------------------------------------------------------------


def test_feed_lists_recent_published_articles_newest_review_first(client, make, content):
    diazepam, _, interaction, drafts = content
    newer = make.article(
        "Newer article", drugs=[diazepam], last_reviewed=datetime.date(2026, 11, 20)
    )
    response = client.get(reverse("article_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall("a:entry", ATOM_NS)
    titles = [entry.find("a:title", ATOM_NS).text for entry in entries]
    assert titles == ["Newer article", interaction.title]
    first = entries[0]
    assert first.find("a:updated", ATOM_NS).text.startswith("2026-11-20")
    assert (
        first.find("a:link", ATOM_NS).get("href") == f"http://testserver{newer.get_absolute_url()}"
    )
    assert first.find("a:summary", ATOM_NS).text == newer.summary
    for draft in drafts:
        assert draft.title not in response.content.decode()


def test_feed_is_linked_from_every_page(client, db):
    html = client.get(reverse("interactions:home")).content.decode()
    feed = reverse("article_feed")
    assert '<link rel="alternate" type="application/atom+xml"' in html and feed in _head(html)
