"""Search and the checker in a real browser with JavaScript switched off."""

import pytest
from django.urls import reverse


@pytest.fixture
def no_js_page(chromium):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def test_header_search_and_checker_work_without_javascript(live_content, no_js_page):
    page = no_js_page
    page.goto(live_content.url + reverse("interactions:home"))
    page.get_by_label("Search medicines and articles").fill("can I take valium with remeron")
    page.get_by_label("Search medicines and articles").press("Enter")
    page.wait_for_url("**/search/?q=*")
    first = page.locator(".search-result h2 a").first
    assert first.inner_text() == "Can you take diazepam with mirtazapine?"

    page.goto(live_content.url + reverse("interactions:checker"))
    page.get_by_label("Medicine 1", exact=True).fill("Valium")
    page.get_by_label("Medicine 2", exact=True).fill("mirtazepine")
    page.get_by_role("button", name="Check interactions").click()
    page.get_by_role("link", name="Mirtazapine").click()
    assert page.locator(".pair-names").first.inner_text() == "Diazepam and Mirtazapine"
    assert "drug=Valium&drug=Mirtazapine" in page.url
    page.locator(".pair a.severity").first.click()
    assert page.url.endswith(reverse("interactions:severity_guide") + "#moderate")
