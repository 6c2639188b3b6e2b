"""Small builders for test data, saved through the real model code."""

import datetime

from interactions.models import (
    Article,
    ArticleDrug,
    Drug,
    Kind,
    Population,
    Reference,
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


def drug(title="Diazepam", slug=None, **fields):
    fields.setdefault("summary", f"{title} is a medicine.")
    return Drug.objects.create(title=title, slug=slug or title.lower().replace(" ", "-"), **fields)


def article(
    title="An article",
    slug=None,
    kind=Kind.SIDE_EFFECTS,
    drugs=(),
    status=Status.PUBLISHED,
    references=(("NHS: About diazepam", "https://www.nhs.uk/medicines/diazepam/"),),
    see_also=(),
    populations=(),
    **fields,
):
    if kind == Kind.INTERACTION:
        fields.setdefault("severity", "moderate")
    if kind in (Kind.INTERACTION, Kind.RISKS):
        fields.setdefault("body", "Some text.\n\n" + URGENT_HELP)
    fields.setdefault("summary", f"Summary of {title}.")
    fields.setdefault("last_reviewed", datetime.date(2026, 11, 1))
    fields.setdefault("reviewed_by", "Dr A Reviewer")
    created = Article.objects.create(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        kind=kind,
        status=status,
        **fields,
    )
    for position, drug_ in enumerate(drugs):
        ArticleDrug.objects.create(article=created, drug=drug_, position=position)
    created.populations.set(Population.objects.filter(slug__in=populations))
    for position, (ref_title, url) in enumerate(references):
        Reference.objects.create(article=created, title=ref_title, url=url, position=position)
    for position, target in enumerate(see_also):
        SeeAlso.objects.create(article=created, target=target, position=position)
    return created
