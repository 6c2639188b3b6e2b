import re

import pytest
from django.contrib.staticfiles import finders
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


def test_brand_names_are_a_to_z_entries_leading_to_the_medicine(client, pair):
    diazepam, mirtazapine, *_ = pair
    html = client.get(reverse("interactions:drug_list")).content.decode()
    valium = f'<li class="brand-entry">Valium – see <a href="{diazepam.get_absolute_url()}">'
    assert valium + "Diazepam</a></li>" in html
    remeron = f'<li class="brand-entry">Remeron – see <a href="{mirtazapine.get_absolute_url()}">'
    assert remeron + "Mirtazapine</a></li>" in html
    # Each brand sits under its own letter, in order with the medicines.
    r_section = html[html.index('id="letter-R"') : html.index('id="letter-V"')]
    assert "Remeron – see" in r_section
    assert html.index(">Mirtazapine<") < html.index("Remeron – see") < html.index("Valium – see")
    assert html.index("Valium – see") < html.index("Zispin SolTab – see")
    letters = html[html.index('aria-label="Jump to a letter"') :]
    letters = letters[: letters.index("</nav>")]
    assert [a for a in "DMRVZ" if f"#letter-{a}" in letters] == list("DMRVZ")


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


def test_drug_page_has_contents_with_interactions_and_reaches_them_from_the_top(client, pair):
    diazepam, *_ = pair
    html = client.get(diazepam.get_absolute_url()).content.decode()
    contents = html[html.index('id="toc-heading"') :]
    contents = contents[: contents.index("</nav>")]
    headings = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', contents)
    anchors = [anchor for anchor, _ in headings]
    assert anchors[0] == "about-diazepam"
    assert ("interactions-heading", "Interactions with diazepam (1)") in headings
    # Right after the medicine's own section on other medicines.
    other = anchors.index("taking-diazepam-with-other-medicines")
    assert anchors[other + 1] == "interactions-heading"
    # A link to the interactions comes before the contents and the body.
    quick = html.index('<ul class="quick-links">')
    assert quick < html.index('href="#interactions-heading"') < html.index('id="toc-heading"')
    assert html.index('id="toc-heading"') < html.index('class="prose"')


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


def test_urgent_help_link_is_in_the_short_answer(client, pair, make):
    *_, interaction, side_effects, _ = pair
    html = client.get(interaction.get_absolute_url()).content.decode()
    summary = html[html.index('class="summary-box"') :]
    summary = summary[: summary.index("</div>")]
    assert '<a href="#when-to-get-urgent-help">' in summary
    assert 'id="when-to-get-urgent-help"' in html
    # A page without that section gets no link to nowhere.
    html = client.get(side_effects.get_absolute_url()).content.decode()
    assert 'href="#when-to-get-urgent-help"' not in html


def test_patients_see_plain_labels_for_kinds(client, make, pair):
    diazepam, *_ = pair
    article = make.article(
        "Diazepam in pregnancy",
        kind=Kind.SPECIAL_POPULATIONS,
        drugs=[diazepam],
        populations=["pregnancy"],
    )
    for url in (
        article.get_absolute_url(),
        diazepam.get_absolute_url(),
        reverse("interactions:home"),
        reverse("interactions:article_kind_list", args=["special-populations"]),
        reverse("interactions:search") + "?q=pregnancy",
    ):
        html = client.get(url).content.decode()
        assert "Pregnancy, children and older people" in html, url
        assert "Special populations" not in html, url


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


def test_see_also_shows_six_curated_links_then_a_short_related_list(client, make, pair):
    diazepam, mirtazapine, interaction, *_ = pair
    curated = [make.article(f"Curated {n}", drugs=[mirtazapine]) for n in range(8)]
    related = [make.article(f"Related {n}", kind=Kind.BENEFITS, drugs=[diazepam]) for n in range(6)]
    article = make.article("Main page", drugs=[diazepam], see_also=curated)
    html = client.get(article.get_absolute_url()).content.decode()
    see_also = html[
        html.index('id="see-also-heading"') : html.index(
            "</nav>", html.index('id="see-also-heading"')
        )
    ]
    shown = [page.title for page in curated if f">{page.title}<" in see_also]
    assert shown == [page.title for page in curated[:6]]
    assert see_also.index("Curated 5") < see_also.index("More on diazepam")
    benefits = see_also[see_also.index("<h4>Benefits</h4>") :]
    assert [page.title for page in related if f">{page.title}<" in benefits] == [
        page.title for page in related[:4]
    ]
    assert f'href="{diazepam.get_absolute_url()}">Everything about diazepam</a>' in see_also
    assert interaction.title in see_also


