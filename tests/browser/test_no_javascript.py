"""With JavaScript switched off every page works: nothing public needs it."""

from django.urls import reverse

from tests.browser.page_types import assert_status, each_page_type

# JSON-LD is data, not script that runs.
RUNNABLE_SCRIPTS = "script:not([type='application/ld+json'])"


@each_page_type
def test_page_renders_fully_without_javascript(live_site, reused_no_js_page, page_type):
    page = reused_no_js_page
    assert_status(page_type, page.goto(live_site.url + page_type.path))

    assert page.locator("h1").count() == 1
    assert page.locator("h1").is_visible()
    assert len(page.locator("main").inner_text()) > 100
    assert page.locator("footer.site-footer").is_visible()
    assert "does not replace advice" in page.locator("footer").inner_text()
    # The stylesheet loaded: the header has its colour, not the default.
    background = page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator(RUNNABLE_SCRIPTS).count() == 0


def test_search_form_works_without_javascript(live_site, no_js_page):
    search = reverse("interactions:search")
    page = no_js_page
    page.goto(live_site.url + reverse("interactions:home"))

    form = page.locator(f"form[action='{search}']").first
    form.locator("[name=q]").fill("diazepam")
    form.locator("[name=q]").press("Enter")

    page.wait_for_url(f"**{search}?*")
    assert "q=diazepam" in page.url
    assert page.locator("h1").is_visible()
    assert page.locator(
        f"main a[href='{reverse('interactions:drug_detail', args=['diazepam'])}']"
    ).count()


def choose(field, slug, label):
    if field.evaluate("e => e.tagName") == "SELECT":
        field.select_option(value=slug)
    else:
        field.fill(label)


def test_checker_form_works_without_javascript(live_site, no_js_page):
    checker = reverse("interactions:checker")
    page = no_js_page
    page.goto(live_site.url + checker)

    form = page.locator(f"form[action='{checker}#results']").first
    fields = form.locator("[name=drug]")
    assert fields.count() >= 2
    choose(fields.nth(0), "diazepam", "Diazepam")
    choose(fields.nth(1), "mirtazapine", "Mirtazapine")
    form.locator("button, input[type=submit]").first.click()

    page.wait_for_url(f"**{checker}?*#results")
    assert "drug=diazepam" in page.url.lower() and "drug=mirtazapine" in page.url.lower()
    assert page.locator("h1").is_visible()
    article = reverse("interactions:article_detail", args=["diazepam-and-mirtazapine"])
    assert page.locator(f"main a[href='{article}']").count()
