"""Read and write content/ Markdown files: the form editors keep in git.

content/drugs/<slug>.md and content/articles/<slug>.md hold YAML front
matter between `---` lines and a Markdown body. Importing checks every file
against the same rules as the admin before anything is written, and writes
all of them in one transaction or none at all. Exporting writes the same
format back, so export -> import -> export gives identical files.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse

from .models import (
    Article,
    ArticleDrug,
    Drug,
    Kind,
    Page,
    Population,
    Reference,
    SeeAlso,
    Severity,
    Status,
)
from .rendering import LinkTarget

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DRUG_FIELDS = ("name", "brand_names", "drug_class", "summary")
ARTICLE_FIELDS = (
    "title",
    "kind",
    "drugs",
    "severity",
    "summary",
    "see_also",
    "populations",
    "status",
    "last_reviewed",
    "reviewed_by",
    "references",
)
LIST_FIELDS = {"brand_names", "drugs", "see_also", "populations"}
SLUG_MAX = Page._meta.get_field("slug").max_length
TITLE_MAX = Reference._meta.get_field("title").max_length
URL_MAX = Reference._meta.get_field("url").max_length


@dataclass(frozen=True)
class Problem:
    path: str
    field: str
    message: str

    def __str__(self):
        where = f"{self.path}: {self.field}" if self.field else self.path
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class ContentFile:
    path: str
    model: type
    slug: str
    meta: dict
    body: str

    @property
    def title(self):
        return self.meta["name"] if self.model is Drug else self.meta["title"]

    def link_target(self):
        name = "drug_detail" if self.model is Drug else "article_detail"
        return LinkTarget(self.slug, self.title, reverse(f"interactions:{name}", args=[self.slug]))


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)


# Reading ---------------------------------------------------------------


def split_front_matter(text):
    text = text.replace("\r\n", "\n")
    if not text.startswith("---\n"):
        raise ValueError("the file must start with '---' and YAML front matter")
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise ValueError("the front matter has no closing '---' line")
    return text[4 : end + 1], text[end + 5 :].strip("\n")


def _string(value, name, problems, path, required=False):
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(Problem(path, name, "must be text"))
        return ""
    if required and not value.strip():
        problems.append(Problem(path, name, "is required"))
    return value.strip()


def _string_list(value, name, problems, path):
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(path, name, "must be a list of text items"))
        return []
    return [v.strip() for v in value]


def _date(value, path, problems):
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        problems.append(Problem(path, "last_reviewed", f"{value!r} is not a date (YYYY-MM-DD)"))
        return None


def _references(value, path, problems):
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(Problem(path, "references", "must be a list of {title, url}"))
        return []
    references = []
    validate_url = URLValidator(schemes=["http", "https"])
    for number, item in enumerate(value, start=1):
        where = f"references[{number}]"
        if not isinstance(item, dict) or set(item) != {"title", "url"}:
            problems.append(Problem(path, where, "must have exactly a title and a url"))
            continue
        title, url = item["title"], item["url"]
        if not isinstance(title, str) or not title.strip():
            problems.append(Problem(path, where, "title is required"))
            continue
        if len(title.strip()) > TITLE_MAX:
            problems.append(Problem(path, where, f"title is longer than {TITLE_MAX} characters"))
            continue
        try:
            validate_url(url)
            if len(url) > URL_MAX:
                raise ValidationError("too long")
        except ValidationError:
            problems.append(Problem(path, where, f"{url!r} is not an http(s) URL"))
            continue
        references.append({"title": title.strip(), "url": url.strip()})
    return references


def normalise_meta(raw, model, path, problems):
    """Check front matter types and return it with every field present."""
    allowed = DRUG_FIELDS if model is Drug else ARTICLE_FIELDS
    for unknown in sorted(set(raw) - set(allowed)):
        problems.append(Problem(path, unknown, f"unknown field (allowed: {', '.join(allowed)})"))
    meta = {}
    for name in allowed:
        value = raw.get(name)
        if name in LIST_FIELDS:
            meta[name] = _string_list(value, name, problems, path)
        elif name == "last_reviewed":
            meta[name] = _date(value, path, problems)
        elif name == "references":
            meta[name] = _references(value, path, problems)
        else:
            meta[name] = _string(value, name, problems, path, required=name in ("name", "title"))
    if model is Article:
        choices = {
            "kind": Kind.values,
            "severity": ["", *Severity.values],
            "status": Status.values,
        }
        if not meta["status"]:
            meta["status"] = Status.DRAFT
        for name, values in choices.items():
            if meta[name] not in values:
                allowed_values = ", ".join(v for v in values if v)
                problems.append(
                    Problem(path, name, f"{meta[name]!r} is not one of: {allowed_values}")
                )
    return meta


def read_file(path, model, label):
    problems = []
    slug = path.stem
    if not SLUG_RE.match(slug):
        problems.append(
            Problem(label, "slug", f"file name {slug!r} must be lower-case words joined by '-'")
        )
    elif len(slug) > SLUG_MAX:
        problems.append(Problem(label, "slug", f"file name is longer than {SLUG_MAX} characters"))
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(Problem(label, "", f"is not UTF-8 text (byte {error.start})"))
        return None, problems
    try:
        front, body = split_front_matter(text)
        raw = yaml.safe_load(front) or {}
    except yaml.YAMLError as error:
        problems.append(Problem(label, "front matter", f"invalid YAML: {error}"))
        return None, problems
    except ValueError as error:
        problems.append(Problem(label, "front matter", str(error)))
        return None, problems
    if not isinstance(raw, dict):
        problems.append(Problem(label, "front matter", "must be a mapping of field: value"))
        return None, problems
    meta = normalise_meta(raw, model, label, problems)
    return ContentFile(label, model, slug, meta, body), problems


def read_directory(directory):
    directory = Path(directory)
    files, problems = [], []
    if not directory.is_dir():
        raise ContentError([Problem(str(directory), "", "is not a directory")])
    if not any((directory / sub).is_dir() for sub in ("drugs", "articles")):
        raise ContentError([Problem(str(directory), "", "has no drugs/ or articles/ folder")])
    for sub, model in (("drugs", Drug), ("articles", Article)):
        for path in sorted((directory / sub).glob("*.md")):
            label = str(path.relative_to(directory.parent) if directory.parent else path)
            content_file, file_problems = read_file(path, model, label)
            problems.extend(file_problems)
            if content_file and not file_problems:
                files.append(content_file)
    return files, problems


# Checking ---------------------------------------------------------------


def build_page(content_file, existing=None):
    """An unsaved Drug or Article holding the file's scalar fields."""
    meta = content_file.meta
    page = existing or content_file.model(slug=content_file.slug)
    page.summary = meta["summary"]
    page.body = content_file.body
    if content_file.model is Drug:
        page.title = meta["name"]
        page.brand_names = "\n".join(meta["brand_names"])
        page.drug_class = meta["drug_class"]
    else:
        page.title = meta["title"]
        for name in ("kind", "severity", "status", "last_reviewed", "reviewed_by"):
            setattr(page, name, meta[name])
    return page


