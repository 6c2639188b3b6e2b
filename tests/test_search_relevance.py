"""Real patient questions against the real content/: the right page first.

content/ is imported once for the module (in a transaction rolled back at
the end), so the 40-odd searches cost one import. The same answers are
expected on SQLite and PostgreSQL.
"""

import re

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

SEARCH = reverse("interactions:search")


def article(slug):
    return reverse("interactions:article_detail", args=[slug])


def drug(slug):
    return reverse("interactions:drug_detail", args=[slug])


def results(client, q):
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    listed = html[html.index('class="search-results"') :] if "search-results" in html else ""
    return html, re.findall(r'<h2><a href="([^"]+)">', listed[: listed.find("</ol>")])


# (what a patient types, the page that should come first)
FIRST_RESULTS = [
    # A medicine and a topic: the topic page for that medicine.
    ("remeron side effects", article("mirtazapine-side-effects")),
    ("side effects of sertraline", article("sertraline-side-effects")),
    ("zoloft side effects", article("sertraline-side-effects")),
    ("tramadol side effects", article("tramadol-side-effects")),
    ("Zimovane side effects", article("zopiclone-side-effects")),
    ("mirtazapine weight gain", article("mirtazapine-side-effects")),
    (
        "is mirtazapine safe in pregnancy",
        article("diazepam-and-mirtazapine-pregnancy-breastfeeding"),
    ),
    (
        "can I take mirtazapine while pregnant",
        article("diazepam-and-mirtazapine-pregnancy-breastfeeding"),
    ),
    ("diazepam breastfeeding", article("diazepam-and-mirtazapine-pregnancy-breastfeeding")),
    ("mirtazapine for children", article("diazepam-and-mirtazapine-children")),
    ("can you split mirtazapine tablets", article("splitting-mirtazapine-tablets")),
    ("what is Mirtazapine Orion", article("mirtazapine-orion-brand")),
    ("mirtazapine anorexia", article("mirtazapine-anorexia-nervosa-depression")),
    # Two medicines: their interaction, unless the question is about something else.
    ("can I take diazepam with mirtazapine", article("diazepam-and-mirtazapine")),
    ("Valium and Remeron", article("diazepam-and-mirtazapine")),
    ("codeine and zopiclone", article("codeine-and-zopiclone")),
    ("lyrica and tramadol", article("pregabalin-and-tramadol")),
    ("zydol with zoloft", article("sertraline-and-tramadol")),
    ("sertraline and tramadol serotonin syndrome", article("sertraline-and-tramadol")),
    ("is it ok to take diazepam and codeine together", article("diazepam-and-codeine")),
    ("benefits of diazepam and mirtazapine", article("diazepam-and-mirtazapine-benefits")),
    ("risks of diazepam and mirtazapine", article("diazepam-and-mirtazapine-risks")),
    (
        "diazepam and mirtazapine in pregnancy",
        article("diazepam-and-mirtazapine-pregnancy-breastfeeding"),
    ),
    ("diazepam mirtazapine elderly", article("diazepam-and-mirtazapine-older-adults")),
    # Alcohol, however it is asked.
    ("can i drink alcohol on sertraline", article("sertraline-and-alcohol")),
    ("can I drink on pregabalin", article("pregabalin-and-alcohol")),
    ("does alcohol affect codeine", article("codeine-and-alcohol")),
    ("wine with zopiclone", article("zopiclone-and-alcohol")),
    ("beer and diazepam", article("diazepam-and-alcohol")),
    # A combination product: the part we have.
    ("co-codamol and diazepam", article("diazepam-and-codeine")),
    ("co-codamol side effects", article("codeine-side-effects")),
    # One medicine, or a question its own page answers.
    ("Valium", drug("diazepam")),
    ("zimovane", drug("zopiclone")),
    ("Lyrica", drug("pregabalin")),
    ("diazepam withdrawal", drug("diazepam")),
    ("missed dose of sertraline", drug("sertraline")),
    ("what happens if i take too much codeine", drug("codeine")),
    ("stopping mirtazapine", drug("mirtazapine")),
]


@pytest.mark.parametrize(("q", "expected"), FIRST_RESULTS, ids=[q for q, _ in FIRST_RESULTS])
def test_the_most_relevant_page_comes_first(client, q, expected):
    _, links = results(client, q)
    assert links, f"nothing found for {q!r}"
    assert links[0] == expected, f"{q!r}: {links[:3]}"


def test_there_are_at_least_thirty_real_queries():
    assert len(FIRST_RESULTS) >= 30


def test_a_pair_question_still_puts_the_pair_before_each_medicine(client):
    _, links = results(client, "can I take valium with remeron")
    assert links[0] == article("diazepam-and-mirtazapine")
    assert links.index(article("diazepam-and-mirtazapine-risks")) < links.index(drug("diazepam"))
    assert links.index(drug("diazepam")) < links.index(drug("mirtazapine"))


@pytest.mark.parametrize(
    ("q", "name"),
    [
        ("zolpidem side effects", "zolpidem"),
        ("Paracetamol", "paracetamol"),
        ("GABAPENTIN", "gabapentin"),
    ],
)
def test_a_medicine_we_have_no_page_on_is_named(client, q, name):
    html, _ = results(client, q)
    assert f"We have no page on {name} yet." in html
    assert "A pharmacist can tell you about it." in html


def test_a_combination_product_is_explained(client):
    html, links = results(client, "co-codamol")
    assert "Co-codamol contains codeine and paracetamol." in html
    assert "We have no page on paracetamol yet." in html
    assert links[0] == drug("codeine")


@pytest.mark.parametrize(
    "q", ["side effects", "sleepy", "can I drive", "pregnancy", "dose", "alcohol", "codeine"]
)
def test_ordinary_words_and_our_own_medicines_are_never_called_unknown(client, q):
    html, links = results(client, q)
    assert links
    assert "We have no page on" not in html


def test_the_results_page_has_one_search_box(client):
    html, _ = results(client, "diazepam")
    assert html.count('type="search"') == 1
    assert html.count('role="search"') == 1
    assert f'<a class="search-link" href="{SEARCH}">' in html
