"""The one Markdown -> HTML pipeline for MedInfo.

The public pages, the admin preview and the content importer all call
render_markdown(), so what an editor previews is what a patient reads.

Python-Markdown renders (tables, lists, heading ids, callouts, [[slug]]
links) with raw HTML switched off, then nh3 cleans the result against the
allow-lists below as a second line of defence.
"""

import html as html_lib
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
import nh3
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .images import foreign_images, images_missing_alt
from .readability import plain_text

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "blockquote",
        "br",
        "code",
        "dd",
        "div",
        "dl",
        "dt",
        "em",
        "h2",
        "h3",
        "h4",
        "hr",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align", "scope"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Callout types editors may write with `!!! type "Title"`, and their CSS class.
CALLOUT_TYPES = {
    "key-facts": "Key facts",
    "emergency": "Emergency",
    "urgent": "Urgent",
    "routine": "Routine",
}
ALLOWED_CLASSES = {
    "div": {"callout"} | {f"callout-{name}" for name in CALLOUT_TYPES},
    "p": {"callout-title"},
    "a": {"wikilink"},
}

# Neither part may contain "[": with it, a run of "[[[[…" made the regex try
# every later position from every "[" (10,000 brackets took half a minute).
WIKILINK_RE = r"\[\[([^\[\]|]+)(?:\|([^\[\]]+))?\]\]"
WIKILINK_SLUG_RE = re.compile(r"\[\[([^\[\]|]+)(?:\|[^\[\]]+)?\]\]")

# Limits that keep one render well under a second on any input (checked in
# linear time before rendering). Python-Markdown's costs grow with the square
# of some measures, so each is capped at several times what content/ uses:
# its largest page is 13 KB and 232 lines, its largest paragraph, list or
# table 2.6 KB and 46 lines.
MAX_MARKDOWN_BYTES = 200 * 1024
MAX_LINES = 3000
# A block (text between blank lines) is re-split into lines by every block
# parser for every line it consumes, and re-scanned by every inline pattern.
MAX_BLOCK_BYTES = 10 * 1024
MAX_BLOCK_LINES = 200
# Python-Markdown recurses once per nested list or quote level (about 500
# levels exhaust the stack); real pages use three at most. Every level of
# every line is an element, so their total is capped too.
MAX_NESTING = 20
MAX_NESTED_TOTAL = 3000
# Each of these can start an element (emphasis, link, code, cell, entity);
# the busiest page in content/ has 124. Elements cost far more than text.
MARKUP_CHARACTERS = "*_[]`<&\\|!"
MAX_MARKUP = 2000
# It looks for the closing "]" or ")" of every opening one by scanning the
# rest of the paragraph, so unclosed brackets cost n² time.
MAX_OPEN_BRACKETS = 50

# Ids the page templates give their own elements; a heading never takes one
# (or an id starting with one of the prefixes), or its "On this page" link and
# the page's own landmarks would point at the wrong element.
RESERVED_IDS = frozenset(
    {
        "main",
        "main-content",
        "content-main",
        "site-search",
        "toc-heading",
        "sources-heading",
        "see-also-heading",
        "interactions-heading",
    }
)
RESERVED_ID_PREFIXES = ("kind-", "summary")


@dataclass(frozen=True)
class LinkTarget:
    """Where a [[slug]] points: enough to render a link without a query."""

    slug: str
    title: str
    url: str


@dataclass
class Rendered:
    """Everything derived from one body, computed once by render_markdown()."""

    html: str
    toc: list = field(default_factory=list)  # [[id, heading text], ...] for h2s
    linked_slugs: list = field(default_factory=list)  # in order of first use
    missing_slugs: list = field(default_factory=list)
    unknown_callouts: list = field(default_factory=list)
    images_missing_alt: list = field(default_factory=list)
    foreign_images: list = field(default_factory=list)  # src of images not uploaded here
    refused: list = field(default_factory=list)  # why the text was not rendered at all
    text: str = ""  # plain sentences, for search and the reading grade

    @property
    def heading_ids(self):
        return [anchor for anchor, _ in self.toc]

    @property
    def problems(self):
        """What must be fixed in the body before it can be saved."""
        problems = list(self.refused)
        problems.extend(
            f"[[{slug}]] does not match any drug or article." for slug in self.missing_slugs
        )
        allowed = ", ".join(CALLOUT_TYPES)
        problems.extend(
            f'Unknown callout "!!! {name}": use one of {allowed}.' for name in self.unknown_callouts
        )
        problems.extend(
            f"The image {src} needs alt text: describe it in the square brackets of ![…]({src})."
            for src in self.images_missing_alt
        )
        problems.extend(
            f"Images must be uploaded here: {src} is not one of MedInfo's uploaded images. "
            "Remove it and add the picture with “Add image” below the editor."
            for src in self.foreign_images
        )
        return problems


