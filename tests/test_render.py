from html.parser import HTMLParser
from pathlib import Path

import pytest

from interactions.rendering import (
    ALLOWED_TAGS,
    LinkTarget,
    linked_slugs,
    markdownify,
    render_markdown,
)

FIXTURES = Path(__file__).parent / "fixtures" / "render"
TARGETS = {
    "diazepam": LinkTarget("diazepam", "Diazepam", "/drugs/diazepam/"),
    "diazepam-and-mirtazapine": LinkTarget(
        "diazepam-and-mirtazapine",
        "Can you take diazepam with mirtazapine?",
        "/articles/diazepam-and-mirtazapine/",
    ),
}

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onmouseover="alert(1)">hover</p>',
    '<form action="https://evil.example"><input name="q"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body{display:none}</style>",
    '[[diazepam|<img src=x onerror="alert(1)">]]',
    '<a href="vbscript:msgbox(1)">x</a>',
    "`<script>alert(1)</script>`",
]


def resolve(slug):
    return TARGETS.get(slug)


@pytest.mark.parametrize("source", sorted(FIXTURES.glob("*.md")), ids=lambda p: p.stem)
def test_golden_files(source):
    expected = source.with_suffix(".html").read_text()
    assert render_markdown(source.read_text(), resolve).html == expected


class TagCollector(HTMLParser):
    """Every real element and attribute in a fragment (escaped text is not markup)."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitizer_removes_script_vectors(payload):
    html = render_markdown(f"Before\n\n{payload}\n\nAfter", resolve).html
    for tag, attrs in TagCollector(html).tags:
        assert tag in ALLOWED_TAGS
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "style" not in attrs
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)


def test_only_allowed_tags_reach_the_page():
    html = render_markdown("\n\n".join(XSS_PAYLOADS), resolve).html
    assert {tag for tag, _ in TagCollector(html).tags} <= ALLOWED_TAGS


def test_raw_html_is_shown_as_text_not_markup():
    html = render_markdown('<b onclick="x()">bold</b>', resolve).html
    assert "<b" not in html
    assert "&lt;b onclick=" in html


def test_wikilink_uses_title_or_label():
    html = render_markdown("[[diazepam]] and [[diazepam|the diazepam page]]", resolve).html
    assert '<a class="wikilink" href="/drugs/diazepam/">Diazepam</a>' in html
    assert '<a class="wikilink" href="/drugs/diazepam/">the diazepam page</a>' in html


def test_missing_wikilink_is_reported_by_slug():
    result = render_markdown("See [[no-such-page]] and [[diazepam]].", resolve)
    assert result.missing_slugs == ["no-such-page"]
    assert result.linked_slugs == ["no-such-page", "diazepam"]
    assert "no-such-page" not in result.html.split("href")[-1]


def test_linked_slugs_without_rendering():
    assert linked_slugs("[[a]] [[b|B]] [[a]]") == ["a", "b"]


def test_toc_lists_level_two_headings_with_ids():
    result = render_markdown("## What happens\n\ntext\n\n### Detail\n\n## What to do", resolve)
    assert result.toc == [["what-happens", "What happens"], ["what-to-do", "What to do"]]
    assert '<h2 id="what-happens">' in result.html
    assert '<h3 id="detail">' in result.html


def test_unknown_callout_type_is_reported():
    result = render_markdown('!!! danger "Careful"\n    text', resolve)
    assert result.unknown_callouts == ["danger"]


def test_callout_title_is_words_in_a_labelled_box():
    html = render_markdown(
        '!!! emergency "Call 999 now if:"\n    - you cannot breathe', resolve
    ).html
    assert '<div class="callout callout-emergency">' in html
    assert '<p class="callout-title"><strong>Call 999 now if:</strong></p>' in html


@pytest.mark.django_db
def test_admin_preview_uses_the_public_pipeline(make):
    make.drug("Diazepam")
    text = "## Heading\n\n[[diazepam]] <script>alert(1)</script>"
    from interactions.models import resolve_slug

    assert markdownify(text) == render_markdown(text, resolve_slug).html
    assert 'href="/drugs/diazepam/"' in markdownify(text)
