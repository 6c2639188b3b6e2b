"""An editor writes Markdown in the admin and watches the live preview."""

import io

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from interactions.models import Drug
from tests.browser.test_accessibility import AXE_TAGS
from tests.editors import PASSWORD, editor
from tests.factories import URGENT_HELP

TABLE = "| Medicine | Effect |\n| --- | --- |\n| Diazepam | Sleepy |\n"
CALLOUT = '!!! key-facts "Key facts"\n    - Do not drink alcohol with diazepam.\n'

# What must look the same in the preview as on the patient page.
TEXT_STYLES = ("fontSize", "lineHeight", "fontFamily", "fontWeight", "color", "textTransform")
BOX_STYLES = (
    *TEXT_STYLES,
    "backgroundColor",
    "borderLeftWidth",
    "borderTopWidth",
    "borderLeftColor",
    "paddingTop",
    "paddingLeft",
    "marginTop",
    "marginBottom",
)
STYLES_OF = """(element, names) => {
    const style = getComputedStyle(element);
    return Object.fromEntries(names.map((name) => [name, style[name]]));
}"""


AXE_ON_EDITOR = """async (tags) => {
    const editor = document.querySelector(".markdown-editor");
    const result = await axe.run(editor, {runOnly: {type: "tag", values: tags}});
    return result.violations.map(
        (v) => v.id + ": " + v.nodes.map((n) => n.target + " " + n.failureSummary).join(", ")
    );
}"""


def styles(locator, names):
    return locator.first.evaluate(STYLES_OF, list(names))


def log_in(page, live_server):
    editor()  # a staff user in the Editors group, as in tests/editors.py
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "edith")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("Edith")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png(path, size=(120, 80)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_editor_sees_the_live_preview_with_a_table_and_a_link(live_content, page):
    live_server = live_content
    diazepam = Drug.objects.get(slug="diazepam")
    log_in(page, live_server)

    page.goto(live_server.url + reverse("admin:interactions_article_add"))
    editor_box = page.locator("textarea.markdownx-editor#id_body")
    preview = page.locator(".markdownx-preview")
    editor_box.fill(TABLE)
    expect(preview.locator("table th").first).to_have_text("Medicine")
    expect(preview.locator("td").nth(1)).to_have_text("Sleepy")

    editor_box.press("End")
    editor_box.press_sequentially("\nSee [[diazepam]] for more.")
    link = preview.locator("a.wikilink")
    expect(link).to_have_text("Diazepam")
    expect(link).to_have_attribute("href", diazepam.get_absolute_url())
    expect(preview.locator("table")).to_have_count(1)


def test_preview_is_the_public_page_with_images_and_the_kinds_rules(
    live_content, page, media, tmp_path, axe_source
):
    live_server = live_content
    log_in(page, live_server)

    # The patient page's own computed styles, to compare the preview with.
    page.goto(
        live_server.url + reverse("interactions:article_detail", args=["codeine-and-alcohol"])
    )
    public = page.locator(".prose")
    expected = {
        "p": styles(public.locator("p:not(.callout-title)"), TEXT_STYLES),
        "h2": styles(public.locator("h2"), TEXT_STYLES),
        "li": styles(public.locator("li"), TEXT_STYLES),
        "key-facts": styles(public.locator(".callout-key-facts"), BOX_STYLES),
        "emergency": styles(public.locator(".callout-emergency"), BOX_STYLES),
        "title": styles(public.locator(".callout-emergency .callout-title"), BOX_STYLES),
    }
    assert expected["p"]["fontSize"] == "18px"
    page.goto(
        live_server.url
        + reverse("interactions:article_detail", args=["diazepam-and-mirtazapine-benefits"])
    )
    expected["td"] = styles(page.locator(".prose td"), BOX_STYLES)
    expected["th"] = styles(page.locator(".prose thead th"), BOX_STYLES)

    page.goto(live_server.url + reverse("admin:interactions_article_add"))
    page.select_option("#id_kind", "interaction")
    editor_box = page.locator("textarea#id_body")
    preview = page.locator(".markdownx-preview")
    editor_box.fill(
        f"{CALLOUT}\nSee [[diazepam]].\n\n{TABLE}\n## What happens\n\nYou may feel sleepy."
    )

    # An interaction without its urgent-help section: the model's rule, shown as one types.
    problems = preview.locator(".preview-problems")
    expect(problems).to_contain_text("need a '## When to get urgent help' section")
    expect(preview.locator("table td").first).to_have_text("Diazepam")
    expect(preview.locator("a.wikilink")).to_have_text("Diazepam")

    # The preview sits beside the text on a 1280px screen.
    box, shown = editor_box.bounding_box(), preview.bounding_box()
    assert shown["x"] >= box["x"] + box["width"]
    assert shown["y"] < box["y"] + box["height"]

    # "Add image": a real file input with a label, uploading through the endpoint.
    editor_box.press("Control+End")
    page.get_by_label("Add image").set_input_files(png(tmp_path / "tablet.png"))
    status = page.locator(".markdown-editor-status")
    expect(status).to_contain_text("Image added")
    value = editor_box.input_value()
    assert "sleepy.\n\n![Describe this image](/media/images/" in value
    assert value.endswith(".png)\n\n")
    image = preview.locator("img")
    expect(image).to_have_attribute("alt", "Describe this image")
    expect(preview).to_contain_text("needs alt text")
    page.keyboard.type("A white round tablet")
    expect(image).to_have_attribute("alt", "A white round tablet")
    expect(preview).not_to_contain_text("needs alt text")
    # The image is served (by Django, as in production) and shown at its size.
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") == 120

    # The server's message reaches the editor, and nothing reaches the text.
    before = editor_box.input_value()
    (tmp_path / "notes.png").write_text("not an image")
    page.get_by_label("Add image").set_input_files(tmp_path / "notes.png")
    error = page.locator(".markdown-editor-error")
    expect(error).to_contain_text("“notes.png” is not a readable image")
    expect(error).to_have_attribute("role", "alert")
    assert editor_box.input_value() == before

    editor_box.fill(editor_box.input_value() + URGENT_HELP)
    expect(preview.locator(".callout-emergency")).to_have_count(1)
    expect(problems).to_have_count(0)

    # Same computed text and callout styles as on the patient page.
    assert styles(preview.locator("p:not(.callout-title)"), TEXT_STYLES) == expected["p"]
    assert styles(preview.locator("h2"), TEXT_STYLES) == expected["h2"]
    assert styles(preview.locator("li"), TEXT_STYLES) == expected["li"]
    assert styles(preview.locator(".callout-key-facts"), BOX_STYLES) == expected["key-facts"]
    assert styles(preview.locator(".callout-emergency"), BOX_STYLES) == expected["emergency"]
    title = preview.locator(".callout-emergency .callout-title")
    assert styles(title, BOX_STYLES) == expected["title"]
    assert styles(preview.locator("td"), BOX_STYLES) == expected["td"]
    assert styles(preview.locator("thead th"), BOX_STYLES) == expected["th"]

    # The button, messages and preview pass axe's WCAG rules, light and dark.
    page.evaluate(axe_source)
    assert page.evaluate(AXE_ON_EDITOR, AXE_TAGS) == []
    page.emulate_media(color_scheme="dark")
    assert page.evaluate(AXE_ON_EDITOR, AXE_TAGS) == []
