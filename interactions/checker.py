"""The interaction checker: every pair among 2 to 10 medicines.

Each typed name is resolved to a drug by name, brand name or slug; a
combination product (co-codamol) to its parts. A near spelling of one of our
medicines stops the check with "Did you mean …?", since the list would
otherwise quietly leave that medicine out. A name we have no page for is
named as such ("We have no information on … yet"), and the other medicines
are still checked. When two or more medicines share an effect that adds up
(drowsiness, slowed breathing, …) one combined warning comes first.
"""

from dataclasses import dataclass, field
from itertools import combinations
from urllib.parse import urlencode

from . import medicine_names
from .effects import shared_effects
from .models import Article, Kind, Severity
from .search import clean_text, tokens

MIN_MEDICINES = 2
MAX_MEDICINES = 10
# Names beyond this are dropped rather than shown back in the form.
MAX_FIELDS = 20
MAX_NAME_LENGTH = 100
NO_INFORMATION = (
    "We have no information on this pair. That does not mean it is safe: ask your pharmacist."
)
UNKNOWN_MEDICINE = (
    "We have no information on {name} yet. This does not mean it is safe with your other "
    "medicines: ask a pharmacist."
)


@dataclass
class Entry:
    """One medicine as typed, and what it resolved to."""

    typed: str
    drug: object = None  # a Drug
    suggestion: object = None  # a DrugName
    suggestion_query: str = ""
    duplicate_of: object = None  # the Entry that named the same drug first
    looked_up: bool = False
    combination: str = ""  # "Co-codamol" when the name is a combination product
    parts: list = field(default_factory=list)  # its parts we have pages on (Drugs)
    unknown: list = field(default_factory=list)  # names we have no page on

    @property
    def not_found(self):
        """A near spelling of one of our medicines: the check waits for a fix."""
        return self.looked_up and self.suggestion is not None

    @property
    def is_brand_or_spelling(self):
        return self.drug is not None and self.typed.casefold() != self.drug.title.casefold()

    @property
    def resolved_as(self):
        """What the form shows beside the box: "(Diazepam)", "(codeine and paracetamol)"."""
        if self.combination:
            names = [drug.title.lower() for drug in self.parts] + self.unknown
            return " and ".join(names)
        if self.is_brand_or_spelling:
            return self.drug.title
        return ""


@dataclass
class Pair:
    first: object  # Drug
    second: object  # Drug
    articles: list = field(default_factory=list)

    @property
    def most_serious(self):
        return min(self.articles, key=lambda article: (article.severity_rank, article.title))

    @property
    def sort_key(self):
        return self.most_serious.severity_rank if self.articles else len(Severity.values)


@dataclass
class Check:
    entries: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    status: int = 200
    drugs: list = field(default_factory=list)
    unknown: list = field(default_factory=list)  # names of medicines we have no page on
    combinations: list = field(default_factory=list)  # (name, [part names])
    shared: list = field(default_factory=list)  # SharedEffect, most harmful first
    pairs: list = field(default_factory=list)
    unknown_pairs: list = field(default_factory=list)
    population_articles: list = field(default_factory=list)

    @property
    def has_results(self):
        return len(self.drugs) + len(self.unknown) >= MIN_MEDICINES and not self.problems

    @property
    def unresolved(self):
        return [entry for entry in self.entries if entry.not_found]

    @property
    def unknown_messages(self):
        return [UNKNOWN_MEDICINE.format(name=name) for name in self.unknown]

    @property
    def checked_names(self):
        """Every medicine checked, as the results heading names them."""
        return [drug.title for drug in self.drugs] + self.unknown


def form_fields(entries, minimum=4):
    """The form's boxes: what was typed, then empty ones (at least one, up
    to `minimum` in all, never past MAX_MEDICINES)."""
    room = max(MAX_MEDICINES - len(entries), 0)
    return [*entries, *[None] * min(room, max(minimum - len(entries), 1))]


def _query_with(values, index, replacement):
    changed = [replacement if position == index else value for position, value in enumerate(values)]
    return urlencode([("drug", value) for value in changed])


