"""Site search: a small word index kept on save and queried with the ORM.

Why not SQLite FTS5 and PostgreSQL full-text search: they split, stem and
rank differently, so one query would give different results on the two
databases. Here Python does all the language work (splitting words,
stemming, stop words, spelling) and the database only looks up exact words
in one indexed table, `SearchTerm`, so SQLite and PostgreSQL give the same
results.

Each drug and published article has one row per distinct word, weighted by
where the word is: title (and brand names) count most, then the summary,
then the body. Drafts have no rows. A query's score for a page is the sum
of the weights of its words; on top of that, drug and brand names in the
query are recognised (forgiving spelling, against the small list of names)
so that "Valium" puts diazepam first and "can I take diazepam with
mirtazapine" puts the interaction article naming both first.

On a large site a common word is on most pages ("effects" on most of
100,000 articles), and summing a row per page took 150-340 ms on
PostgreSQL. So a query scores only each word's heaviest pages (title
matches, then summary, then body; a few hundred in all, see best_pages()),
read from an index ordered by weight, and gets everything rank() needs in
one SQL statement that runs unchanged on SQLite and PostgreSQL. Where no
query word is on more pages than that (400 for a one-word query, 133 each
for three words, never fewer than 50) the results are those of scoring
every page, and a one-word query always gets those results.
PostgreSQL's own full-text search would not help here: it would rank
every page holding a common word too, and rank differently from SQLite.
"""

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html import unescape

from django.db import connection, transaction
from django.db.models import Count, Max, Prefetch
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe

from . import medicine_names
from .models import BODY_FIELDS, Article, ArticleDrug, Drug, Kind, Page, SearchTerm, Status

MAX_QUERY_LENGTH = 200
MAX_QUERY_TERMS = 12
MAX_RESULTS = 200
# Pages scored per query: each word's heaviest pages, about this many in
# all (at least MIN_CANDIDATES_PER_TERM per word); see best_pages().
MAX_CANDIDATES = 400
MIN_CANDIDATES_PER_TERM = 50
PER_PAGE = 10
TITLE_WEIGHT = 100
SUMMARY_WEIGHT = 10
BODY_WEIGHT_CAP = 5
TERM_LENGTH = 40
# difflib ratio a typed word needs to be taken for a drug or brand name:
# "diazapam" -> diazepam is 0.88, "mirtazepine" -> mirtazapine 0.91, while
# "cocaine" -> codeine (0.71) is left alone.
SPELLING_CUTOFF = 0.8
MIN_SPELLING_LENGTH = 4
SNIPPET_LENGTH = 180
MAX_REMEMBERED_SPELLINGS = 10_000

