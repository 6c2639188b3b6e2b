"""The Content-Security-Policy blocks nothing the pages need, in a real browser."""

import json

from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect

from tests.editors import PASSWORD


def _violations(page):
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_an_article_breaks_no_rule_and_its_json_ld_is_readable(live_site, page):
    violations = _violations(page)
    page.goto(
        live_site.url + reverse("interactions:article_detail", args=["diazepam-and-mirtazapine"])
    )
    expect(page.locator("h1")).to_have_text("Can you take diazepam with mirtazapine?")
    # The stylesheet applied (style-src 'self'): the header is not unstyled.
    assert page.eval_on_selector(".site-header", "e => getComputedStyle(e).display") != "inline"
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "MedicalWebPage"
    assert violations == []
    # And the policy is enforced: an image from anywhere else is refused.
    page.evaluate(
        "() => { const i = new Image(); i.src = 'data:image/gif;base64,"
        "R0lGODlhAQABAAAAACw='; document.body.append(i); }"
    )
    expect(page.locator("h1")).to_be_visible()
    page.wait_for_timeout(200)
    assert any("img-src" in text for text in violations), violations


def test_the_markdown_editor_works_under_the_admin_policy(live_content, page):
    violations = _violations(page)
    User.objects.create_superuser("admin", password=PASSWORD)
    page.goto(live_content.url + reverse("admin:login"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(live_content.url + reverse("admin:interactions_article_add"))
    page.locator("textarea.markdownx-editor#id_body").fill("See [[diazepam]].")
    expect(page.locator(".markdownx-preview a.wikilink")).to_have_text("Diazepam")
    assert violations == []
