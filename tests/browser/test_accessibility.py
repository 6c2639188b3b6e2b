"""axe-core's WCAG 2.2 A and AA rules on every page type, light and dark,
and the keyboard path through an article."""

import json

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tests.browser.page_types import ARTICLE, assert_status, each_page_type

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    return result.violations.map((v) => ({
        rule: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.join(" ") + ": " + n.failureSummary),
    }));
}"""


def axe_violations(page, axe_source):
    page.evaluate(axe_source)
    return page.evaluate(RUN_AXE, AXE_TAGS)


@each_page_type
def test_no_accessibility_violations_in_light_or_dark(
    live_site, reused_page, axe_source, page_type
):
    page = reused_page
    page.emulate_media(color_scheme="light")
    assert_status(page_type, page.goto(live_site.url + page_type.path))
    page.evaluate(axe_source)
    light = page.evaluate(RUN_AXE, AXE_TAGS)
    page.emulate_media(color_scheme="dark")  # same page: only the colours change
    dark = page.evaluate(RUN_AXE, AXE_TAGS)
    assert light == [], f"{page_type.id} (light):\n{json.dumps(light, indent=2)}"
    assert dark == [], f"{page_type.id} (dark):\n{json.dumps(dark, indent=2)}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_error_pages_have_no_accessibility_violations(page, axe_source, scheme, template):
    page.emulate_media(color_scheme=scheme)
    page.set_content(render_to_string(template))
    violations = axe_violations(page, axe_source)
    assert violations == [], f"{template} ({scheme}):\n{json.dumps(violations, indent=2)}"


def focused(page):
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {
                id: el.id,
                classes: el.className,
                text: el.innerText.trim().slice(0, 60),
                inSeeAlso: Boolean(el.closest(".see-also")),
                inMain: Boolean(el.closest("main")),
            };
        }"""
    )


def test_keyboard_reaches_skip_link_main_and_see_also(live_site, page):
    page.goto(live_site.url + reverse("interactions:article_detail", args=[ARTICLE]))

    page.keyboard.press("Tab")
    assert focused(page)["classes"] == "skip-link"
    assert page.locator(".skip-link").is_visible()

    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    page.keyboard.press("Tab")
    first = focused(page)
    assert first["inMain"], f"the first Tab after the skip link left main: {first}"

    see_also_links = page.locator(".see-also a").count()
    assert see_also_links >= 1
    reached = []
    for _ in range(200):
        now = focused(page)
        if now["inSeeAlso"]:
            reached.append(now["text"])
            if len(reached) == see_also_links:
                break
        page.keyboard.press("Tab")
    assert len(reached) == see_also_links, f"reached only {reached}"
    assert reached[0] == page.locator(".see-also a").first.inner_text().strip()
