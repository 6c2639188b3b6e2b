import inspect
import re
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from interactions.rendering import (
    ALLOWED_TAGS,
    TOO_DEEP,
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


# Limits: nothing an editor types keeps a worker busy or becomes a 500. ----

SLOW_OR_DEEP = {
    "10,000 [": ("[" * 10_000, "“[” or “(” that are never closed"),
    "5,000 [a": ("[a " * 5_000, "“[” or “(” that are never closed"),
    "3,000 [a](": ("[a](" * 3_000, "“[” or “(” that are never closed"),
    "500 nested lists": ("- " * 500, "nested more than 20 levels deep"),
    "100 nested lists, indented": ("".join("    " * i + "- a\n" for i in range(100)), "nested"),
    "5,000 nested quotes": ("> " * 5_000, "nested more than 20 levels deep"),
    "200 nested quote lines": ("".join(">" * i + " a\n" for i in range(0, 600, 3)), "nested"),
    "100,000 *": ("*" * 100_000, "formatting characters"),
    "30,000 *a*": ("*a* " * 30_000, "formatting characters"),
    "30,000 [[a]]": ("[[a]] " * 30_000, "formatting characters"),
    "40,000 headings": ("## a\n" * 40_000, "lines; a page can have at most 3,000"),
    "one huge paragraph": ("word " * 30_000, "Break it up with blank lines"),
}


@pytest.mark.parametrize(("text", "message"), SLOW_OR_DEEP.values(), ids=SLOW_OR_DEEP.keys())
def test_pathological_input_is_refused_quickly_with_a_message(text, message):
    started = time.perf_counter()
    result = render_markdown(text, resolve)
    assert time.perf_counter() - started < 2
    assert result.html == ""
    assert any(message in problem for problem in result.problems), result.problems


def test_text_over_200_kb_is_refused_with_its_size():
    result = render_markdown("a" * (200 * 1024 + 1), resolve)
    assert result.html == ""
    assert result.problems == [
        "The text is 200.0\xa0KB; a page can be at most 200.0\xa0KB. Split it into shorter pages."
    ]


def test_largest_allowed_text_of_every_shape_renders_in_under_two_seconds():
    """Text just inside every limit at once still renders, fast."""
    paragraph = "Plain words in a sentence. " * 60 + "[[diazepam]] *stress* `code`\n\n"
    nested = "".join("    " * i + "- level\n" for i in range(20)) + "\n"
    table = "| A | B |\n| - | - |\n" + "| x | y |\n" * 150 + "\n"
    text = paragraph * 110 + nested * 10 + table + "## Heading\n\n" * 100
    assert 180 * 1024 < len(text) < 200 * 1024
    started = time.perf_counter()
    result = render_markdown(text, resolve)
    assert time.perf_counter() - started < 2
    assert result.problems == []
    assert result.html.count("<li>") == 200 and result.html.count("<tr>") == 151


def test_recursion_too_deep_for_the_stack_becomes_a_problem():
    """A shape the checks let through that still exhausts the stack (here a
    smaller stack) is reported, not raised."""
    nested = "".join("    " * i + "- level\n" for i in range(20))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 80)
    try:
        result = render_markdown(nested, resolve)
    finally:
        sys.setrecursionlimit(limit)
    assert result.html == ""
    assert result.problems == [TOO_DEEP]


def test_ordinary_brackets_and_lists_are_not_refused():
    text = "A (short) aside [[diazepam|with a link]] [and text]\n\n- one\n    - two\n\n> quote"
    result = render_markdown(text, resolve)
    assert result.problems == []
    assert "<blockquote>" in result.html


# Headings: "On this page" names and ids. --------------------------------


def test_toc_names_are_plain_text_escaped_only_by_the_template():
    result = render_markdown("## Alcohol & driving\n\n## Tablets <5 mg", resolve)
    assert result.toc == [
        ["alcohol-driving", "Alcohol & driving"],
        ["tablets-5-mg", "Tablets <5 mg"],
    ]
    assert '<h2 id="alcohol-driving">Alcohol &amp; driving</h2>' in result.html


@pytest.mark.django_db
def test_toc_link_on_the_public_page_is_escaped_once(client, make):
    article = make.article(
        "Alcohol",
        body="## Alcohol & driving\n\nText.\n\n## What to do\n\nText.",
        status="published",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="#alcohol-driving">Alcohol &amp; driving</a>' in html
    assert "&amp;amp;" not in html


def test_heading_ids_never_take_the_page_templates_ids():
    text = "\n\n".join(
        f"## {title}"
        for title in (
            "Sources heading",
            "See also heading",
            "Toc heading",
            "Interactions heading",
            "Main content",
            "Main",
            "Summary",
            "Summary of the risks",
            "Kind words",
            "When to get urgent help",
        )
    )
    assert render_markdown(text, resolve).heading_ids == [
        "section-sources-heading",
        "section-see-also-heading",
        "section-toc-heading",
        "section-interactions-heading",
        "section-main-content",
        "section-main",
        "section-summary",
        "section-summary-of-the-risks",
        "section-kind-words",
        "when-to-get-urgent-help",
    ]


def test_repeated_and_empty_headings_get_unique_ids():
    result = render_markdown("## Doses\n\n### Doses\n\n## Doses\n\n## !!!\n\n## ???", resolve)
    ids = re.findall(r'<h\d id="([^"]+)"', result.html)
    assert ids == ["doses", "doses_1", "doses_2", "section", "section_1"]


@pytest.mark.django_db
def test_every_id_on_a_public_page_is_unique(client, make):
    drug = make.drug("Diazepam", status="published")
    body = "## Sources heading\n\nA.\n\n## See also heading\n\nB.\n\n## Kind-interaction\n\nC."
    article = make.article(
        "Diazepam and alcohol", body=body, drugs=[drug], see_also=[drug], status="published"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert "sources-heading" in ids and "see-also-heading" in ids and "toc-heading" in ids
    assert len(ids) == len(set(ids)), sorted(ids)


# Images: only our own uploads. -------------------------------------------


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/pixel.png",
        "//evil.example/media/images/a.png",
        "http://testserver/media/images/a.png",
        "/media/images/../secret.png",
        "/media/images/sub/a.png",
        "/media/images/a.svg",
        "/media/a.png",
        "/static/logo.png",
        "/media/images/a.png?track=1",
    ],
)
def test_images_from_anywhere_but_our_uploads_are_a_problem(src):
    result = render_markdown(f"![A white tablet]({src})", resolve)
    assert result.foreign_images == [result.foreign_images[0]]
    assert any(p.startswith("Images must be uploaded here: ") for p in result.problems)


def test_uploaded_images_are_allowed():
    result = render_markdown(
        "![A white tablet](/media/images/0123456789abcdef0123456789abcdef.png)", resolve
    )
    assert result.problems == []
    assert '<img alt="A white tablet" src="/media/images/' in result.html
