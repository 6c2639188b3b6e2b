"""The one Markdown -> HTML pipeline for MedInfo.

The public pages, the admin preview and the content importer all call
render_markdown(), so what an editor previews is what a patient reads.

Python-Markdown renders (tables, lists, heading ids, callouts, [[slug]]
links) with raw HTML switched off, then nh3 cleans the result against the
allow-lists below as a second line of defence.
"""

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
import nh3
from django.utils.text import slugify
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .images import images_missing_alt
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

WIKILINK_RE = r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]"
WIKILINK_SLUG_RE = re.compile(r"\[\[([^\]|]+)(?:\|[^\]]+)?\]\]")


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
    text: str = ""  # plain sentences, for search and the reading grade

    @property
    def heading_ids(self):
        return [heading_id for heading_id, _ in self.toc]

    @property
    def problems(self):
        """What must be fixed in the body before it can be saved."""
        problems = [
            f"[[{slug}]] does not match any drug or article." for slug in self.missing_slugs
        ]
        allowed = ", ".join(CALLOUT_TYPES)
        problems.extend(
            f'Unknown callout "!!! {name}": use one of {allowed}.' for name in self.unknown_callouts
        )
        problems.extend(
            f"The image {src} needs alt text: describe it in the square brackets of ![…]({src})."
            for src in self.images_missing_alt
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
    return [[token["id"], token["name"]] for token in tokens if token["level"] == 2]


def render_markdown(text, resolve):
    """Render editor Markdown to sanitised HTML.

    `resolve(slug)` returns a LinkTarget or None; a None is recorded in
    `missing_slugs` so callers can refuse the text with a message naming it.
    """
    result = Rendered(html="")
    md = markdown.Markdown(
        extensions=[
            "tables",
            "sane_lists",
            "admonition",
            "toc",
            MedInfoExtension(resolve, result),
        ],
        extension_configs={
            "toc": {"toc_depth": "2-4", "slugify": lambda value, sep: slugify(value)},
        },
        output_format="html",
    )
    html = md.convert(text or "")
    result.toc = _toc_entries(md.toc_tokens)
    result.html = sanitize(html)
    result.images_missing_alt = images_missing_alt(result.html)
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
