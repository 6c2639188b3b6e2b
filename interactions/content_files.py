"""Read and write content/ Markdown files: the form editors keep in git.

content/drugs/<slug>.md and content/articles/<slug>.md hold YAML front
matter between `---` lines and a Markdown body; content/reviewers.yaml
defines the reviewers the files name. Pending versions of live pages live in
content/pending/drugs/ and content/pending/articles/.

Importing checks every file against the same rules as the admin before
anything is written, and writes all of them in one transaction or none at
all. A published file becomes the live page; a draft or review file for a
live page becomes its pending version, and the live page stays up. Each
imported page gets a history entry. Exporting writes the same format back,
so export -> import -> export gives identical files.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import reversion
import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.urls import reverse

from . import workflow
from .documents import (
    ARTICLE_FIELDS,
    DRUG_FIELDS,
    LIST_FIELDS,
    RelationLookups,
    document,
    document_from_file,
    set_fields,
    set_relations,
)
from .models import (
    Article,
    Drug,
    DrugKind,
    Kind,
    Page,
    Population,
    PublishedVersion,
    Reference,
    Reviewer,
    Severity,
    Status,
)
from .rendering import LinkTarget

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REVIEWERS_FILE = "reviewers.yaml"
# libyaml's safe loader when PyYAML was built with it (the wheels are): the
# same rules as yaml.safe_load, several times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
REVIEWER_FIELDS = ("name", "role", "registration_body", "registration_number", "clinical")
PENDING = "pending"
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
    pending: bool = False  # from content/pending/: the pending version of a live page

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
    pending: list = field(default_factory=list)  # slugs whose file became a pending version


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
    validate_url = URLValidator(schemes=["https"])
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
            problems.append(Problem(path, where, f"{url!r} is not an https:// URL"))
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
    if not meta["status"]:
        meta["status"] = Status.DRAFT
    if model is Drug:
        meta["kind"] = meta["kind"] or DrugKind.MEDICINE
        choices = {"kind": DrugKind.values, "status": Status.values}
    else:
        choices = {
            "kind": Kind.values,
            "severity": ["", *Severity.values],
            "status": Status.values,
        }
    for name, values in choices.items():
        if meta[name] not in values:
            allowed_values = ", ".join(v for v in values if v)
            problems.append(Problem(path, name, f"{meta[name]!r} is not one of: {allowed_values}"))
    return meta


def read_file(path, model, label, pending=False):
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
        raw = yaml.load(front, Loader=SAFE_LOADER) or {}
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
    return ContentFile(label, model, slug, meta, body, pending), problems


def read_reviewers(directory, problems):
    """key -> {name, role, ...} from reviewers.yaml (empty when there is none)."""
    path = Path(directory) / REVIEWERS_FILE
    label = str(path.relative_to(path.parent.parent))
    if not path.exists():
        return {}
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        problems.append(Problem(label, "", f"invalid YAML: {error}"))
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(label, "", "must be a mapping of key: {name, role, ...}"))
        return {}
    reviewers = {}
    for key, values in raw.items():
        if not isinstance(key, str) or not SLUG_RE.match(key):
            problems.append(Problem(label, str(key), "keys are lower-case words joined by '-'"))
            continue
        if not isinstance(values, dict):
            problems.append(Problem(label, key, "must be a mapping of name, role, ..."))
            continue
        for unknown in sorted(set(values) - set(REVIEWER_FIELDS)):
            allowed = ", ".join(REVIEWER_FIELDS)
            problems.append(
                Problem(label, f"{key}.{unknown}", f"unknown field (allowed: {allowed})")
            )
        entry = {}
        for name in REVIEWER_FIELDS[:4]:
            entry[name] = _string(
                values.get(name), f"{key}.{name}", problems, label, name in ("name", "role")
            )
        clinical = values.get("clinical", True)
        if not isinstance(clinical, bool):
            problems.append(Problem(label, f"{key}.clinical", "must be true or false"))
        entry["clinical"] = clinical is True
        reviewers[key] = entry
    return reviewers


def read_directory(directory):
    """(files, reviewers, problems) for a content directory."""
    directory = Path(directory)
    files, problems = [], []
    if not directory.is_dir():
        raise ContentError([Problem(str(directory), "", "is not a directory")])
    if not any((directory / sub).is_dir() for sub in ("drugs", "articles")):
        raise ContentError([Problem(str(directory), "", "has no drugs/ or articles/ folder")])
    reviewers = read_reviewers(directory, problems)
    for folder, pending in ((directory, False), (directory / PENDING, True)):
        for sub, model in (("drugs", Drug), ("articles", Article)):
            for path in sorted((folder / sub).glob("*.md")):
                label = str(path.relative_to(directory.parent) if directory.parent else path)
                content_file, file_problems = read_file(path, model, label, pending)
                problems.extend(file_problems)
                if content_file and not file_problems:
                    files.append(content_file)
    return files, reviewers, problems


# Checking ---------------------------------------------------------------


def unsaved_reviewers(reviewers):
    """key -> Reviewer for the file's reviewers and those in the database."""
    found = {reviewer.key: reviewer for reviewer in Reviewer.objects.all()}
    for key, values in reviewers.items():
        found[key] = Reviewer(key=key, **values)
    return found