def check(files, existing):
    """Every problem with the files, judged against each other and the database."""
    problems = []
    by_slug = {}
    for content_file in files:
        if content_file.slug in by_slug:
            other = by_slug[content_file.slug].path
            problems.append(Problem(content_file.path, "slug", f"duplicate slug (also {other})"))
            continue
        by_slug[content_file.slug] = content_file
        page = existing.get(content_file.slug)
        if page is not None and not isinstance(page.specific, content_file.model):
            kind = type(page.specific).__name__.lower()
            problems.append(
                Problem(content_file.path, "slug", f"{content_file.slug!r} is already a {kind}")
            )

    targets = {slug: page.link_target() for slug, page in existing.items()}
    targets.update({slug: f.link_target() for slug, f in by_slug.items()})
    drug_slugs = {s for s, p in existing.items() if isinstance(p.specific, Drug)}
    drug_slugs |= {s for s, f in by_slug.items() if f.model is Drug}
    population_slugs = set(Population.objects.values_list("slug", flat=True))

    for content_file in by_slug.values():
        path, meta = content_file.path, content_file.meta
        page = build_page(content_file, None)
        errors = page.validation_errors(resolve=targets.get)
        try:
            page.clean_fields(exclude=["slug", "body_html", "toc"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
        if content_file.model is Article:
            for slug in meta["drugs"]:
                if slug not in drug_slugs:
                    errors.setdefault("drugs", []).append(f"{slug!r} is not a drug")
            for slug in meta["see_also"]:
                if slug not in targets:
                    errors.setdefault("see_also", []).append(
                        f"{slug!r} does not match any drug or article"
                    )
            for slug in meta["populations"]:
                if slug not in population_slugs:
                    allowed = ", ".join(sorted(population_slugs))
                    errors.setdefault("populations", []).append(
                        f"{slug!r} is not one of: {allowed}"
                    )
            try:
                page.clean_relations(
                    meta["drugs"], meta["populations"], meta["see_also"], meta["references"]
                )
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    errors.setdefault(name, []).extend(messages)
        rename = {"title": "name"} if content_file.model is Drug else {}
        for name, messages in errors.items():
            for message in messages if isinstance(messages, list) else [messages]:
                problems.append(Problem(path, rename.get(name, name), str(message)))
    return problems


# Importing ---------------------------------------------------------------


def document(page):
    """A page as its content file's (front matter, body)."""
    if isinstance(page, Drug):
        meta = {
            "name": page.title,
            "brand_names": page.brand_name_list,
            "drug_class": page.drug_class,
            "summary": page.summary,
        }
    else:
        meta = {
            "title": page.title,
            "kind": page.kind,
            "drugs": [drug.slug for drug in page.drug_list],
            "severity": page.severity,
            "summary": page.summary,
            "see_also": [link.target.slug for link in page.see_also_links.all()],
            "populations": [population.slug for population in page.populations.all()],
            "status": page.status,
            "last_reviewed": page.last_reviewed,
            "reviewed_by": page.reviewed_by,
            "references": [{"title": r.title, "url": r.url} for r in page.references.all()],
        }
    return meta, page.body.replace("\r\n", "\n").strip("\n")


def set_relations(article, meta):
    drugs = Drug.objects.in_bulk(meta["drugs"], field_name="slug")
    article.drug_links.all().delete()
    ArticleDrug.objects.bulk_create(
        ArticleDrug(article=article, drug=drugs[slug], position=position)
        for position, slug in enumerate(meta["drugs"])
    )
    article.populations.set(Population.objects.filter(slug__in=meta["populations"]))
    article.see_also_links.all().delete()
    pages = Page.objects.in_bulk(meta["see_also"], field_name="slug")
    SeeAlso.objects.bulk_create(
        SeeAlso(article=article, target=pages[slug], position=position)
        for position, slug in enumerate(meta["see_also"])
    )
    article.references.all().delete()
    Reference.objects.bulk_create(
        Reference(article=article, position=position, **reference)
        for position, reference in enumerate(meta["references"])
    )


def existing_pages():
    pages = Page.objects.select_related("drug", "article").prefetch_related(
        "article__drug_links__drug",
        "article__populations",
        "article__references",
        "article__see_also_links__target",
    )
    return {page.slug: page for page in pages}


def import_directory(directory, dry_run=False):
    """Check every file, then write them all or nothing. Returns an ImportReport."""
    files, problems = read_directory(directory)
    existing = existing_pages()
    problems.extend(check(files, existing))
    if problems:
        raise ContentError(problems)

    report = ImportReport()
    changed = []
    with transaction.atomic():
        for content_file in files:
            page = existing.get(content_file.slug)
            specific = page.specific if page else None
            if specific is not None and document(specific) == (
                content_file.meta,
                content_file.body,
            ):
                report.unchanged.append(content_file.slug)
                continue
            old_title = specific.title if specific else None
            specific = build_page(content_file, specific)
            specific.save(render=False)
            changed.append((content_file, specific, old_title))
            (report.updated if old_title is not None else report.created).append(content_file.slug)
        for content_file, page, _ in changed:
            if content_file.model is Article:
                set_relations(page, content_file.meta)
        for _, page, _ in changed:
            page.save()
        for _, page, old_title in changed:
            if old_title is not None and old_title != page.title:
                page.refresh_linking_pages()
        if dry_run:
            transaction.set_rollback(True)
    return report


# Exporting ---------------------------------------------------------------


def serialise(page):
    meta, body = document(page)
    if isinstance(page, Article):
        if not meta["severity"]:
            del meta["severity"]
        if meta["last_reviewed"] is None:
            del meta["last_reviewed"]
    # No line wrapping: one line per value keeps git diffs readable.
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1_000_000)
    return f"---\n{front}---\n{body}\n" if body else f"---\n{front}---\n"


def export_directory(directory):
    """Write every drug and article to DIR/drugs and DIR/articles. Returns the paths."""
    directory = Path(directory)
    written = []
    drugs = Drug.objects.all()
    articles = Article.objects.prefetch_related(
        "drug_links__drug", "populations", "references", "see_also_links__target"
    )
    for sub, pages in (("drugs", drugs), ("articles", articles)):
        (directory / sub).mkdir(parents=True, exist_ok=True)
        for page in pages:
            path = directory / sub / f"{page.slug}.md"
            path.write_text(serialise(page), encoding="utf-8")
            written.append(path)
    return written