def test_article_and_drug_pages_ask_was_this_helpful_without_a_csrf_token(client, pair):
    diazepam, _, interaction, *_ = pair
    for page in (interaction, diazepam):
        html = client.get(page.get_absolute_url()).content.decode()
        feedback = reverse("interactions:feedback", args=[page.pk])
        assert "Was this page helpful?" in html
        assert f'href="{feedback}?helpful=yes" rel="nofollow">Yes' in html
        assert f'href="{feedback}?helpful=no" rel="nofollow">No' in html
        assert "csrfmiddlewaretoken" not in html
        assert "<form" not in html[html.index("<main") :]


def test_favicon_is_linked_and_served(client, db):
    html = client.get(reverse("interactions:home")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
    assert finders.find("favicon.svg")


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
    """Add `count` more articles of each kind, drugs and see-also links."""
    from interactions.models import Page, SeeAlso

    start = SeeAlso.objects.count()
    for number in range(start, start + count):
        for kind in Kind.values:
            extra = {"populations": ["pregnancy"]} if kind == Kind.SPECIAL_POPULATIONS else {}
            if kind in (Kind.INTERACTION, Kind.RISKS):
                extra["body"] = make.URGENT_HELP
            make.article(f"Extra {kind} {number}", drugs=drugs, kind=kind, **extra)
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


# A cold public page (not from the page cache) makes at most this many queries.
MAX_QUERIES = 5


def test_every_public_page_makes_at_most_five_queries_whatever_it_links_to(
    client, make, pair, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    diazepam, mirtazapine, interaction, *_ = pair
    pregnancy = make.article(
        "Diazepam and mirtazapine in pregnancy",
        kind=Kind.SPECIAL_POPULATIONS,
        drugs=[diazepam, mirtazapine],
        populations=["pregnancy"],
    )
    urls = [
        reverse("interactions:home"),
        reverse("interactions:drug_list"),
        diazepam.get_absolute_url(),
        interaction.get_absolute_url(),
        pregnancy.get_absolute_url(),
        *(reverse("interactions:article_kind_list", args=[kind]) for kind in Kind.values),
        reverse("interactions:search") + "?q=diazepam+mirtazapine",
        reverse("interactions:checker") + "?drug=diazepam&drug=mirtazapine&drug=zzz",
        reverse("interactions:reviewers"),
        reverse("interactions:severity_guide"),
        reverse("sitemap"),
        reverse("sitemap_section", args=["articles"]),
        reverse("article_feed"),
    ]
    _grow(make, [diazepam, mirtazapine], interaction, 1)
    small = {url: _count_queries(client, url) for url in urls}
    _grow(make, [diazepam, mirtazapine], interaction, 12)
    large = {url: _count_queries(client, url) for url in urls}
    assert large == small
    assert {url: count for url, count in small.items() if count > MAX_QUERIES} == {}


def test_article_see_also_lists_curated_links_then_a_few_related_per_kind(client, make, pair):
    diazepam, mirtazapine, interaction, side_effects, _ = pair
    _grow(make, [diazepam, mirtazapine], interaction, 8)
    html = client.get(interaction.get_absolute_url()).content.decode()
    see_also = html[html.index('id="see-also-heading"') :]
    links = interaction.see_also_links.order_by("position").select_related("target")
    shown = [link for link in links if link.target.is_live][:6]
    hidden = [link for link in links if not link.target.is_live]
    assert hidden
    for link in shown:
        assert link.target.title in see_also
    positions = [see_also.index(f">{link.target.title}</a>") for link in shown]
    assert positions == sorted(positions)
    related = see_also[see_also.index("More on") :]
    # Four of each kind at most, never a page already in the curated list.
    for kind in Kind.values:
        assert related.count(f"Extra {kind} ") <= 4
    for link in shown:
        assert f">{link.target.title}</a>" not in related
    for link in hidden:
        assert f">{link.target.title}</a>" not in see_also
    assert interaction.title not in see_also
    assert "Everything about diazepam" in see_also


def test_kind_lists_are_split_into_pages(client, make, pair, monkeypatch):
    from interactions import views

    monkeypatch.setattr(views, "KIND_LIST_PER_PAGE", 2)
    diazepam = pair[0]
    for number in range(4):
        make.article(f"Benefit {number}", drugs=[diazepam], kind=Kind.BENEFITS)
    url = reverse("interactions:article_kind_list", args=["benefits"])
    first = client.get(url).content.decode()
    assert "Benefit 0" in first and "Benefit 1" in first and "Benefit 2" not in first
    assert "Page 1 of 2" in first
    assert 'rel="next" href="?page=2"' in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "Benefit 2" in second and "Benefit 3" in second and "Benefit 1" not in second
    assert "<title>Benefits (page 2) – MedInfo</title>" in second
    assert 'rel="prev" href="?page=1"' in second
    # A page number past the end or not a number shows a real page, never an error.
    assert client.get(url, {"page": 99}).status_code == 200
    assert client.get(url, {"page": "x"}).status_code == 200
