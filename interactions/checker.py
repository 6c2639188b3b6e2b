"""The interaction checker: every pair among 2 to 10 medicines.

Each typed name is resolved to a drug by name, brand name or a near
spelling. Results are only shown when every name is resolved: a list that
silently skipped a medicine could look reassuring when it is not.
"""

from dataclasses import dataclass, field
from itertools import combinations
from urllib.parse import urlencode

from .models import Article, Kind, Severity
from .search import clean_text

MIN_MEDICINES = 2
MAX_MEDICINES = 10
# Names beyond this are dropped rather than shown back in the form.
MAX_FIELDS = 20
MAX_NAME_LENGTH = 100
NO_INFORMATION = (
    "We have no information on this pair. That does not mean it is safe: ask your pharmacist."
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

    @property
    def not_found(self):
        return self.looked_up and self.drug is None

    @property
    def is_brand_or_spelling(self):
        return self.drug is not None and self.typed.casefold() != self.drug.title.casefold()


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
    pairs: list = field(default_factory=list)
    unknown_pairs: list = field(default_factory=list)
    population_articles: list = field(default_factory=list)

    @property
    def has_results(self):
        return len(self.drugs) >= MIN_MEDICINES and not self.problems

    @property
    def unresolved(self):
        return [entry for entry in self.entries if entry.not_found]


def form_fields(entries, minimum=4):
    """The form's boxes: what was typed, then empty ones (at least one, up
    to `minimum` in all, never past MAX_MEDICINES)."""
    room = max(MAX_MEDICINES - len(entries), 0)
    return [*entries, *[None] * min(room, max(minimum - len(entries), 1))]


def _query_with(values, index, replacement):
    changed = [replacement if position == index else value for position, value in enumerate(values)]
    return urlencode([("drug", value) for value in changed])


def check(typed_names, lexicon):
    """Resolve the names and, when they all resolve, list every pair."""
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

    first_entry_for = {}
    for index, entry in enumerate(result.entries):
        exact, suggestion = lexicon.resolve(entry.typed)
        entry.looked_up = True
        if exact is None:
            entry.suggestion = suggestion
            if suggestion:
                entry.suggestion_query = _query_with(names, index, suggestion.name)
            continue
        entry.drug = exact.drug
        if entry.drug.pk in first_entry_for:
            entry.duplicate_of = first_entry_for[entry.drug.pk]
            if entry.duplicate_of.typed.casefold() == entry.typed.casefold():
                note = f"You entered “{entry.typed}” twice, so it is checked once."
            else:
                note = (
                    f"“{entry.duplicate_of.typed}” and “{entry.typed}” are the same medicine "
                    f"({entry.drug.title.lower()}), so it is checked once."
                )
            result.notes.append(note)
        else:
            first_entry_for[entry.drug.pk] = entry
            result.drugs.append(entry.drug)

    for entry in result.unresolved:
        message = f"We could not find a medicine called “{entry.typed}”."
        if entry.suggestion:
            message += f" Did you mean {entry.suggestion.name}?"
        else:
            message += " Check the spelling, or look it up in the Medicines A–Z."
        result.problems.append(message)
    if len(result.drugs) + len(result.unresolved) < MIN_MEDICINES:
        result.problems.append(
            "Enter at least one more medicine: the checker looks at medicines in pairs."
        )
    if result.problems:
        return result

    _find_pairs(result)
    return result


def _find_pairs(result):
    position = {drug.pk: index for index, drug in enumerate(result.drugs)}
    pairs = {
        (first.pk, second.pk): Pair(first, second)
        for first, second in combinations(result.drugs, 2)
    }
    interactions = (
        Article.objects.published()
        .of_kind(Kind.INTERACTION)
        .filter(drugs__in=result.drugs)
        .distinct()
        .with_drugs()
    )
    for article in interactions:
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
    populations = (
        Article.objects.published()
        .of_kind(Kind.SPECIAL_POPULATIONS)
        .filter(drugs__in=result.drugs)
        .distinct()
        .with_drugs()
        .prefetch_related("populations")
    )
    result.population_articles = sorted(populations, key=lambda a: (a.title.casefold(), a.pk))