def linked_slugs(text):
    """Every [[slug]] named in Markdown text, without rendering it."""
    return list(dict.fromkeys(m.strip() for m in WIKILINK_SLUG_RE.findall(text or "")))


def replace_wikilink_slug(text, old, new):
    """Point every [[old]] and [[old|label]] in Markdown text at `new`."""
    pattern = re.compile(r"\[\[\s*" + re.escape(old) + r"\s*(\|[^\]]+)?\]\]")
    return pattern.sub(lambda m: f"[[{new}{m.group(1) or ''}]]", text)


class WikiLinkProcessor(InlineProcessor):
    def __init__(self, pattern, md, resolve, result):
        super().__init__(pattern, md)
        self.resolve = resolve
        self.result = result

    def handleMatch(self, m, data):
        slug = m.group(1).strip()
        label = (m.group(2) or "").strip()
        if slug not in self.result.linked_slugs:
            self.result.linked_slugs.append(slug)
        target = self.resolve(slug)
        if target is None:
            if slug not in self.result.missing_slugs:
                self.result.missing_slugs.append(slug)
            span = etree.Element("span")
            span.text = label or slug
            return span, m.start(0), m.end(0)
        link = etree.Element("a")
        link.set("href", target.url)
        link.set("class", "wikilink")
        link.text = label or target.title
        return link, m.start(0), m.end(0)


class CalloutProcessor(Treeprocessor):
    """Turn admonition output into MedInfo's labelled callout boxes."""

    def __init__(self, md, result):
        super().__init__(md)
        self.result = result

    def run(self, root):
        for div in root.iter("div"):
            classes = div.get("class", "").split()
            if "admonition" not in classes:
                continue
            kind = next((c for c in classes if c != "admonition"), "")
            if kind not in CALLOUT_TYPES:
                self.result.unknown_callouts.append(kind)
                kind = "routine"
            div.set("class", f"callout callout-{kind}")
            for child in div:
                if child.tag == "p" and child.get("class") == "admonition-title":
                    child.set("class", "callout-title")
                    # The title carries the meaning in words, never colour alone.
                    strong = etree.Element("strong")
                    strong.text, child.text = child.text, None
                    strong.extend(list(child))
                    for grandchild in list(child):
                        child.remove(grandchild)
                    child.append(strong)


class TableScopeProcessor(Treeprocessor):
    """Header cells name their column for screen readers."""

    def run(self, root):
        for th in root.iter("th"):
            th.set("scope", "col")


class MedInfoExtension(Extension):
    def __init__(self, resolve, result, **kwargs):
        self.resolve = resolve
        self.result = result
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # Raw HTML is shown as text, never passed through.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(
            WikiLinkProcessor(WIKILINK_RE, md, self.resolve, self.result), "wikilink", 75
        )
        md.treeprocessors.register(CalloutProcessor(md, self.result), "callouts", 5)
        md.treeprocessors.register(TableScopeProcessor(md), "table_scope", 4)


def _toc_entries(tokens):
    # Python-Markdown gives names HTML-escaped; templates escape them again,
    # so they are unescaped once here ("Alcohol & driving", not "&amp;").
    return [
        [token["id"], html_lib.unescape(token["name"])] for token in tokens if token["level"] == 2
    ]


def heading_id(value, separator):
    """A heading's id: its slug, moved aside if the page template uses it."""
    slug = slugify(value) or "section"
    if slug in RESERVED_IDS or slug.startswith(RESERVED_ID_PREFIXES):
        return f"section-{slug}"
    return slug


# One level at the start of a line: a quote or list marker (and the space
# after it), a tab or four spaces of indent.
LIST_OR_QUOTE_MARKER = re.compile(r" {0,3}(?:>|[-*+](?=\s)|\d{1,9}[.)](?=\s)) ?|\t| {4}")


