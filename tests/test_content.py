"""The shipped content/ imports cleanly and every page shows what patients need."""

import pytest
from django.urls import reverse

from interactions.models import Article, Drug, Kind, Status
from tests.test_render import TagCollector

pytestmark = pytest.mark.django_db

FOUNDING_SEE_ALSO = (
    "mirtazapine-anorexia-nervosa-depression",
    "splitting-mirtazapine-tablets",
    "mirtazapine-orion-brand",
)


def test_every_article_is_published_with_sources_and_review_line(seed_content):
    articles = Article.objects.prefetch_related("references")
    assert articles.count() >= 16
    for article in articles:
        assert article.status == Status.PUBLISHED, article.slug
        assert article.references.count() >= 2, article.slug
        assert article.last_reviewed and article.reviewed_by, article.slug


def test_every_page_renders_with_its_sources(client, seed_content):
    for page in [*Drug.objects.all(), *Article.objects.prefetch_related("references")]:
        response = client.get(page.get_absolute_url())
        assert response.status_code == 200, page.slug
        html = response.content.decode()
        if isinstance(page, Article):
            for reference in page.references.all():
                assert f'href="{reference.url.replace("&", "&amp;")}"' in html, page.slug
            assert "Last reviewed" in html
        for tag, attrs in TagCollector(page.body_html).tags:
            assert not any(name.startswith("on") for name in attrs), (page.slug, tag)


def test_founding_interaction_answers_the_question_safely(client, seed_content):
    article = Article.objects.get(slug="diazepam-and-mirtazapine")
    assert article.kind == Kind.INTERACTION and article.severity == "moderate"
    assert [drug.slug for drug in article.drug_list] == ["diazepam", "mirtazapine"]
    targets = [link.target.slug for link in article.see_also_links.all()]
    assert set(FOUNDING_SEE_ALSO) <= set(targets)
    html = client.get(article.get_absolute_url()).content.decode().lower()
    assert "callout-emergency" in html and "callout-urgent" in html
    assert "buy now" not in html
    assert "synergistic" not in html or "not supported" in html


def test_interaction_and_risk_pages_say_when_to_get_urgent_help(seed_content):
    for article in Article.objects.filter(kind__in=[Kind.INTERACTION, Kind.RISKS]):
        assert 'id="when-to-get-urgent-help"' in article.body_html, article.slug
        assert "callout-emergency" in article.body_html, article.slug


def test_side_effect_pages_say_how_common_effects_are(seed_content):
    for article in Article.objects.filter(kind=Kind.SIDE_EFFECTS):
        assert "in 100 people" in article.body_html, article.slug


def test_brand_names_are_recorded(seed_content):
    assert "Valium" in Drug.objects.get(slug="diazepam").brand_name_list
    assert "Remeron" in Drug.objects.get(slug="mirtazapine").brand_name_list


def test_drug_pages_list_their_interactions_by_severity(client, seed_content):
    html = client.get(reverse("interactions:drug_detail", args=["diazepam"])).content.decode()
    section = html[html.index('id="interactions-heading"') :]
    assert section.index("severity-major") < section.index("severity-moderate")
