"""An editor writes Markdown in the admin and watches the live preview."""

from django.contrib.auth.models import Group, User
from django.urls import reverse
from playwright.sync_api import expect

from interactions.models import Drug
from tests.editors import PASSWORD

TABLE = "| Medicine | Effect |\n| --- | --- |\n| Diazepam | Sleepy |\n"


def test_editor_sees_the_live_preview_with_a_table_and_a_link(live_content, page):
    live_server = live_content
    diazepam = Drug.objects.get(slug="diazepam")
    editor = User.objects.create_user("edith", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))

    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "edith")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("edith")

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