def build_page(content_file, reviewers):
    """An unsaved Drug or Article holding the file's own fields."""
    page = content_file.model(slug=content_file.slug)
    meta = dict(content_file.meta, reviewed_by="")
    set_fields(page, meta, content_file.body)
    page.reviewed_by = reviewers.get(content_file.meta["reviewed_by"])
    return page


def check(files, reviewers, existing, rendered=None):
    """Every problem with the files, judged against each other and the database.

    `rendered`, when given, receives each file's rendered body by
    (slug, pending), so the import renders every body once.
    """
    problems = []
    by_slug, pending_files = {}, {}
    for content_file in files:
        seen = pending_files if content_file.pending else by_slug
        if content_file.slug in seen:
            other = seen[content_file.slug].path
            problems.append(Problem(content_file.path, "slug", f"duplicate slug (also {other})"))
            continue
        seen[content_file.slug] = content_file
        page = existing.get(content_file.slug)
        if page is not None and not isinstance(page.specific, content_file.model):
            kind = type(page.specific).__name__.lower()
            problems.append(
                Problem(content_file.path, "slug", f"{content_file.slug!r} is already a {kind}")
            )
    for slug, content_file in pending_files.items():
        main = by_slug.get(slug)
        if main is not None:
            will_be_live = main.meta["status"] == Status.PUBLISHED
        else:
            will_be_live = slug in existing and existing[slug].is_live
        if not will_be_live:
            problems.append(
                Problem(content_file.path, "slug", "a pending version needs a live page")
            )
        if content_file.meta["status"] == Status.PUBLISHED:
            problems.append(
                Problem(content_file.path, "status", "a pending version is draft or review")
            )

    targets = {slug: page.link_target() for slug, page in existing.items()}
    targets.update({slug: f.link_target() for slug, f in by_slug.items()})
    drug_slugs = {s for s, p in existing.items() if isinstance(p.specific, Drug)}
    drug_slugs |= {s for s, f in by_slug.items() if f.model is Drug}
    population_slugs = set(Population.objects.values_list("slug", flat=True))
    known_reviewers = unsaved_reviewers(reviewers)

    for content_file in [*by_slug.values(), *pending_files.values()]:
        path, meta = content_file.path, content_file.meta
        errors = {}
        if meta["reviewed_by"] and meta["reviewed_by"] not in known_reviewers:
            listed = ", ".join(sorted(known_reviewers)) or f"none: add them to {REVIEWERS_FILE}"
            errors["reviewed_by"] = [f"{meta['reviewed_by']!r} is not a reviewer ({listed})"]
        page = build_page(content_file, known_reviewers)
        for name, messages in page.validation_errors(resolve=targets.get).items():
            errors.setdefault(name, []).extend(
                [messages] if isinstance(messages, str) else messages
            )
        if rendered is not None:
            rendered[content_file.slug, content_file.pending] = page.rendered
        try:
            page.clean_fields(exclude=["slug", "body_html", "body_text", "toc", "reviewed_by"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
        relation_errors = page.reference_errors(meta["references"])
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
            relation_errors.update(
                page.drug_errors(meta["drugs"]),
                **page.population_errors(meta["populations"]),
                **page.see_also_errors(meta["see_also"]),
            )
        for name, message in relation_errors.items():
            errors.setdefault(name, []).append(message)
        rename = {"title": "name"} if content_file.model is Drug else {}
        for name, messages in errors.items():
            for message in messages:
                problems.append(Problem(path, rename.get(name, name), str(message)))
    problems.extend(pending_conflicts(by_slug, pending_files, existing))
    return problems


def pending_conflicts(by_slug, pending_files, existing):
    """Pending versions edited in the admin that an import would overwrite."""
    problems = []
    for slug, page in existing.items():
        pending = page.pending_version_or_none
        if pending is None:
            continue
        content_file = pending_files.get(slug)
        if content_file is None:
            main = by_slug.get(slug)
            if main is None or main.meta["status"] == Status.PUBLISHED:
                continue  # the pending version is left as it is
            content_file = main
        if document(pending.specific) != (content_file.meta, content_file.body):
            who = pending.updated_by.get_username() if pending.updated_by else "someone"
            when = pending.updated.strftime("%Y-%m-%d %H:%M")
            problems.append(
                Problem(
                    content_file.path,
                    "status",
                    f"the live page has a pending version (last changed by {who} at {when}) "
                    "that differs from this file. Export it first (export_content writes "
                    f"pending versions to {PENDING}/), or discard it in the admin.",
                )
            )
    return problems


# Importing ---------------------------------------------------------------


def existing_pages():
    """slug -> main row, with its pending version (or None) attached."""
    pages = Page.objects.main().select_related("drug", "article", "reviewed_by")
    pending = {
        page.pending_for_id: page
        for page in Page.objects.filter(pending_for__isnull=False).select_related(
            "drug", "article", "updated_by"
        )
    }
    found = {}
    for page in pages:
        page.pending_version_or_none = pending.get(page.pk)
        found[page.slug] = page
    return found


def save_reviewers(reviewers):
    for key, values in reviewers.items():
        Reviewer.objects.update_or_create(key=key, defaults=values)


def import_directory(directory, dry_run=False):
    """Check every file, then write them all or nothing. Returns an ImportReport."""
    files, reviewers, problems = read_directory(directory)
    existing = existing_pages()
    rendered = {}
    problems.extend(check(files, reviewers, existing, rendered))
    if problems:
        raise ContentError(problems)

    report = ImportReport()
    written = []
    live_files = {f.slug: f for f in files if not f.pending}
    targets = {slug: page.link_target() for slug, page in existing.items()}
    targets.update({slug: f.link_target() for slug, f in live_files.items()})
    with transaction.atomic():
        save_reviewers(reviewers)
        mains = {slug: page.specific for slug, page in existing.items()}
        # Main files first, so a pending file finds its live page.
        for content_file in sorted(files, key=lambda f: f.pending):
            main = mains.get(content_file.slug)
            goes_pending = content_file.pending or (
                content_file.meta["status"] != Status.PUBLISHED
                and main is not None
                and main.is_live
            )
            if goes_pending:
                page = Page.objects.filter(pending_for=main).first()
                page = page.specific if page else content_file.model(pending_for=main)
            else:
                page = main or content_file.model()
            if page.pk and document(page) == (content_file.meta, content_file.body):
                report.unchanged.append(content_file.slug)
                continue
            previous = workflow.before(page)
            set_fields(page, content_file.meta, content_file.body)
            page.slug = content_file.slug
            page.version += 1
            page.save(rendered=rendered[content_file.slug, content_file.pending])
            written.append((content_file, page, previous))
            if not goes_pending:
                mains[page.slug] = page
            if goes_pending:
                report.pending.append(content_file.slug)
            elif previous is None:
                report.created.append(content_file.slug)
            else:
                report.updated.append(content_file.slug)
        # Relations and links need every page to exist; each page was saved once.
        lookups = RelationLookups.load()
        for content_file, page, previous in written:
            set_relations(page, content_file.meta, lookups, new=previous is None)
        workflow.sync_pages([(page, previous) for _, page, previous in written])
        record_import(directory, written)
        if dry_run:
            transaction.set_rollback(True)
    return report


def record_import(directory, written):
    """A history entry for every page written (one revision for the import),
    and a live baseline for each live one, named after its file."""
    pages = [page for _, page, _ in written]
    # The history follows each page's related rows: load them in a few queries.
    for model in (Drug, Article):
        prefetch_related_objects(
            [page for page in pages if isinstance(page, model)],
            "references",
            *(("drug_links", "see_also_links") if model is Article else ()),
        )
    with reversion.create_revision(manage_manually=True):
        reversion.set_comment(f"Imported from {Path(directory).name}/")
        for page in pages:
            reversion.add_to_revision(page)
    PublishedVersion.objects.bulk_create(
        PublishedVersion(
            page=page,
            document=document_from_file(content_file.slug, content_file.meta, content_file.body),
            note=f"Imported from {content_file.path}",
        )
        for content_file, page, _ in written
        if page.is_live
    )


# Exporting ---------------------------------------------------------------


def serialise(page):
    meta, body = document(page)
    if isinstance(page, Article) and not meta["severity"]:
        del meta["severity"]
    if meta["last_reviewed"] is None:
        del meta["last_reviewed"]
    # No line wrapping: one line per value keeps git diffs readable.
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1_000_000)
    return f"---\n{front}---\n{body}\n" if body else f"---\n{front}---\n"


REVIEWERS_HEADER = """\
# Who checks MedInfo's pages. Content files name a reviewer by its key.
# `clinical: false` marks an editorial check: the page then says so and never
# presents it as a clinical review.
"""


def serialise_reviewers(reviewers):
    data = {}
    for reviewer in reviewers:
        entry = {"name": reviewer.name, "role": reviewer.role}
        for name in ("registration_body", "registration_number"):
            if getattr(reviewer, name):
                entry[name] = getattr(reviewer, name)
        entry["clinical"] = reviewer.clinical
        data[reviewer.key] = entry
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1_000_000)
    return REVIEWERS_HEADER + dumped


def export_directory(directory):
    """Write every page, pending version and reviewer under DIR. Returns the paths.

    Live and never-published pages go to DIR/drugs and DIR/articles;
    pending versions of live pages to DIR/pending/drugs and DIR/pending/articles.
    """
    directory = Path(directory)
    written = []
    drugs = Drug.objects.select_related("reviewed_by").prefetch_related("references")
    articles = Article.objects.select_related("reviewed_by").prefetch_related(
        "drug_links__drug", "populations", "references", "see_also_links__target"
    )
    for sub, pages in (("drugs", drugs), ("articles", articles)):
        for page in pages:
            folder = directory / PENDING / sub if page.is_pending else directory / sub
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{page.slug}.md"
            path.write_text(serialise(page), encoding="utf-8")
            written.append(path)
    reviewers = Reviewer.objects.filter(pages__isnull=False).distinct().order_by("key")
    if reviewers:
        path = directory / REVIEWERS_FILE
        path.write_text(serialise_reviewers(reviewers), encoding="utf-8")
        written.append(path)
    return written
