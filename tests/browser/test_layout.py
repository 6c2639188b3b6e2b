"""What a patient sees: phone and desktop layout, type, colour schemes, print."""

from django.urls import reverse

from tests.browser.page_types import (
    ARTICLE,
    ARTICLE_WITH_TABLE,
    assert_status,
    each_page_type,
)

PHONE_WIDTHS = (320, 375)
OVERFLOW = """() => {
    const root = document.documentElement;
    const wide = [...document.querySelectorAll("body *")]
        .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 0.5)
        .slice(0, 5)
        .map((e) => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""));
    return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide};
}"""


def article_url(slug=ARTICLE):
    return reverse("interactions:article_detail", args=[slug])


@each_page_type
def test_no_horizontal_scrolling_on_a_phone(live_site, reused_page, page_type):
    page = reused_page
    page.set_viewport_size({"width": PHONE_WIDTHS[0], "height": 800})
    assert_status(page_type, page.goto(live_site.url + page_type.path))
    for width in PHONE_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        result = page.evaluate(OVERFLOW)
        assert result["scrollWidth"] <= result["clientWidth"], (
            f"{page_type.id} at {width}px: {result}"
        )


def test_article_table_fits_a_phone_and_stays_readable(live_site, page):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_site.url + article_url(ARTICLE_WITH_TABLE))
    table = page.locator(".prose table").first
    box = table.bounding_box()
    main = page.locator("main").bounding_box()
    assert box["x"] >= main["x"] and box["x"] + box["width"] <= main["x"] + main["width"]
    # Nothing scrolls sideways inside the table either, and the text stays full size.
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth")
    assert table.locator("td").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16


def test_article_screenshots_at_phone_and_desktop_widths(live_site, page, artifacts):
    page.goto(live_site.url + article_url())
    for width, scheme in ((375, "light"), (1280, "light"), (375, "dark")):
        page.emulate_media(color_scheme=scheme)
        page.set_viewport_size({"width": width, "height": 900})
        path = artifacts / f"article-{width}-{scheme}.png"
        page.screenshot(path=path, full_page=True)
        assert path.stat().st_size > 10_000


def visible_crumbs(page):
    return [
        crumb.inner_text().strip()
        for crumb in page.locator(".breadcrumbs li").all()
        if crumb.is_visible()
    ]


def test_breadcrumbs_become_one_link_back_up_on_a_phone(live_site, page):
    page.goto(live_site.url + article_url())
    assert visible_crumbs(page) == ["Home", "Diazepam", "Can you take diazepam with mirtazapine?"]
    page.set_viewport_size({"width": 375, "height": 800})
    assert visible_crumbs(page) == ["Diazepam"]
    assert page.locator(".breadcrumbs a:visible").get_attribute("href") == reverse(
        "interactions:drug_detail", args=["diazepam"]
    )


def test_callouts_are_clearly_marked(live_site, page):
    page.goto(live_site.url + article_url())
    for kind in ("key-facts", "emergency", "urgent", "routine"):
        title = page.locator(f".callout-{kind} .callout-title").first
        icon = title.evaluate("e => getComputedStyle(e, '::before').content")
        assert icon not in ("none", "normal", ""), kind
    emergency = page.locator(".callout-emergency").first
    band = emergency.locator(".callout-title").evaluate("e => getComputedStyle(e).backgroundColor")
    body = emergency.evaluate("e => getComputedStyle(e).backgroundColor")
    assert band != body and band not in ("rgba(0, 0, 0, 0)", "transparent")


def text_metrics(page):
    return page.locator(".prose > p").first.evaluate(
        """(p) => {
            const probe = document.createElement("span");
            probe.style.cssText = "display:inline-block;width:1ch;padding:0;border:0";
            p.appendChild(probe);
            const ch = probe.getBoundingClientRect().width;
            probe.remove();
            return {
                fontSize: parseFloat(getComputedStyle(p).fontSize),
                measure: p.getBoundingClientRect().width / ch,
            };
        }"""
    )


def test_body_text_is_large_with_a_readable_measure(live_site, page):
    page.goto(live_site.url + article_url())
    desktop = text_metrics(page)
    assert desktop["fontSize"] >= 16
    assert 60 <= desktop["measure"] <= 75, desktop
    page.set_viewport_size({"width": 375, "height": 800})
    assert text_metrics(page)["fontSize"] >= 16


def test_focus_is_clearly_visible(live_site, page):
    page.goto(live_site.url + article_url())
    site_name = page.locator(".site-name")
    unfocused = site_name.evaluate("e => getComputedStyle(e).backgroundColor")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    assert site_name.evaluate("e => e === document.activeElement")
    focused = site_name.evaluate("e => getComputedStyle(e).backgroundColor")
    assert focused != unfocused
    assert focused == "rgb(255, 221, 0)"


def test_severity_is_shown_by_word_shape_and_colour(live_site, page):
    page.goto(live_site.url + reverse("interactions:article_kind_list", args=["interaction"]))
    seen = {}
    for severity in ("major", "moderate"):
        badge = page.locator(f".severity-{severity}").first
        seen[severity] = badge.evaluate(
            """(b) => {
                const icon = getComputedStyle(b.querySelector(".severity-icon"));
                return {
                    word: b.textContent.trim(),
                    shape: [icon.clipPath, icon.borderRadius, icon.transform].join(" "),
                    colour: getComputedStyle(b).color,
                    iconWidth: parseFloat(icon.width),
                };
            }"""
        )
    major, moderate = seen["major"], seen["moderate"]
    assert major["word"].startswith("Major interaction")
    assert moderate["word"].startswith("Moderate interaction")
    assert major["shape"] != moderate["shape"]
    assert major["colour"] != moderate["colour"]
    assert major["iconWidth"] > 0 and moderate["iconWidth"] > 0


def background(page):
    return page.evaluate("() => getComputedStyle(document.body).backgroundColor")


def test_dark_colour_scheme_follows_the_system_setting(live_site, page):
    page.emulate_media(color_scheme="light")
    page.goto(live_site.url + article_url())
    light = background(page)
    page.emulate_media(color_scheme="dark")
    dark = background(page)
    assert light == "rgb(255, 255, 255)"
    assert dark != light
    red, green, blue = (int(v) for v in dark[4:-1].split(","))
    assert max(red, green, blue) < 64, dark


def test_print_drops_navigation_and_prints_source_urls(live_site, page):
    page.goto(live_site.url + article_url())
    assert not page.locator(".sources .print-url").first.is_visible()

    page.emulate_media(media="print")
    for navigation in (
        ".site-header",
        ".site-nav",
        ".breadcrumbs",
        ".skip-link",
        ".toc",
        ".see-also",
    ):
        assert not page.locator(navigation).is_visible(), navigation
    assert page.locator("h1").is_visible()
    assert page.locator(".callout-emergency").is_visible()
    urls = page.locator(".sources .print-url")
    assert urls.count() == page.locator(".sources li").count()
    first = urls.first
    assert first.is_visible()
    assert first.inner_text().strip() == page.locator(".sources li a").first.get_attribute("href")
