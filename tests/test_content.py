"""The shipped content/ is safe to publish: sources, review data, structure,
complete pairs and plain language, checked on the imported pages."""

from itertools import combinations

import pytest
from django.urls import reverse

from interactions.models import Article, Drug, Kind, Page, Status, missing_sections
from interactions.readability import TARGET_GRADE, reading_grade, text_grade
from tests.test_render import TagCollector

pytestmark = pytest.mark.usefixtures("seeded")

FOUNDING_SEE_ALSO = (
    "mirtazapine-anorexia-nervosa-depression",
    "splitting-mirtazapine-tablets",
    "mirtazapine-orion-brand",
)


def published_pages():
    pages = Page.objects.live().select_related("drug", "article", "reviewed_by")
    return [page.specific for page in pages.prefetch_related("references")]


def medicine_names():
    return [name for drug in Drug.objects.all() for name in (drug.title, *drug.brand_name_list)]


def test_every_page_is_published_with_https_sources_and_review_data():
    pages = published_pages()
    assert len(pages) == Page.objects.count() >= 51
    for page in pages:
        urls = [reference.url for reference in page.references.all()]
        assert urls and all(url.startswith("https://") for url in urls), page.slug
        assert page.last_reviewed and page.reviewed_by, page.slug


def test_the_shipped_review_is_labelled_as_an_editorial_check(client):
    reviewers = {page.reviewed_by for page in published_pages()}
    assert all(not reviewer.clinical for reviewer in reviewers)
    html = client.get(reverse("interactions:article_detail", args=["diazepam-and-codeine"]))
    assert "an editorial check against the sources above, not a review by a doctor" in (
        html.content.decode()
    )
    assert "Reviewed by" not in html.content.decode()


def test_every_drug_page_has_every_hub_section_in_order():
    for drug in Drug.objects.all():
        assert missing_sections(drug.required_sections(), drug.toc) == [], drug.slug


def test_interaction_and_risk_pages_say_when_to_get_urgent_help():
    for article in Article.objects.filter(kind__in=[Kind.INTERACTION, Kind.RISKS]):
        assert 'id="when-to-get-urgent-help"' in article.body_html, article.slug
        assert "callout-emergency" in article.body_html, article.slug


def test_every_pair_of_medicines_has_an_interaction_article():
    pairs = {
        frozenset(pair)
        for article in Article.objects.filter(kind=Kind.INTERACTION).with_drugs()
        for pair in combinations([drug.slug for drug in article.drug_list], 2)
    }
    drugs = sorted(Drug.objects.values_list("slug", flat=True))
    assert len(drugs) >= 8
    missing = [pair for pair in combinations(drugs, 2) if frozenset(pair) not in pairs]
    assert missing == []


def test_every_summary_and_body_reads_at_grade_eight_or_lower():
    names = medicine_names()
    too_hard = []
    for page in published_pages():
        summary, body = text_grade(page.summary, names), reading_grade(page.body_html, names)
        if summary > TARGET_GRADE or body > TARGET_GRADE:
            too_hard.append((page.slug, summary, body))
    assert too_hard == []


def test_every_page_renders_with_its_sources_and_review_line(client):
    for page in published_pages():
        response = client.get(page.get_absolute_url())
        assert response.status_code == 200, page.slug
        html = response.content.decode()
        for reference in page.references.all():
            assert f'href="{reference.url.replace("&", "&amp;")}"' in html, page.slug
        assert 'class="review-line"' in html and "Checked by" in html, page.slug
        for tag, attrs in TagCollector(page.body_html).tags:
            assert not any(name.startswith("on") for name in attrs), (page.slug, tag)


def test_founding_interaction_answers_the_question_safely(client):
    article = Article.objects.get(slug="diazepam-and-mirtazapine")
    assert article.kind == Kind.INTERACTION and article.status == Status.PUBLISHED
    assert [drug.slug for drug in article.drug_list] == ["diazepam", "mirtazapine"]
    targets = [link.target.slug for link in article.see_also_links.all()]
    assert set(FOUNDING_SEE_ALSO) <= set(targets)
    html = client.get(article.get_absolute_url()).content.decode().lower()
    assert "callout-emergency" in html and "callout-urgent" in html
    assert "avoid" in html and "maoi" in html
    assert "buy now" not in html
    assert "synergistic" not in html or "not supported" in html


def test_clinical_review_fixes_stand():
    """Spot checks of the most harmful findings of the clinical review."""

    def emergency_text(slug):
        html = Page.objects.get(slug=slug, pending_for__isnull=True).body_html
        boxes = html.split('class="callout callout-emergency"')[1:]
        return " ".join(box.split("</div>")[0] for box in boxes).lower()

    assert "blister" in emergency_text("mirtazapine-side-effects")
    assert "floppy" in emergency_text("diazepam-and-mirtazapine-pregnancy-breastfeeding")
    pregnancy = Page.objects.get(slug="diazepam-and-mirtazapine-pregnancy-breastfeeding")
    assert "never sleep on a sofa or armchair with your baby" in pregnancy.body_text.lower()
    assert "maoi" in Page.objects.get(slug="mirtazapine").body_text.lower()
    assert "addiction" in Page.objects.get(slug="diazepam").body_text.lower()
    assert "avoid" in Page.objects.get(slug="diazepam-and-mirtazapine-older-adults").body_text


def test_side_effect_pages_say_how_common_effects_are():
    for article in Article.objects.filter(kind=Kind.SIDE_EFFECTS):
        assert "in 100 people" in article.body_html, article.slug


def test_brand_names_are_recorded():
    assert "Valium" in Drug.objects.get(slug="diazepam").brand_name_list
    assert "Remeron" in Drug.objects.get(slug="mirtazapine").brand_name_list


def test_drug_pages_list_their_interactions_by_severity(client):
    html = client.get(reverse("interactions:drug_detail", args=["diazepam"])).content.decode()
    section = html[html.index('id="interactions-heading"') :]
    assert section.index("severity-major") < section.index("severity-moderate")