STOP_WORDS = frozenset(
    """
    a about after all also am an and any are as at be been before being both
    but by can could did do does doing during each for from get had has have
    having he her him his how i if in into is it its just me mix mixing my
    of on or our she should so some take taking than that the their them
    then there these they this those to together too use using very vs
    versus was we were what when where which while who why will with would
    you your
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# Everyday words for a topic, searched as the word the pages use too.
TOPIC_SYNONYMS = {
    "pregnant": "pregnancy",
    "elderly": "older",
    "old": "older",
    "child": "children",
    "kid": "children",
    "teenager": "young",
    "breastfeed": "breastfeeding",
    "sleepy": "drowsy",
    "drowsiness": "drowsy",
}
# Words that mean alcohol, when there is a page for it: "can I drink on pregabalin".
ALCOHOL_WORDS = frozenset({"drink", "drinking", "booze", "beer", "wine"})

_WORD = re.compile(r"[^\W_]+")


# Words --------------------------------------------------------------------


def normalise(word):
    """Lower case, accents dropped: "Zispin" -> "zispin", "Café" -> "cafe"."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def tokens(text):
    """(start, end, normalised word) for each word in text."""
    for match in _WORD.finditer(text):
        word = normalise(match.group())
        if word:
            yield match.start(), match.end(), word


def stem(word):
    """A deliberately light stemmer: plurals only ("tablets" -> "tablet")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def is_searchable(word):
    return len(word) > 1 and word not in STOP_WORDS


def term(word):
    return stem(word)[:TERM_LENGTH]


def text_terms(text):
    return [term(word) for _, _, word in tokens(text) if is_searchable(word)]


def html_text(html):
    return " ".join(unescape(strip_tags(html)).split())


# The index ----------------------------------------------------------------


def term_weights(names, summaries, body_text):
    """Term -> weight for a page's title/brand names, summary and body."""
    weights = Counter()
    for name_term in set().union(*(text_terms(name) for name in names)):
        weights[name_term] += TITLE_WEIGHT
    for summary_term in set().union(*(text_terms(summary) for summary in summaries)):
        weights[summary_term] += SUMMARY_WEIGHT
    for body_term, count in Counter(text_terms(body_text)).items():
        weights[body_term] += min(count, BODY_WEIGHT_CAP)
    return weights


def page_weights(page):
    names, summaries = [page.title], [page.summary]
    if isinstance(page, Drug):
        names.extend(page.brand_name_list)
        summaries.append(page.drug_class)
    return term_weights(names, summaries, page.body_text)


def index_pages(pages):
    """Replace the pages' rows; only live pages have any."""
    with transaction.atomic():
        SearchTerm.objects.filter(page_id__in=[page.pk for page in pages]).delete()
        SearchTerm.objects.bulk_create(
            (
                SearchTerm(page_id=page.pk, term=word, weight=weight)
                for page in pages
                if page.is_live
                for word, weight in page_weights(page).items()
            ),
            batch_size=2000,
        )


def rebuild_index():
    """Index every page from scratch. Returns the number of pages indexed."""
    pages = [*Drug.objects.live(), *Article.objects.live()]
    with transaction.atomic():
        SearchTerm.objects.all().delete()
        SearchTerm.objects.bulk_create(
            (
                SearchTerm(page_id=page.pk, term=word, weight=weight)
                for page in pages
                for word, weight in page_weights(page).items()
            ),
            batch_size=2000,
        )
    return len(pages)


# Drug and brand names -----------------------------------------------------


@dataclass(frozen=True)
class DrugName:
    """A name a drug is known by (its own name or a brand name), as written."""

    drug: Drug
    name: str


_lexicon_cache = {}


class Lexicon:
    """Every drug and brand name, for recognising them in what people type.

    The list is small (one row per drug); see load() for how it is cached.
    """

    def __init__(self, drugs):
        self.drugs = list(drugs)
        self.names = {}
        for drug in self.drugs:
            spellings = [(drug.title, drug.title), (drug.slug.replace("-", " "), drug.title)]
            spellings += [(brand, brand) for brand in drug.brand_name_list]
            for spelling, shown in spellings:
                key = tuple(word for _, _, word in tokens(spelling))
                if key:
                    self.names.setdefault(key, DrugName(drug, shown))
        self.longest = max((len(key) for key in self.names), default=0)
        self._spellings = {" ".join(key): key for key in self.names}
        # What closest() found for each spelling: comparing one word with
        # every name costs milliseconds, and the same words ("side",
        # "effects") come up in search after search.
        self._closest = {}

    @classmethod
    def load(cls):
        """The lexicon, rebuilt only when a drug was added, changed or deleted.

        Building it means splitting every name; checking whether it changed
        is one small aggregate query.
        """
        version = Drug.objects.live().aggregate(count=Count("pk"), changed=Max("updated"))
        version = (version["count"], version["changed"])
        cached = _lexicon_cache.get("lexicon")
        if cached is None or cached.version != version:
            drugs = Drug.objects.live().only("title", "slug", "brand_names", "effects", "updated")
            cached = cls(drugs.order_by("title", "pk"))
            cached.version = version
            _lexicon_cache["lexicon"] = cached
        return cached

    def choices(self):
        """Every drug and brand name, sorted, for a <datalist>."""
        names = {name for drug in self.drugs for name in (drug.title, *drug.brand_name_list)}
        return sorted(names, key=str.casefold)

    def closest(self, words, cutoff=SPELLING_CUTOFF):
        """The DrugName spelled most like these words, or None."""
        spelling = " ".join(words)
        if len(spelling) < MIN_SPELLING_LENGTH:
            return None
        if (spelling, cutoff) not in self._closest:
            if len(self._closest) >= MAX_REMEMBERED_SPELLINGS:
                self._closest.clear()
            found = difflib.get_close_matches(spelling, self._spellings, n=1, cutoff=cutoff)
            self._closest[spelling, cutoff] = (
                self.names[self._spellings[found[0]]] if found else None
            )
        return self._closest[spelling, cutoff]

    def find(self, words, spelling=True, skip=frozenset()):
        """(start, end, DrugName, corrected) for drug names among the words.

        Positions in `skip` are left alone. Only the first MAX_QUERY_TERMS
        unknown words are checked for spelling, which keeps a long query of
        nonsense words cheap.
        """
        found, position = [], 0
        spelling_checks = MAX_QUERY_TERMS if spelling else 0
        while position < len(words):
            if position in skip:
                position += 1
                continue
            for length in range(min(self.longest, len(words) - position), 0, -1):
                name = self.names.get(tuple(words[position : position + length]))
                if name:
                    found.append((position, position + length, name, False))
                    position += length
                    break
            else:
                word = words[position]
                name = None
                if word not in STOP_WORDS and spelling_checks:
                    spelling_checks -= 1
                    name = self.closest([word])
                if name:
                    found.append((position, position + 1, name, True))
                position += 1
        return found

    def named(self, *words):
        """The DrugName for exactly these words, or None."""
        return self.names.get(tuple(words))

    def resolve(self, text):
        """(exact DrugName or None, suggestion or None) for one typed name."""
        words = [word for _, _, word in tokens(text)]
        if not words:
            return None, None
        exact = self.names.get(tuple(words))
        if exact:
            return exact, None
        return None, self.closest(words, cutoff=0.75)


# Queries ------------------------------------------------------------------


def clean_text(raw, limit):
    """Drop control characters, collapse spaces, trim to `limit` characters.

    Returns (text, trimmed).
    """
    text = "".join(
        (" " if c.isspace() else "") if unicodedata.category(c).startswith("C") else c for c in raw
    )
    text = " ".join(text.split())
    if len(text) <= limit:
        return text, False
    cut = text[:limit]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut), True


