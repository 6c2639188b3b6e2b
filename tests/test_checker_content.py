"""The checker against the real content/, imported once for the module."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from interactions.checker import NO_INFORMATION, UNKNOWN_MEDICINE
from tests.test_checker import CHECKER, GUIDE, _check, _pairs, _results

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def test_seed_pair_is_listed_with_its_severity_and_article(client):
    html = _results(_check(client, "diazepam", "mirtazapine"))
    assert _pairs(html) == [("Diazepam and Mirtazapine", "moderate")]
    assert "How serious:" in html and "Moderate" in html
    article = reverse("interactions:article_detail", args=["diazepam-and-mirtazapine"])
    assert f'href="{article}"' in html
    assert NO_INFORMATION not in html


def test_brand_names_and_any_case_resolve_in_the_content(client):
    html = _check(client, "VALIUM", "remeron")
    assert _pairs(_results(html)) == [("Diazepam and Mirtazapine", "moderate")]
    assert '<span class="resolved">(Diazepam)</span>' in html
    assert '<span class="resolved">(Mirtazapine)</span>' in html


def test_seed_special_population_articles_are_listed(client):
    html = _results(_check(client, "diazepam", "mirtazapine"))
    population = html[html.index("Pregnancy, children and older people") :]
    for slug in (
        "diazepam-and-mirtazapine-pregnancy-breastfeeding",
        "diazepam-and-mirtazapine-children",
        "diazepam-and-mirtazapine-older-adults",
    ):
        assert reverse("interactions:article_detail", args=[slug]) in population


def test_near_spellings_ask_did_you_mean_and_keep_what_was_typed(client):
    html = _check(client, "diazapam", "mirtazapine")
    assert "Did you mean Diazepam?" in html
    assert 'value="diazapam"' in html
    assert 'id="results-heading"' not in html
    link = re.search(r'Did you mean <a href="([^"]+)">Diazepam</a>', html).group(1)
    fixed = html_lib.unescape(link)
    assert fixed == f"{CHECKER}?drug=Diazepam&drug=mirtazapine#results"
    assert _pairs(_results(client.get(fixed).content.decode())) == [
        ("Diazepam and Mirtazapine", "moderate")
    ]


def test_misspelt_brand_names_suggest_the_brand(client):
    html = _check(client, "Valum", "Remeron")
    assert "Did you mean Valium?" in html


def test_a_common_medicine_without_a_page_is_named_in_the_content(client):
    html = _results(_check(client, "diazepam", "ZOLPIDEM", "mirtazapine"))
    assert UNKNOWN_MEDICINE.format(name="zolpidem") in html
    assert _pairs(html) == [("Diazepam and Mirtazapine", "moderate")]
    # One medicine we know and one we do not is still an answer, not an error.
    html = _results(_check(client, "sertraline", "gabapentin"))
    assert UNKNOWN_MEDICINE.format(name="gabapentin") in html
    assert _pairs(html) == []
    assert "Please check what you entered" not in html


def test_combination_products_resolve_to_their_parts(client):
    html = _check(client, "co-codamol", "diazepam")
    results = _results(html)
    assert "Co-codamol contains codeine and paracetamol." in results
    assert UNKNOWN_MEDICINE.format(name="paracetamol") in results
    assert _pairs(results) == [("Codeine and Diazepam", "major")]
    assert '<span class="resolved">(codeine and paracetamol)</span>' in html
    assert 'value="co-codamol"' in html
    # The combination on its own is two medicines; with codeine, codeine counts once.
    html = _check(client, "Co-Codamol", "codeine")
    assert "“Co-Codamol” and “codeine” both contain codeine, so it is checked once." in html
    assert UNKNOWN_MEDICINE.format(name="paracetamol") in _results(html)
    assert '<option value="Co-codamol">' in html


def test_shared_effects_get_one_combined_warning_above_the_pairs(client):
    html = _results(_check(client, "diazepam", "codeine", "alcohol"))
    assert html.count('class="callout callout-emergency adds-up"') == 1
    warning = html[html.index("adds-up-heading") : html.index("</section>")]
    assert "Together, these risks add up" in warning
    assert "Diazepam, codeine and alcohol can all slow your breathing." in warning
    assert "Diazepam, codeine and alcohol can all make you sleepy." in warning
    assert warning.index("Slowed breathing") < warning.index("Drowsiness")
    assert html.index("adds-up-heading") < html.index('class="pair')
    assert [names for names, _ in _pairs(html)] == [
        "Diazepam and Codeine",
        "Diazepam and Alcohol",
        "Codeine and Alcohol",
    ]


def test_the_combined_warning_names_only_the_medicines_that_share_an_effect(client):
    html = _results(_check(client, "sertraline", "mirtazapine", "tramadol"))
    warning = html[html.index("adds-up-heading") : html.index("</section>")]
    assert "Sertraline, mirtazapine and tramadol all raise serotonin" in warning
    assert "Mirtazapine and tramadol can both make you sleepy." in warning
    assert "sertraline" not in warning.split("make you sleepy")[0].rsplit("<li", 1)[1].lower()
    # No shared effect, no warning: sertraline alone has bleeding.
    html = _results(_check(client, "sertraline", "zopiclone"))
    assert "adds-up-heading" not in html


def test_results_come_before_the_form(client):
    html = _check(client, "diazepam", "mirtazapine")
    assert html.index('id="results"') < html.index('id="results-heading"')
    assert html.index('id="results-heading"') < html.index('class="checker-form"')
    assert "<legend>Check other medicines</legend>" in html
    html = _check(client, "diazepam")
    assert html.index('id="results"') < html.index("Enter at least one more medicine")
    assert html.index("Enter at least one more medicine") < html.index('class="checker-form"')
    html = _check(client)
    assert 'id="results"' not in html


def test_the_checker_has_one_name_everywhere(client):
    for url in (
        reverse("interactions:home"),
        CHECKER,
        GUIDE,
        reverse("interactions:search") + "?q=zzqx",
    ):
        html = client.get(url).content.decode()
        assert "Interaction checker" in html, url
        assert "interaction checker" not in html.replace("Interaction checker", ""), url
        assert "Check your medicines<" not in html, url


def test_duplicates_are_checked_once_with_a_note(client):
    html = _check(client, "Valium", "diazepam", "mirtazapine")
    assert (
        "“Valium” and “diazepam” are the same medicine (diazepam), so it is checked once." in html
    )
    assert _pairs(_results(html)) == [("Diazepam and Mirtazapine", "moderate")]


def test_the_same_medicine_twice_is_not_a_pair(client):
    html = _check(client, "Valium", "Diazepam")
    assert "same medicine" in html
    assert "Enter at least one more medicine" in html
    assert 'id="results-heading"' not in html
    html = _check(client, "diazepam", "DIAZEPAM")
    assert "You entered “DIAZEPAM” twice" in html


@pytest.mark.parametrize(
    "names",
    [
        ["\x00", "\x01diazepam"],
        ["diazepam", "x" * 10_000],
        ["<script>alert(1)</script>", "diazepam"],
        ["'; DROP TABLE interactions_drug; --", "%"],
        ["𝔡𝔦𝔞𝔷𝔢𝔭𝔞𝔪", "мирт"],
    ],
)
def test_strange_input_never_breaks_the_checker(client, names):
    response = client.get(CHECKER, {"drug": names})
    assert response.status_code in (200, 400)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_every_page_links_to_the_checker_in_the_main_navigation(client):
    checker = reverse("interactions:checker")
    for url in (reverse("interactions:home"), reverse("interactions:drug_list"), checker):
        html = client.get(url).content.decode()
        navigation = html[html.index('aria-label="Main"') : html.index("</nav>")]
        assert f'<a href="{checker}">Interaction checker</a>' in navigation
