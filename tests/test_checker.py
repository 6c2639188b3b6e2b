import re

import pytest
from django.urls import reverse

from interactions.checker import NO_INFORMATION, UNKNOWN_MEDICINE
from interactions.models import Kind, Status

pytestmark = pytest.mark.django_db

CHECKER = reverse("interactions:checker")
GUIDE = reverse("interactions:severity_guide")


def _check(client, *names, status=200):
    response = client.get(CHECKER, {"drug": list(names)})
    assert response.status_code == status
    return response.content.decode()


def _results(html):
    assert 'id="results-heading"' in html, "no results shown"
    return html[html.index('id="results-heading"') :]


def _pairs(html):
    """(pair names, severity or None) in the order listed."""
    pairs = []
    for block in re.findall(
        r'<li class="pair[^"]*">(.*?)</li>\s*(?=<li class="pair|</ul>)', html, re.S
    ):
        names = re.search(r"<strong>(.*?)</strong>", block).group(1)
        severity = re.search(r"severity-(\w+)", block)
        pairs.append((names, severity.group(1) if severity else None))
    return pairs


@pytest.fixture
def medicines(make):
    """Four drugs: A+B minor, C+D major, B+C moderate and unknown, A+C nothing."""
    drugs = {
        name: make.drug(name, brand_names=brand)
        for name, brand in [
            ("Amberol", "Ambex"),
            ("Bluxine", ""),
            ("Cortazol", "Cortex"),
            ("Dravimab", ""),
        ]
    }
    a, b, c, d = drugs.values()
    articles = {
        "ab": make.article(
            "Amberol and Bluxine", kind=Kind.INTERACTION, severity="minor", drugs=[a, b]
        ),
        "cd": make.article(
            "Cortazol and Dravimab", kind=Kind.INTERACTION, severity="major", drugs=[c, d]
        ),
        "bc": make.article(
            "Bluxine and Cortazol", kind=Kind.INTERACTION, severity="moderate", drugs=[b, c]
        ),
        "bc-unknown": make.article(
            "Bluxine, Cortazol: new evidence",
            slug="bluxine-cortazol-new-evidence",
            kind=Kind.INTERACTION,
            severity="unknown",
            drugs=[c, b],
        ),
        "ad-draft": make.article(
            "Amberol and Dravimab draft",
            kind=Kind.INTERACTION,
            severity="major",
            drugs=[a, d],
            status=Status.DRAFT,
        ),
        "pregnancy": make.article(
            "Amberol in pregnancy",
            kind=Kind.SPECIAL_POPULATIONS,
            drugs=[a],
            populations=["pregnancy"],
        ),
        "pregnancy-draft": make.article(
            "Dravimab in children draft",
            kind=Kind.SPECIAL_POPULATIONS,
            drugs=[d],
            populations=["children"],
            status=Status.DRAFT,
        ),
    }
    return drugs, articles


# Results -----------------------------------------------------------------------


def test_pairs_with_articles_come_first_most_serious_first(client, medicines):
    html = _results(_check(client, "Amberol", "Bluxine", "Cortazol", "Dravimab"))
    assert _pairs(html) == [
        ("Cortazol and Dravimab", "major"),
        ("Bluxine and Cortazol", "moderate"),
        ("Amberol and Bluxine", "minor"),
        ("Amberol and Cortazol", None),
        ("Amberol and Dravimab", None),
        ("Bluxine and Dravimab", None),
    ]
    assert html.count(NO_INFORMATION) == 3
    no_info = html.index("Pairs we have no information on")
    assert html.index("Amberol and Bluxine") < no_info < html.index("Amberol and Cortazol")


def test_every_article_for_a_pair_is_linked_most_serious_first(client, medicines):
    _, articles = medicines
    html = _results(_check(client, "Bluxine", "Cortazol"))
    moderate = html.index(articles["bc"].get_absolute_url())
    unknown = html.index(articles["bc-unknown"].get_absolute_url())
    assert moderate < unknown
    assert _pairs(html) == [("Bluxine and Cortazol", "moderate")]


def test_drafts_are_never_used(client, medicines):
    _, articles = medicines
    html = _results(_check(client, "Amberol", "Dravimab"))
    assert _pairs(html) == [("Amberol and Dravimab", None)]
    assert NO_INFORMATION in html
    assert "draft" not in html.lower().replace("drafts", "")
    assert articles["pregnancy"].get_absolute_url() in html
    assert articles["pregnancy-draft"].get_absolute_url() not in html


def test_an_article_naming_three_drugs_covers_each_pair(client, make):
    a, b, c = make.drug("Amberol"), make.drug("Bluxine"), make.drug("Cortazol")
    make.article("All three", kind=Kind.INTERACTION, severity="major", drugs=[c, a, b])
    html = _results(_check(client, "Amberol", "Bluxine", "Cortazol"))
    assert _pairs(html) == [
        ("Amberol and Bluxine", "major"),
        ("Amberol and Cortazol", "major"),
        ("Bluxine and Cortazol", "major"),
    ]


def test_ten_medicines_are_accepted(client, make):
    names = [make.drug(f"Drug {n}").title for n in range(10)]
    html = _results(_check(client, *names))
    assert html.count(NO_INFORMATION) == 45


