"""What a patient sees first on a 375×812 phone, and the paths that start there."""

import pytest
from django.urls import reverse

from interactions.models import Article, Feedback
from tests.browser.page_types import PAGE_TYPES, assert_status

PHONE = {"width": 375, "height": 812}
HEADER_LIMIT = 120


def bottom(locator):
    box = locator.bounding_box()
    return box["y"] + box["height"]


@pytest.fixture
def phone(reused_page):
    reused_page.set_viewport_size(PHONE)
    return reused_page


def test_the_header_is_compact_on_every_page_type(live_site, phone):
    for page_type in PAGE_TYPES:
        assert_status(page_type, phone.goto(live_site.url + page_type.path))
        height = phone.locator(".site-header").bounding_box()["height"]
        assert height <= HEADER_LIMIT, f"{page_type.id}: header {height}px"
        assert phone.locator(".site-header .search-link").is_visible(), page_type.id


def test_every_article_shows_its_short_answer_and_urgent_help_on_the_first_screen(live_site, phone):
    articles = list(Article.objects.published().order_by("slug"))
    with_urgent_help = 0
    for article in articles:
        phone.goto(live_site.url + article.get_absolute_url())
        assert bottom(phone.locator("h1")) <= PHONE["height"], article.slug
        answer = phone.locator(".summary-box > p:not(.severity-line):not(.urgent-link)")
        assert bottom(answer) <= PHONE["height"], article.slug
        if article.severity:
            assert bottom(phone.locator(".severity-line")) <= PHONE["height"], article.slug
        link = phone.locator(".urgent-link a")
        if phone.locator("#when-to-get-urgent-help").count():
            with_urgent_help += 1
            assert link.is_visible(), article.slug
            assert bottom(link) <= PHONE["height"], article.slug
        else:
            assert link.count() == 0, article.slug
    assert with_urgent_help >= 30


def test_the_urgent_help_link_jumps_to_the_section(live_site, phone):
    phone.goto(
        live_site.url + reverse("interactions:article_detail", args=["diazepam-and-codeine"])
    )
    phone.locator(".summary-box .urgent-link a").click()
    phone.wait_for_url("**#when-to-get-urgent-help")
    heading = phone.locator("#when-to-get-urgent-help").bounding_box()
    assert -1 <= heading["y"] < 100
    assert phone.locator(".callout-emergency").first.is_visible()


def test_a_drug_page_reaches_its_interactions_from_the_first_screen(live_site, phone):
    phone.goto(live_site.url + reverse("interactions:drug_detail", args=["diazepam"]))
    link = phone.locator(".quick-links a[href='#interactions-heading']")
    assert bottom(link) <= PHONE["height"]
    contents = phone.locator(".toc a")
    assert contents.count() >= 10
    assert "Interactions with diazepam" in phone.locator(".toc").inner_text()
    link.click()
    heading = phone.locator("#interactions-heading").bounding_box()
    assert -1 <= heading["y"] < 100


def test_search_is_one_tap_away_and_works_without_javascript(live_site, reused_no_js_page):
    page = reused_no_js_page
    page.set_viewport_size(PHONE)
    page.goto(live_site.url + reverse("interactions:drug_list"))
    page.locator(".site-header .search-link").click()
    page.wait_for_url("**/search/")
    box = page.get_by_label("Search medicines and articles")
    assert bottom(box) <= PHONE["height"]
    box.fill("remeron side effects")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    first = page.locator(".search-result h2 a").first
    assert first.inner_text() == "Side effects of mirtazapine"
    assert page.locator("input[type=search]").count() == 1


def test_unknown_medicines_are_named_in_search(live_site, reused_no_js_page):
    page = reused_no_js_page
    page.goto(live_site.url + reverse("interactions:search") + "?q=zolpidem+and+diazepam")
    assert "We have no page on zolpidem yet." in page.locator("main").inner_text()


def test_checker_results_fill_the_first_screen_after_submitting(live_site, reused_no_js_page):
    page = reused_no_js_page
    page.set_viewport_size(PHONE)
    page.goto(live_site.url + reverse("interactions:checker"))
    for number, name in enumerate(["Valium", "codeine", "alcohol", "zolpidem"], start=1):
        page.get_by_label(f"Medicine {number}", exact=True).fill(name)
    page.get_by_role("button", name="Check interactions").click()
    page.wait_for_url("**#results")
    heading = page.locator("#results-heading")
    top = heading.bounding_box()["y"]
    assert -1 <= top < 200, top
    assert bottom(heading) <= PHONE["height"]
    warning = page.locator(".adds-up")
    assert warning.bounding_box()["y"] < PHONE["height"]
    text = warning.inner_text()
    assert "Together, these risks add up" in text
    assert "Diazepam, codeine and alcohol can all slow your breathing." in text
    assert "Diazepam, codeine and alcohol can all make you sleepy." in text
    main = page.locator("main").inner_text()
    assert (
        "We have no information on zolpidem yet. This does not mean it is safe with your "
        "other medicines: ask a pharmacist."
    ) in main
    assert page.locator(".pair").count() == 3
    # The warning comes before the pairs, and the form after the results.
    assert warning.bounding_box()["y"] < page.locator(".pair").first.bounding_box()["y"]
    assert heading.bounding_box()["y"] < page.locator(".checker-form").bounding_box()["y"]


def test_feedback_works_without_javascript(live_content, no_js_page):
    page = no_js_page
    url = reverse("interactions:article_detail", args=["diazepam-and-codeine"])
    page.goto(live_content.url + url)
    page.locator(".feedback a[href$='?helpful=no']").click()
    page.wait_for_url("**/feedback/*/?helpful=no")
    assert page.get_by_label("No").is_checked()
    page.get_by_label("What could we do better? (optional)").fill("Please explain the words.")
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_url("**/thanks/")
    assert page.locator("h1").inner_text() == "Thank you for your feedback"
    saved = Feedback.objects.get()
    assert (saved.helpful, saved.comment) == (False, "Please explain the words.")
    assert saved.page.slug == "diazepam-and-codeine"
