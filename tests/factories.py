"""Small builders for test data, written through the real write path."""

import datetime

from interactions import workflow
from interactions.models import (
    MEDICINE_SECTIONS,
    Article,
    ArticleDrug,
    Drug,
    Kind,
    Population,
    Reference,
    Reviewer,
    SeeAlso,
    Status,
)

URGENT_HELP = (
    "## When to get urgent help\n\n"
    '!!! emergency "Call 999 or 911 now if:"\n'
    "    - your breathing is very slow\n\n"
    '!!! urgent "Contact a doctor today if:"\n'
    "    - you keep falling over\n"
)
SOURCE = ("NHS: About diazepam", "https://www.nhs.uk/medicines/diazepam/")
REVIEW_DATE = datetime.date(2026, 11, 1)


def hub_body(name, extra=""):
    """A drug body with every section a medicine page must have."""
    sections = [
        f"## {section.format(name=name.lower())}\n\nSome words." for section in MEDICINE_SECTIONS
    ]
    return (extra + "\n\n" if extra else "") + "\n\n".join(sections)


def reviewer(key="rita-reviewer", name="Dr Rita Reviewer", role="Pharmacist", **fields):
    found, _ = Reviewer.objects.get_or_create(
        key=key, defaults={"name": name, "role": role, **fields}
    )
    return found


def _write(page, references):
    workflow.save_page(page)
    for position, (ref_title, url) in enumerate(references):
        Reference.objects.create(page=page, title=ref_title, url=url, position=position)
    return page


def drug(title="Diazepam", slug=None, status=Status.PUBLISHED, references=(SOURCE,), **fields):
    fields.setdefault("summary", f"{title} is a medicine.")
    fields.setdefault("body", hub_body(title))
    if status == Status.PUBLISHED:
        fields.setdefault("last_reviewed", REVIEW_DATE)
        fields.setdefault("reviewed_by", reviewer())
    page = Drug(title=title, slug=slug or title.lower().replace(" ", "-"), status=status, **fields)
    return _write(page, references)


def article(
    title="An article",
    slug=None,
    kind=Kind.SIDE_EFFECTS,
    drugs=(),
    status=Status.PUBLISHED,
    references=(SOURCE,),
    see_also=(),
    populations=(),
    **fields,
):
    if kind == Kind.INTERACTION:
        fields.setdefault("severity", "moderate")
    if kind in (Kind.INTERACTION, Kind.RISKS):
        fields.setdefault("body", "Some text.\n\n" + URGENT_HELP)
    fields.setdefault("summary", f"Summary of {title}.")
    if status == Status.PUBLISHED:
        fields.setdefault("last_reviewed", REVIEW_DATE)
        fields.setdefault("reviewed_by", reviewer())
    page = Article(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        kind=kind,
        status=status,
        **fields,
    )
    _write(page, references)
    for position, drug_ in enumerate(drugs):
        ArticleDrug.objects.create(article=page, drug=drug_, position=position)
    page.populations.set(Population.objects.filter(slug__in=populations))
    for position, target in enumerate(see_also):
        SeeAlso.objects.create(article=page, target=target, position=position)
    return page
