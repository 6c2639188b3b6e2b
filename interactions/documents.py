"""A page as a document: its content file's front matter and body.

The content files, the live versions kept for restoring, publishing a
pending version and starting one all use this one form, so a page is
copied the same way whichever route it takes.
"""

import datetime

from .models import (
    Article,
    ArticleDrug,
    Drug,
    Page,
    Population,
    Reference,
    Reviewer,
    SeeAlso,
)

DRUG_FIELDS = (
    "name",
    "kind",
    "brand_names",
    "drug_class",
    "effects",
    "summary",
    "status",
    "last_reviewed",
    "reviewed_by",
    "references",
)
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
LIST_FIELDS = {"brand_names", "drugs", "see_also", "populations", "effects"}


def document(page):
    """(front matter, body) of a Drug or Article, fields in file order."""
    shared = {
        "summary": page.summary,
        "status": page.status,
        "last_reviewed": page.last_reviewed,
        "reviewed_by": page.reviewed_by.key if page.reviewed_by_id else "",
        "references": [{"title": r.title, "url": r.url} for r in page.references.all()],
    }
    if isinstance(page, Drug):
        values = {
            "name": page.title,
            "kind": page.kind,
            "brand_names": page.brand_name_list,
            "drug_class": page.drug_class,
            "effects": list(page.effects or []),
            **shared,
        }
        names = DRUG_FIELDS
    else:
        values = {
            "title": page.title,
            "kind": page.kind,
            "drugs": [drug.slug for drug in page.drug_list],
            "severity": page.severity,
            "see_also": [link.target.slug for link in page.see_also_links.all()],
            "populations": [population.slug for population in page.populations.all()],
            **shared,
        }
        names = ARTICLE_FIELDS
    return {name: values[name] for name in names}, page.body.replace("\r\n", "\n").strip("\n")


def document_dict(page):
    """A JSON-safe document, with the slug, for PublishedVersion."""
    meta, body = document(page)
    return document_from_file(page.slug, meta, body)


def document_from_file(slug, meta, body):
    meta = dict(meta)
    if meta["last_reviewed"]:
        meta["last_reviewed"] = meta["last_reviewed"].isoformat()
    return {"slug": slug, "meta": meta, "body": body}


def from_document_dict(data):
    meta = dict(data["meta"])
    if meta.get("last_reviewed"):
        meta["last_reviewed"] = datetime.date.fromisoformat(meta["last_reviewed"])
    return data["slug"], meta, data["body"]


def set_fields(page, meta, body):
    """Put a document's own fields (not its related rows) on an unsaved page."""
    page.summary = meta["summary"]
    page.body = body
    page.status = meta["status"]
    page.last_reviewed = meta["last_reviewed"]
    key = meta["reviewed_by"]
    page.reviewed_by = Reviewer.objects.get(key=key) if key else None
    if isinstance(page, Drug):
        page.title = meta["name"]
        page.kind = meta["kind"]
        page.brand_names = "\n".join(meta["brand_names"])
        page.drug_class = meta["drug_class"]
        page.effects = list(meta["effects"])
    else:
        page.title = meta["title"]
        page.kind = meta["kind"]
        page.severity = meta["severity"]


def main_pages(slugs):
    """slug -> main Page row (never a pending version)."""
    return {page.slug: page for page in Page.objects.main().filter(slug__in=slugs)}


class RelationLookups:
    """Slug -> row maps for set_relations(), loaded once for many pages."""

    def __init__(self, pages=None, populations=None):
        self.pages = pages
        self.populations = populations

    @classmethod
    def load(cls):
        return cls(
            pages={page.slug: page for page in Page.objects.main().only("pk", "slug")},
            populations={population.slug: population for population in Population.objects.all()},
        )

    def page_ids(self, slugs):
        if self.pages is None:
            found = main_pages(slugs)
        else:
            found = {slug: self.pages[slug] for slug in slugs}
        return {slug: page.pk for slug, page in found.items()}

    def population_list(self, slugs):
        if self.populations is None:
            return list(Population.objects.filter(slug__in=slugs))
        return [self.populations[slug] for slug in slugs]


def set_relations(page, meta, lookups=None, new=False):
    """Replace a saved page's sources (and an article's drugs, see also and
    populations) with the document's. `new`: the page has none yet."""
    lookups = lookups or RelationLookups()
    if not new:
        page.references.all().delete()
    Reference.objects.bulk_create(
        Reference(page=page, position=position, **reference)
        for position, reference in enumerate(meta["references"])
    )
    if not isinstance(page, Article):
        return
    drugs = lookups.page_ids(meta["drugs"])
    targets = lookups.page_ids(meta["see_also"])
    if not new:
        page.drug_links.all().delete()
        page.see_also_links.all().delete()
    ArticleDrug.objects.bulk_create(
        ArticleDrug(article=page, drug_id=drugs[slug], position=position)
        for position, slug in enumerate(meta["drugs"])
    )
    SeeAlso.objects.bulk_create(
        SeeAlso(article=page, target_id=targets[slug], position=position)
        for position, slug in enumerate(meta["see_also"])
    )
    populations = lookups.population_list(meta["populations"])
    if populations or not new:
        page.populations.set(populations)


def relation_values(page):
    """A saved page's related rows as the model's *_errors rules take them."""
    values = {"references": [(ref.title, ref.url) for ref in page.references.all()]}
    if isinstance(page, Article):
        values.update(
            drugs=page.drug_list,
            populations=list(page.populations.all()),
            see_also=[link.target.slug for link in page.see_also_links.select_related("target")],
        )
    return values