@dataclass
class Query:
    text: str = ""
    trimmed: bool = False
    drugs: list = field(default_factory=list)
    corrected_text: str = ""
    terms: list = field(default_factory=list)
    topic_terms: list = field(default_factory=list)  # the terms that are not drug names
    unknown: list = field(default_factory=list)  # medicines typed that we have no page on
    combinations: list = field(default_factory=list)  # (name, [part names])

    @property
    def is_useful(self):
        return bool(self.terms or self.drugs)

    @property
    def unknown_messages(self):
        return [f"We have no page on {name} yet." for name in self.unknown]


def _other_medicines(words, covered):
    """(start, end, kind, found) for combination products and common medicines
    we have no page on, among the words not already taken for our drugs."""
    found, position = [], 0
    while position < len(words):
        for length in range(min(medicine_names.LONGEST, len(words) - position), 0, -1):
            span = range(position, position + length)
            if covered.intersection(span):
                continue
            piece = words[position : position + length]
            combination = medicine_names.combination(piece)
            if combination:
                found.append((position, position + length, "combination", combination))
                position += length
                break
            name = medicine_names.medicine_without_page(piece)
            if name:
                found.append((position, position + length, "unknown", name))
                position += length
                break
        else:
            position += 1
    return found


def parse_query(raw, lexicon):
    text, trimmed = clean_text(raw, MAX_QUERY_LENGTH)
    query = Query(text=text, trimmed=trimmed)
    found_tokens = list(tokens(text))
    words = [word for _, _, word in found_tokens]
    name_terms, topic_terms, corrected, covered = [], [], [], set()

    def add_drug(drug, *names):
        if drug not in query.drugs:
            query.drugs.append(drug)
        for name in (drug.title, *names):
            name_terms.extend(text_terms(name))

    exact = {p for start, end, *_ in lexicon.find(words, spelling=False) for p in range(start, end)}
    for start, end, what, value in _other_medicines(words, exact):
        covered.update(range(start, end))
        if what == "unknown":
            query.unknown.append(value)
            name_terms.append(term(value))
            continue
        name, parts = value
        contents = []
        for part in parts:
            part_words = [word for _, _, word in tokens(part)]
            drug_name = lexicon.named(*part_words)
            if drug_name:
                add_drug(drug_name.drug)
                contents.append(drug_name.drug.title.lower())
            else:
                query.unknown.append(part)
                contents.append(part)
        query.combinations.append((name, contents))
    skip = frozenset(covered)
    for start, end, name, was_corrected in lexicon.find(words, skip=skip):
        covered.update(range(start, end))
        add_drug(name.drug, name.name)
        if was_corrected:
            corrected.append((found_tokens[start][0], found_tokens[end - 1][1], name.name))
    alcohol = lexicon.named("alcohol")
    for position, word in enumerate(words):
        if position in covered or not is_searchable(word):
            continue
        if alcohol and word in ALCOHOL_WORDS:
            add_drug(alcohol.drug)
        topic_terms.append(term(word))
        if word in TOPIC_SYNONYMS:
            topic_terms.append(term(TOPIC_SYNONYMS[word]))
    query.unknown = list(dict.fromkeys(query.unknown))
    query.topic_terms = list(dict.fromkeys(topic_terms))[:MAX_QUERY_TERMS]
    query.terms = list(dict.fromkeys([*name_terms, *query.topic_terms]))[:MAX_QUERY_TERMS]
    if corrected:
        pieces, position = [], 0
        for start, end, replacement in corrected:
            pieces += [text[position:start], replacement.lower()]
            position = end
        query.corrected_text = "".join([*pieces, text[position:]])
    return query


