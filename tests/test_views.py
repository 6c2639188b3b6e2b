import re

import pytest
from django.urls import path, reverse

import medinfo.urls
from interactions.models import Kind, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(make):
    diazepam = make.drug("Diazepam", brand_names="Valium", drug_class="Benzodiazepine")
    mirtazapine = make.drug("Mirtazapine", brand_names="Remeron\nZispin SolTab")
    interaction = make.article(
        "Can you take diazepam with mirtazapine?",
        slug="diazepam-and-mirtazapine",
        kind=Kind.INTERACTION,
        severity="moderate",
        drugs=[diazepam, mirtazapine],
        body="## What happens\n\nYou may feel sleepy.\n\n" + make.URGENT_HELP,
        references=[("NHS: About diazepam", "https://www.nhs.uk/medicines/diazepam/")],
    )
    side_effects = make.article("Diazepam side effects", drugs=[diazepam])
    draft = make.article("Draft about diazepam", drugs=[diazepam], status=Status.DRAFT)
    return diazepam, mirtazapine, interaction, side_effects, draft


def test_home_lists_drugs_kinds_and_recent_articles(client, pair):
    response = client.get(reverse("interactions:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/drugs/#letter-D"' in html
    assert 'href="/kinds/special-populations/"' in html
    assert "Can you take diazepam with mirtazapine?" in html
    assert "Draft about diazepam" not in html


def test_drug_list_is_a_to_z_with_brand_names(client, pair):
    response = client.get(reverse("interactions:drug_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(">Diazepam<") < html.index(">Mirtazapine<")
    assert "brand names: Remeron, Zispin SolTab" in html


def test_drug_page_groups_articles_and_lists_interactions(client, pair):
    diazepam, *_ = pair
    response = client.get(diazepam.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Valium" in html and "Benzodiazepine" in html
    assert 'id="interactions-heading"' in html
    assert "Can you take diazepam with mirtazapine?" in html
    assert "severity-moderate" in html and "Moderate" in html
    assert 'id="kind-side-effects"' in html
    assert "Draft about diazepam" not in html


def test_article_page_shows_everything_a_patient_needs(client, pair):
    diazepam, mirtazapine, interaction, side_effects, _ = pair
    response = client.get(interaction.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    # Breadcrumbs: Home > drug > article
    crumbs = html[html.index('aria-label="Breadcrumb"') :]
    assert crumbs.index(">Home<") < crumbs.index(">Diazepam<") < crumbs.index('aria-current="page"')
    assert html.count("<h1") == 1
    assert 'class="summary-box"' in html
    assert "How serious:" in html and "Moderate" in html
    assert 'href="#what-happens"' in html  # table of contents
    assert 'class="callout callout-emergency"' in html
    assert 'href="https://www.nhs.uk/medicines/diazepam/"' in html
    assert re.search(
        r'Reviewed by <a [^>]+>Dr Rita Reviewer</a>, pharmacist, on <time datetime="2026-11-01">'
        r"1 November 2026</time>; next review due",
        html,
    )
    assert "Medical disclaimer" in html
    # Related article sharing a drug appears under See also, grouped by kind.
    see_also = html[html.index('id="see-also-heading"') :]
    assert "Side effects" in see_also and "Diazepam side effects" in see_also
    assert "Draft about diazepam" not in html


def test_see_also_puts_curated_links_first_and_never_itself_or_drafts(client, make, pair):
    diazepam, mirtazapine, interaction, side_effects, draft = pair
    article = make.article(
        "Mirtazapine side effects",
        drugs=[mirtazapine, diazepam],
        see_also=[mirtazapine, draft, interaction],
    )
    html = client.get(article.get_absolute_url()).content.decode()
    see_also = html[html.index('id="see-also-heading"') :]
    assert see_also.index(">Mirtazapine<") < see_also.index(">Can you take diazepam")
    assert see_also.count("Can you take diazepam with mirtazapine?") == 1
    assert "Draft about diazepam" not in see_also
    assert see_also.count("Mirtazapine side effects") == 0


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW])
def test_unpublished_articles_are_404(client, make, status):
    article = make.article("Hidden", drugs=[make.drug()], status=status)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unknown_pages_get_the_friendly_404(client, db):
    for url in ("/drugs/nope/", "/articles/nope/", "/kinds/nope/", "/no/such/page/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Find a medicine in the A–Z" in response.content.decode()


def test_kind_index_lists_published_articles_of_that_kind(client, pair):
    response = client.get(reverse("interactions:article_kind_list", args=["interaction"]))
    html = response.content.decode()
    assert "<h1>Interactions</h1>" in html
    assert "Can you take diazepam with mirtazapine?" in html
    assert "Diazepam side effects" not in html


def test_pages_refuse_post(client, pair):
    assert client.post(reverse("interactions:home")).status_code == 405


def _broken_view(request):
    raise RuntimeError("a bug")


# The site's own routes plus one that fails, for the error-page test.
urlpatterns = [path("broken/", _broken_view), *medinfo.urls.urlpatterns]


@pytest.mark.urls("tests.test_views")
def test_an_unexpected_error_shows_the_friendly_500_page(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, something went wrong" in html and "pharmacist" in html


def _grow(make, drugs, interaction, count):
    """Add `count` more articles, drugs and see-also links."""
    from interactions.models import Page, SeeAlso

    start = SeeAlso.objects.count()
    for number in range(start, start + count):
        make.article(f"Extra {number}", drugs=drugs, kind=Kind.BENEFITS)
        make.drug(f"Drug {number}")
    targets = Page.objects.exclude(pk=interaction.pk).exclude(see_also_from__article=interaction)
    for position, page in enumerate(targets[:count], start=start):
        SeeAlso.objects.create(article=interaction, target=page, position=position)


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_are_small_and_do_not_grow(client, make, pair):
    diazepam, mirtazapine, interaction, *_ = pair
    urls = {
        reverse("interactions:home"): 3,
        reverse("interactions:drug_list"): 1,
        diazepam.get_absolute_url(): 4,
        reverse("interactions:article_kind_list", args=["benefits"]): 2,
        interaction.get_absolute_url(): 8,
    }
    _grow(make, [diazepam, mirtazapine], interaction, 1)
    small = {url: _count_queries(client, url) for url in urls}
    _grow(make, [diazepam, mirtazapine], interaction, 15)
    large = {url: _count_queries(client, url) for url in urls}
    assert large == small
    for url, limit in urls.items():
        assert small[url] <= limit, (url, small[url])
