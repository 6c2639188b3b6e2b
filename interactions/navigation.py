"""How patients find their way: the A–Z, contents lists, see-also links and
the plain names of article kinds."""

from dataclasses import dataclass
from itertools import groupby

from .models import MAX_RELATED_PER_KIND, Kind

# What patients read; the admin keeps the editors' names (Kind.choices).
KIND_LABELS = {
    Kind.INTERACTION: "Interactions",
    Kind.BENEFITS: "Benefits",
    Kind.RISKS: "Risks",
    Kind.SIDE_EFFECTS: "Side effects",
    Kind.SPECIAL_POPULATIONS: "Pregnancy, children and older people",
    Kind.QUESTIONS: "Common questions",
}
URGENT_HELP_ANCHOR = "when-to-get-urgent-help"
INTERACTIONS_ANCHOR = "interactions-heading"
MAX_SEE_ALSO = 6


def kind_label(kind):
    return KIND_LABELS.get(kind, str(kind))


@dataclass(frozen=True)
class IndexEntry:
    """One line of the A–Z: a medicine, or a brand name that leads to one."""

    name: str
    drug: object  # Drug
    is_brand: bool = False

    @property
    def letter(self):
        first = self.name[:1].upper()
        return first if first.isalpha() else "#"


def a_to_z(drugs):
    """(letter, entries) for every medicine and brand name, in order."""
    entries = [IndexEntry(drug.title, drug) for drug in drugs]
    entries += [
        IndexEntry(brand, drug, is_brand=True)
        for drug in drugs
        for brand in drug.brand_name_list
        if brand.casefold() != drug.title.casefold()
    ]
    entries.sort(key=lambda entry: (entry.name.casefold(), entry.is_brand, entry.drug.pk))
    return [(letter, list(group)) for letter, group in groupby(entries, key=lambda e: e.letter)]


def urgent_help_anchor(page):
    """The id of the page's urgent-help section, or "" when it has none."""
    return URGENT_HELP_ANCHOR if any(a == URGENT_HELP_ANCHOR for a, _ in page.toc) else ""


def drug_contents(drug, interaction_count):
    """(anchor, heading) for a drug page's contents: its sections, then its
    interactions, placed after "Taking … with other medicines" when present."""
    contents = [tuple(item) for item in drug.toc]
    entry = (INTERACTIONS_ANCHOR, f"Interactions with {drug.title.lower()} ({interaction_count})")
    position = next(
        (i + 1 for i, (_, heading) in enumerate(contents) if "other medicines" in heading.lower()),
        len(contents),
    )
    return [*contents[:position], entry, *contents[position:]]


def see_also(article):
    """(curated, related groups, more): the editor's links first, at most
    MAX_SEE_ALSO; then other pages on the same medicines by kind, a few of
    each, with the main medicine's page for the rest."""
    pages = list(article.see_also_pages())
    curated = sorted((p for p in pages if p.curated_position is not None), key=_curated_order)
    related = [page.specific for page in pages if page.curated_position is None]
    groups, more = [], False
    for kind in Kind.values:
        articles = [page for page in related if page.kind == kind]
        if articles:
            more = more or len(articles) > MAX_RELATED_PER_KIND
            groups.append((kind_label(kind), articles[:MAX_RELATED_PER_KIND]))
    return [page.specific for page in curated[:MAX_SEE_ALSO]], groups, more


def _curated_order(page):
    return page.curated_position
