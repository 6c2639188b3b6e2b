from django.urls import reverse


def test_article_page_renders_in_chromium(live_content, page):
    url = reverse("interactions:article_detail", args=["diazepam-and-mirtazapine"])
    page.goto(live_content.url + url)
    assert page.locator("h1").inner_text() == "Can you take diazepam with mirtazapine?"
    assert page.locator(".callout-emergency").count() >= 1
