"""A medical reviewer reads a pending change and publishes it."""

from django.urls import reverse
from playwright.sync_api import expect

from interactions import workflow
from interactions.models import Article
from tests import editors

NEW_WORD = "Zygomorphic"


def test_reviewer_sees_a_one_word_change_without_scrolling_sideways_and_publishes(
    live_content, page
):
    live_server = live_content
    reviewer = editors.reviewer()
    article = Article.objects.get(slug="diazepam-and-codeine")
    pending = workflow.start_editing(article, reviewer)
    # Change the last word of the body's longest line: far to the right if
    # the diff did not wrap.
    lines = pending.body.split("\n")
    longest = max(range(len(lines)), key=lambda index: len(lines[index]))
    words = lines[longest].rsplit(" ", 1)
    lines[longest] = f"{words[0]} {NEW_WORD}."
    pending.body = "\n".join(lines)
    workflow.save_page(pending, reviewer)
    workflow.send_for_review(pending, reviewer)

    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", reviewer.username)
    page.fill("#id_password", editors.PASSWORD)
    page.click("input[type=submit]")
    page.goto(live_server.url + editors.change_url(pending))

    added = page.locator(".review-changes ins", has_text=NEW_WORD)
    expect(added).to_be_visible()
    box = added.bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert page.locator(".review-changes del").count() == 1

    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("Published.")
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator(".prose")).to_contain_text(NEW_WORD)