# Ranking ------------------------------------------------------------------


def candidates_per_term(count):
    """How many of each word's heaviest pages a query of `count` words scores."""
    return max(MIN_CANDIDATES_PER_TERM, MAX_CANDIDATES // max(count, 1))


def _scored_sql(terms, topic_terms):
    """SQL and parameters for scored(page_id, score, topic_title, topic_summary, topic)."""
    table = connection.ops.quote_name(SearchTerm._meta.db_table)
    per_term = candidates_per_term(len(terms))
    heaviest = " UNION ".join(
        f"SELECT page_id FROM (SELECT page_id FROM {table} WHERE term = %s "
        f"ORDER BY weight DESC, page_id LIMIT %s) AS heaviest_{number}"
        for number in range(len(terms))
    )
    weights = " UNION ALL ".join(
        f"SELECT page_id, weight, %s AS topic FROM {table} "
        "WHERE term = %s AND page_id IN (SELECT page_id FROM candidates)"
        for _ in terms
    )
    in_summary = (
        f"(weight >= {SUMMARY_WEIGHT} AND weight < {TITLE_WEIGHT}) "
        f"OR weight >= {TITLE_WEIGHT + SUMMARY_WEIGHT}"
    )
    sql = (
        f"candidates (page_id) AS ({heaviest}), "
        "scored (page_id, score, topic_title, topic_summary, topic) AS ("
        "SELECT page_id, SUM(weight) AS score, "
        f"SUM(CASE WHEN topic = 1 AND weight >= {TITLE_WEIGHT} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN topic = 1 AND ({in_summary}) THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN topic = 1 THEN weight ELSE 0 END) "
        f"FROM ({weights}) AS found "
        "GROUP BY page_id ORDER BY score DESC, page_id LIMIT %s)"
    )
    params = [value for word in terms for value in (word, per_term)]
    params += [value for word in terms for value in (int(word in topic_terms), word)]
    return sql, [*params, MAX_RESULTS]


def best_pages(terms, topic_terms=()):
    """The best MAX_RESULTS pages for these words, by total weight, then id.

    Rows of (page id, score, topic_title, topic_summary, topic): the sum of
    the page's weights for all the words; of the `topic_terms` among them,
    how many are in the title, how many in the summary (a page's weight for
    a word is 100 for its title, plus 10 for its summary, plus at most 5
    for its body), and their total weight.

    Only candidate pages are scored: each word's heaviest pages (its title
    matches, then summary matches, then the most body uses; ties to the
    older page), candidates_per_term() of them. A page's score still
    counts all the query's words. Scoring every page that has one of the
    words would read a row per page for a common word ("effects", "blood"
    on most of 100,000 articles); this way the work is a few hundred index
    look-ups whatever the size of the site. A word on fewer pages than
    that brings them all, so the results are those of scoring every page
    unless some word is on more pages than that; a one-word query is always
    exact. The same SQL runs on SQLite and PostgreSQL: each word's list
    comes from the index search_term_by_weight (term, weight descending,
    page), and each candidate's weights from search_term_lookup (term,
    page, weight), one index look-up per page and word.
    """
    terms = list(dict.fromkeys(terms))
    if not terms:
        return []
    sql, params = _scored_sql(terms, set(topic_terms))
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {sql} SELECT * FROM scored ORDER BY score DESC, page_id", params)
        return [tuple(row) for row in cursor.fetchall()]


def _ranking_rows(query):
    """What rank() sorts by, in one query (one round trip, no lists of ids).

    Returns (rows, scored): rows of (page id, title, article kind, score,
    topic_title, topic_summary, topic, named) for the live pages among
    best_pages() and the MAX_RESULTS articles naming the most of the
    query's drugs (`named` of them; None where a page is not in that list,
    score and the topics None where it is not in best_pages(), kind None
    unless named >= 2, the only case rank() uses it), and how many pages
    best_pages() found.
    """
    quote = connection.ops.quote_name
    ctes, params = [], []
    terms = list(dict.fromkeys(query.terms))
    if terms:
        sql, scored_params = _scored_sql(terms, set(query.topic_terms))
        ctes.append(sql)
        params += scored_params
    else:
        ctes.append(
            "scored (page_id, score, topic_title, topic_summary, topic) AS "
            "(SELECT 0, 0, 0, 0, 0 WHERE 1 = 0)"
        )
    if query.drugs:
        drugs = ", ".join(["%s"] * len(query.drugs))
        ctes.append(
            "named (page_id, named) AS (SELECT article_id, COUNT(drug_id) AS named "
            f"FROM {quote(ArticleDrug._meta.db_table)} WHERE drug_id IN ({drugs}) "
            "GROUP BY article_id ORDER BY named DESC, article_id LIMIT %s)"
        )
        params += [*(drug.pk for drug in query.drugs), MAX_RESULTS]
    else:
        ctes.append("named (page_id, named) AS (SELECT 0, 0 WHERE 1 = 0)")
    page, article = quote(Page._meta.db_table), quote(Article._meta.db_table)
    # Titles and status only for these few hundred pages. The kind is only
    # needed for articles naming two or more of the drugs, and is looked up
    # page by page: joining the article table made PostgreSQL read all of it.
    sql = (
        f"WITH {', '.join(ctes)}, "
        "listed (page_id) AS (SELECT page_id FROM scored UNION SELECT page_id FROM named) "
        "SELECT page.id, page.title, CASE WHEN named.named >= 2 THEN "
        f"(SELECT kind FROM {article} WHERE page_ptr_id = page.id) END, "
        "scored.score, scored.topic_title, "
        "scored.topic_summary, scored.topic, named.named, "
        "(SELECT COUNT(*) FROM scored) "
        f"FROM listed JOIN {page} AS page ON page.id = listed.page_id "
        "LEFT JOIN scored ON scored.page_id = page.id "
        "LEFT JOIN named ON named.page_id = page.id "
        "WHERE page.status = %s AND page.pending_for_id IS NULL"
    )
    params.append(Status.PUBLISHED.value)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return [], 0
    return [tuple(row[:8]) for row in rows], rows[0][8]


def rank(query):
    """Page ids, best first, by relevance to the whole query. Returns (ids, capped).

    1. Pages about more of the medicines named: an article naming both
       drugs of "diazepam and mirtazapine" before one naming either; the
       drug's own page counts as naming it.
    2. How well the rest of the query matches ("side effects", "pregnancy"):
       how many of those words are in the title, then in the summary.
    3. Among articles naming two or more of the drugs, interactions first;
       then the drugs' own pages, in the order typed; then the rest of the query's weight
       in the body, then the total score.
    Ties are broken by title, then id, in Python, so both databases agree.
    The pages ranked are those of best_pages() and the MAX_RESULTS articles
    naming the most of the drugs (then the older first), and the drugs' own
    pages.
    """
    if not query.is_useful:
        return [], False
    rows, scored = _ranking_rows(query)
    titles, kinds, scores, topics, named = {}, {}, {}, {}, {}
    for pk, title, kind, score, topic_title, topic_summary, topic, count in rows:
        titles[pk], kinds[pk] = title, kind
        if score is not None:
            scores[pk] = score
            topics[pk] = (topic_title, topic_summary, topic)
        if count is not None:
            named[pk] = count
    typed_order = {drug.pk: position for position, drug in enumerate(query.drugs)}
    titles.update((drug.pk, drug.title) for drug in query.drugs)

    def key(pk):
        topic_title, topic_summary, topic = topics.get(pk, (0, 0, 0))
        return (
            -(named.get(pk, 0) + (pk in typed_order)),
            -topic_title,
            -topic_summary,
            named.get(pk, 0) >= 2 and kinds.get(pk) != Kind.INTERACTION,
            pk not in typed_order,
            typed_order.get(pk, 0),
            -topic,
            -scores.get(pk, 0),
            titles[pk].casefold(),
            pk,
        )

    return sorted(titles, key=key), scored == MAX_RESULTS


# Results ------------------------------------------------------------------


@dataclass
class Hit:
    page: object  # a Drug or an Article
    snippet: str

    @property
    def is_drug(self):
        return isinstance(self.page, Drug)


def _matches(text, terms, offset=0):
    for start, end, word in tokens(text):
        if is_searchable(word) and term(word) in terms:
            yield start + offset, end + offset


def highlight(text, terms, length=SNIPPET_LENGTH):
    """An escaped excerpt of text around the first match, words in <mark>.

    Each piece is escaped before it is wrapped, so nothing typed or written
    can add markup. Returns "" when no word matches.
    """
    first = next(_matches(text, terms), None)
    if first is None:
        return ""
    begin = max(0, first[0] - length // 3)
    if begin:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < first[0] else first[0]
    finish = min(len(text), begin + length)
    if finish < len(text):
        space = text.rfind(" ", begin, finish)
        finish = space if space > first[1] else max(finish, first[1])
    parts = ["…" if begin else ""]
    position = begin
    for start, end in _matches(text[begin:finish], terms, offset=begin):
        parts += [escape(text[position:start]), format_html("<mark>{}</mark>", text[start:end])]
        position = end
    parts += [escape(text[position:finish]), "…" if finish < len(text) else ""]
    # Safe: every piece above was escaped or built with format_html.
    return mark_safe("".join(parts))


def snippet(page, terms):
    terms = set(terms)
    marked = highlight(" ".join(page.summary.split()), terms)
    return marked or highlight(page.body_text, terms) or page.summary


def load_hits(ids, query):
    """Hits for one page of results, in rank order, with snippets."""
    # Drugs and articles in one query, with the articles' drugs in another.
    drug_links = ArticleDrug.objects.select_related("drug").defer(
        *(f"drug__{name}" for name in BODY_FIELDS)
    )
    found = (
        Page.objects.live()
        .filter(pk__in=ids)
        .select_related("drug", "article")
        .defer("body", "body_html", "toc")
        .prefetch_related(Prefetch("article__drug_links", queryset=drug_links))
    )
    pages = {page.pk: page.specific for page in found}
    return [Hit(pages[pk], snippet(pages[pk], query.terms)) for pk in ids if pk in pages]


def example_searches(lexicon):
    """Searches worth trying, built from the drugs we have."""
    drugs = lexicon.drugs
    examples = []
    brand = next(((drug, drug.brand_name_list[0]) for drug in drugs if drug.brand_name_list), None)
    if len(drugs) >= 2:
        examples.append(f"{drugs[0].title.lower()} and {drugs[1].title.lower()}")
    if brand:
        examples.append(brand[1])
    if drugs:
        examples.append(f"{drugs[-1].title.lower()} side effects")
    return examples