def test_results_can_be_bookmarked_and_the_form_works_without_javascript(client, medicines):
    html = _check(client, "Ambex", "Cortazol")
    assert f'<form class="checker-form" action="{CHECKER}#results" method="get">' in html
    assert html.count('name="drug"') >= 3
    assert 'value="Ambex"' in html and 'value="Cortazol"' in html
    assert "<script" not in html
    # The same URL gives the same results later.
    assert _pairs(_results(_check(client, "Ambex", "Cortazol"))) == [("Amberol and Cortazol", None)]


def test_names_are_offered_in_a_datalist(client, medicines):
    html = _check(client)
    datalist = html[html.index('<datalist id="drug-names">') :]
    datalist = datalist[: datalist.index("</datalist>")]
    for name in ("Amberol", "Ambex", "Cortex", "Dravimab"):
        assert f'<option value="{name}">' in datalist
    assert 'list="drug-names"' in html


def test_every_label_matches_its_input(client, medicines):
    html = _check(client, "Amberol", "Bluxine")
    for number in range(1, 5):
        assert f'<label for="drug-{number}">Medicine {number}</label>' in html
        assert f'id="drug-{number}"' in html


# Spelling and bad input --------------------------------------------------------


def test_a_name_we_do_not_know_is_named_honestly_and_the_rest_still_checked(client, medicines):
    html = _check(client, "Amberol", "Qwertyuiop", "Bluxine")
    results = _results(html)
    assert UNKNOWN_MEDICINE.format(name="Qwertyuiop") in results
    assert (
        "We have no information on Qwertyuiop yet. This does not mean it is safe with your "
        "other medicines: ask a pharmacist." in results
    )
    assert "Medicines A–Z" in results
    assert _pairs(results) == [("Amberol and Bluxine", "minor")]
    assert "Results for Amberol, Bluxine and Qwertyuiop" in results
    assert 'aria-invalid="true"' not in html


def test_no_medicines_gives_the_form_without_messages(client, medicines):
    html = _check(client)
    assert "Please check what you entered" not in html
    assert html.count('name="drug"') == 4


def test_an_empty_form_asks_for_two_medicines(client, medicines):
    response = client.get(CHECKER, {"drug": ["", " ", ""]})
    assert response.status_code == 200
    assert "Enter at least two medicines" in response.content.decode()


def test_one_medicine_asks_for_another(client, medicines):
    html = _check(client, "Amberol", "")
    assert "Enter at least one more medicine" in html
    assert 'id="results-heading"' not in html


def test_more_than_ten_medicines_is_refused_clearly(client, make):
    names = [make.drug(f"Drug {n}").title for n in range(11)]
    html = _check(client, *names, status=400)
    assert "You entered 11 medicines. The checker takes up to 10 at a time" in html
    assert 'value="Drug 10"' in html
    assert 'id="results-heading"' not in html


def test_hundreds_of_names_are_refused_without_an_error(client, db):
    html = _check(client, *(f"x{n}" for n in range(300)), status=400)
    assert "The checker takes up to 10 at a time" in html
    assert html.count('name="drug"') == 20


def test_checker_refuses_post(client, db):
    assert client.post(CHECKER).status_code == 405


# Severity guide ----------------------------------------------------------------


def test_severity_guide_explains_each_level(client, db):
    response = client.get(GUIDE)
    assert response.status_code == 200
    html = response.content.decode()
    for level in ("major", "moderate", "minor", "unknown"):
        assert f'<section id="{level}"' in html
    assert "Unknown does not mean safe" in html


def test_every_severity_badge_links_to_the_guide(client, medicines):
    drugs, articles = medicines
    pages = [
        articles["cd"].get_absolute_url(),
        drugs["Cortazol"].get_absolute_url(),
        reverse("interactions:article_kind_list", args=["interaction"]),
        reverse("interactions:search") + "?q=cortazol+dravimab",
        CHECKER + "?drug=Cortazol&drug=Dravimab",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        badges = re.findall(r'<a class="severity severity-(\w+)" href="([^"]+)"', html)
        assert badges, url
        for level, href in badges:
            assert href == f"{GUIDE}#{level}", url
        assert '<span class="severity severity-' not in html


# Queries -----------------------------------------------------------------------


def _count_queries(client, names):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from interactions import search

    search._lexicon_cache.clear()
    with CaptureQueriesContext(connection) as first:
        client.get(CHECKER, {"drug": names})  # loads the list of names once
    # Building the list of names is two queries, whatever the medicines.
    assert len(first) <= 10, [query["sql"] for query in first]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHECKER, {"drug": names}).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_medicines_or_articles(client, make, medicines):
    drugs, _ = medicines
    two = _count_queries(client, ["Amberol", "Bluxine"])
    four = _count_queries(client, list(drugs))
    extra = [make.drug(f"Extra {n}", effects=["drowsiness"]) for n in range(6)]
    for drug in extra:
        make.article(
            f"{drug.title} and Amberol", kind=Kind.INTERACTION, drugs=[drug, drugs["Amberol"]]
        )
    ten = _count_queries(client, [*drugs, *(drug.title for drug in extra)])
    assert "adds-up-heading" in _check(client, *(drug.title for drug in extra))
    assert two == four == ten
    assert ten <= 8, ten


def test_home_and_drug_pages_lead_to_the_checker(client, medicines):
    drugs, _ = medicines
    assert f'href="{CHECKER}"' in client.get(reverse("interactions:home")).content.decode()
    html = client.get(drugs["Amberol"].get_absolute_url()).content.decode()
    assert f'href="{CHECKER}?drug=Amberol"' in html
    html = _check(client, "Amberol")
    assert 'value="Amberol"' in html
    assert "Enter at least one more medicine" in html