def check(typed_names, lexicon):
    """Resolve the names and, unless one is a near spelling to fix, list every pair."""
    result = Check()
    names = [clean_text(name, MAX_NAME_LENGTH)[0] for name in typed_names[:MAX_FIELDS]]
    names = [name for name in names if name]
    if len(typed_names) > MAX_FIELDS:
        result.notes.append(f"Only the first {MAX_FIELDS} names are shown.")
    result.entries = [Entry(typed=name) for name in names]
    if not names:
        result.problems.append("Enter at least two medicines to check how they interact.")
        return result
    if len(names) > MAX_MEDICINES:
        result.problems.append(
            f"You entered {len(names)} medicines. The checker takes up to {MAX_MEDICINES} "
            "at a time: remove some and check again."
        )
        result.status = 400
        return result

    checked = {}  # drug pk -> the Entry that brought it in first
    for index, entry in enumerate(result.entries):
        _resolve(entry, lexicon)
        if entry.suggestion:
            entry.suggestion_query = _query_with(names, index, entry.suggestion.name)
        for drug in [entry.drug] if entry.drug else entry.parts:
            if drug.pk in checked:
                result.notes.append(_duplicate_note(checked[drug.pk], entry, drug))
                entry.duplicate_of = entry.duplicate_of or checked[drug.pk]
            else:
                checked[drug.pk] = entry
                result.drugs.append(drug)
        for name in entry.unknown:
            if name.casefold() not in {known.casefold() for known in result.unknown}:
                result.unknown.append(name)
        if entry.combination:
            contents = [drug.title.lower() for drug in entry.parts] + entry.unknown
            result.combinations.append((entry.combination, contents))

    for entry in result.unresolved:
        result.problems.append(
            f"We could not find a medicine called “{entry.typed}”. "
            f"Did you mean {entry.suggestion.name}?"
        )
    if not result.problems and len(result.drugs) + len(result.unknown) < MIN_MEDICINES:
        result.problems.append(
            "Enter at least one more medicine: the checker looks at medicines in pairs."
        )
    if result.problems:
        return result

    result.shared = shared_effects(result.drugs)
    _find_pairs(result)
    return result


def _resolve(entry, lexicon):
    """Fill in what one typed name stands for."""
    entry.looked_up = True
    exact, suggestion = lexicon.resolve(entry.typed)
    if exact:
        entry.drug = exact.drug
        return
    words = [word for _, _, word in tokens(entry.typed)]
    found = medicine_names.combination(words)
    if found:
        entry.combination, parts = found
        for part in parts:
            drug, _ = lexicon.resolve(part)
            if drug:
                entry.parts.append(drug.drug)
            else:
                entry.unknown.append(part)
    elif without_page := medicine_names.medicine_without_page(words):
        entry.unknown.append(without_page)
    elif suggestion is None:
        entry.unknown.append(entry.typed)
    else:
        entry.suggestion = suggestion


def _duplicate_note(first, entry, drug):
    name = drug.title.lower()
    if first is entry:
        return f"“{entry.typed}” names {name} twice, so it is checked once."
    if first.typed.casefold() == entry.typed.casefold():
        return f"You entered “{entry.typed}” twice, so it is checked once."
    if entry.combination or first.combination:
        return f"“{first.typed}” and “{entry.typed}” both contain {name}, so it is checked once."
    return (
        f"“{first.typed}” and “{entry.typed}” are the same medicine ({name}), "
        "so it is checked once."
    )


def _find_pairs(result):
    position = {drug.pk: index for index, drug in enumerate(result.drugs)}
    pairs = {
        (first.pk, second.pk): Pair(first, second)
        for first, second in combinations(result.drugs, 2)
    }
    # Interactions and special-populations articles in one go: one query
    # each for the articles, their drugs and their populations.
    articles = (
        Article.objects.published()
        .filter(kind__in=[Kind.INTERACTION, Kind.SPECIAL_POPULATIONS], drugs__in=result.drugs)
        .distinct()
        .with_drugs()
        .prefetch_related("populations")
    )
    population_articles = []
    for article in articles:
        if article.kind == Kind.SPECIAL_POPULATIONS:
            population_articles.append(article)
            continue
        named = sorted(
            (drug.pk for drug in article.drug_list if drug.pk in position), key=position.get
        )
        for pair_key in combinations(named, 2):
            pairs[pair_key].articles.append(article)
    for pair in pairs.values():
        pair.articles.sort(key=lambda article: (article.severity_rank, article.title.casefold()))
    ordered = list(pairs.values())  # already in the order the medicines were typed
    result.pairs = sorted((pair for pair in ordered if pair.articles), key=lambda p: p.sort_key)
    result.unknown_pairs = [pair for pair in ordered if not pair.articles]
    result.population_articles = sorted(
        population_articles, key=lambda a: (a.title.casefold(), a.pk)
    )