def _nesting_depth(line):
    """How many lists, quotes and indents a line opens before its text."""
    if not line.strip():
        return 0  # spaces on an empty line open nothing
    depth = 0
    position = 0
    while match := LIST_OR_QUOTE_MARKER.match(line, position):
        if match.end() == position:
            break
        depth += 1
        position = match.end()
    return depth


def _most_open_brackets(blocks):
    """The most "[" or "(" left open at once within any one block."""
    most = 0
    for block in blocks:
        for opening, closing in (("[", "]"), ("(", ")")):
            depth = 0
            for char in block:
                if char == opening:
                    depth += 1
                    most = max(most, depth)
                elif char == closing and depth:
                    depth -= 1
    return most


def refusals(text):
    """Why `text` is too big or too complex to render, if it is.

    Checked before rendering, in linear time, so no input can keep a worker
    busy: these are the shapes that make Python-Markdown slow or recurse.
    """
    size = len(text.encode("utf-8"))
    if size > MAX_MARKDOWN_BYTES:
        return [
            f"The text is {filesizeformat(size)}; a page can be at most "
            f"{filesizeformat(MAX_MARKDOWN_BYTES)}. Split it into shorter pages."
        ]
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        return [
            f"The text has {lines:,} lines; a page can have at most {MAX_LINES:,}. "
            "Split it into shorter pages."
        ]
    problems = []
    blocks = re.split(r"\n[ \t]*\n", text)
    if any(
        len(block.encode("utf-8")) > MAX_BLOCK_BYTES or block.count("\n") >= MAX_BLOCK_LINES
        for block in blocks
    ):
        problems.append(
            f"A paragraph, list or table is longer than {filesizeformat(MAX_BLOCK_BYTES)} or "
            f"{MAX_BLOCK_LINES} lines. Break it up with blank lines."
        )
    depths = [_nesting_depth(line) for line in text.splitlines()]
    if max(depths, default=0) > MAX_NESTING:
        problems.append(
            f"Lists, quotes or indents are nested more than {MAX_NESTING} levels deep. "
            "Use fewer levels."
        )
    elif sum(depths) > MAX_NESTED_TOTAL:
        problems.append(
            f"The text has more than {MAX_NESTED_TOTAL:,} list items, quoted or indented lines "
            "(counting each level). Split it into shorter pages."
        )
    markup = sum(text.count(char) for char in MARKUP_CHARACTERS)
    if markup > MAX_MARKUP:
        problems.append(
            f"The text has {markup:,} formatting characters (such as * _ [ ] | `); "
            f"a page can have at most {MAX_MARKUP:,}. Split it into shorter pages."
        )
    if _most_open_brackets(blocks) > MAX_OPEN_BRACKETS:
        problems.append(
            f"A paragraph has more than {MAX_OPEN_BRACKETS} “[” or “(” that are never closed. "
            "Close each bracket or remove the extra ones."
        )
    return problems


TOO_DEEP = (
    "The text is nested too deeply to show (lists, quotes or links inside each other). "
    "Use fewer levels."
)


def render_markdown(text, resolve):
    """Render editor Markdown to sanitised HTML.

    `resolve(slug)` returns a LinkTarget or None; a None is recorded in
    `missing_slugs` so callers can refuse the text with a message naming it.
    Text that is too large or too deeply nested is not rendered: `refused`
    says why, and so do `problems`, so saves and imports refuse it too.
    """
    text = text or ""
    result = Rendered(html="", refused=refusals(text))
    if result.refused:
        return result
    md = markdown.Markdown(
        extensions=[
            "tables",
            "sane_lists",
            "admonition",
            "toc",
            MedInfoExtension(resolve, result),
        ],
        extension_configs={
            "toc": {"toc_depth": "2-4", "slugify": heading_id},
        },
        output_format="html",
    )
    try:
        html = md.convert(text)
    except RecursionError:
        # A shape the checks above do not know still must not become a 500.
        return Rendered(html="", refused=[TOO_DEEP])
    result.toc = _toc_entries(md.toc_tokens)
    result.html = sanitize(html)
    result.images_missing_alt = images_missing_alt(result.html)
    result.foreign_images = foreign_images(result.html)
    result.text = plain_text(result.html)
    return result


def sanitize(html):
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        allowed_classes={tag: set(classes) for tag, classes in ALLOWED_CLASSES.items()},
        link_rel=None,
        strip_comments=True,
    )


def markdownify(text):
    """django-markdownx's preview hook: the public pipeline, live slugs."""
    from .models import resolve_slug

    return render_markdown(text, resolve_slug).html
