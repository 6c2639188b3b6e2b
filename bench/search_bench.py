"""Search latency with generated content: p50 and p95 of /search/ requests.

    .venv/bin/python bench/search_bench.py                 # 10,000 articles
    .venv/bin/python bench/search_bench.py --articles 2000 --repeat 3

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \
        .venv/bin/python bench/search_bench.py --articles 100000

By default it builds a throwaway SQLite database in a temporary directory
and deletes it afterwards. With DATABASE_URL set it uses that database
instead; it must be a throwaway one with no pages in it, and everything the
benchmark creates is deleted at the end (unless --keep: then --reuse
measures those pages again without generating them).

The 200 drugs are saved through save_page(); the articles are built in
batches doing what save_page() does for a new page (see generate()):
rendering each body, which is most of what is left, and the search rows
from the site's own search.page_weights(), with batched inserts.

Each query is sent through Django's test client (URL routing, the view,
the database and the template), one at a time in one process, so the
figures are for one core.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SYLLABLES = "ba ce di fo gu la me ni po ru sa te vi zo xa ly ko pe tri qua".split()  # noqa: SIM905
ENDINGS = ["pam", "zine", "pril", "olol", "statin", "mycin", "azole", "oxetine", "dine", "mab"]
WORDS = """
    sleepy dizzy tired headache nausea appetite weight blood pressure heart liver kidney
    breathing anxiety depression pain seizure muscle tablet liquid dose morning evening
    doctor pharmacist nurse pregnancy breastfeeding children older adults alcohol driving
    falls confusion memory rash itch swelling fever infection stomach bowel sugar salt
    water sleep night week month year stop start change check test result risk benefit
    common rare serious mild effect reaction allergy emergency urgent help call wake slow
""".split()  # noqa: SIM905
KINDS = ["interaction", "side-effects", "risks", "benefits", "questions", "special-populations"]
URGENT = (
    '## When to get urgent help\n\n!!! emergency "Call 999 or 911 now if:"\n    - breathing slows\n'
)


def drug_name(rng):
    return "".join(rng.sample(SYLLABLES, 2)).capitalize() + rng.choice(ENDINGS)


def paragraph(rng, names, length):
    words = [rng.choice(WORDS) for _ in range(length)]
    for name in names:
        words.insert(rng.randrange(len(words)), name.lower())
    return " ".join(words).capitalize() + "."


def generate(articles=10_000, drugs=200, seed=1, batch=2000):
    """Create drugs and articles; their search rows are built by the site's code.

    The drugs go through save_page(), the one write path. The articles (the
    bulk of the time: about 9 ms each through save_page() on PostgreSQL) are
    built in batches instead, doing what save_page() does for a new page
    with no [[links]]: Page.render() stores the body's HTML, text and
    contents, the version becomes 1, and each live article gets exactly the
    rows search.index_pages() would write, from the same
    search.page_weights(). Only the inserts are batched (bulk_create, and
    executemany for the Article table's own rows, since Django's
    bulk_create refuses a model that inherits from Page).
    tests/test_search_bench.py checks that the rows equal what
    search.rebuild_index() writes and that the pages equal save_page()'s.
    """
    from django.db import transaction

    from interactions.models import Article, Drug, Population, Reviewer, Status
    from interactions.workflow import save_page

    rng = random.Random(seed)
    names = set()
    while len(names) < drugs:
        names.add(drug_name(rng))
    populations = list(Population.objects.all())
    with transaction.atomic():
        team, _ = Reviewer.objects.get_or_create(
            key="bench-team", defaults={"name": "Benchmark team", "role": "Test", "clinical": False}
        )
        created_drugs = [
            save_page(
                Drug(
                    title=name,
                    slug=name.lower(),
                    brand_names=f"{name[:4]}ex\n{name[-5:].capitalize()}ol",
                    drug_class=rng.choice(["Antidepressant", "Benzodiazepine", "Painkiller"]),
                    summary=paragraph(rng, [name], 15),
                    body="\n\n".join(paragraph(rng, [name], 40) for _ in range(3)),
                    status=Status.PUBLISHED,
                    last_reviewed="2026-11-01",
                    reviewed_by=team,
                )
            )
            for name in sorted(names)
        ]
        pending = []
        for number in range(articles):
            kind = KINDS[number % len(KINDS)]
            pair = rng.sample(created_drugs, 2)
            first, second = pair
            title = {
                "interaction": f"Can you take {first.title} with {second.title}?",
                "side-effects": f"Side effects of {first.title} ({number})",
                "risks": f"{first.title} and {second.title}: what are the risks? ({number})",
                "benefits": f"What are the benefits of {first.title}? ({number})",
                "questions": f"Common questions about {first.title} ({number})",
                "special-populations": f"{first.title} in pregnancy ({number})",
            }[kind]
            body = "\n\n".join(
                f"## Section {part}\n\n" + paragraph(rng, [d.title for d in pair], 60)
                for part in range(3)
            )
            article = Article(
                title=title,
                slug=f"article-{number}",
                kind=kind,
                severity=rng.choice(["major", "moderate", "minor", "unknown"])
                if kind == "interaction"
                else "",
                summary=paragraph(rng, [first.title], 20),
                body=body + ("\n\n" + URGENT if kind in ("interaction", "risks") else ""),
                status=Status.DRAFT if number % 10 == 9 else Status.PUBLISHED,
                last_reviewed="2026-11-01",
                reviewed_by=team,
            )
            linked = pair if kind in ("interaction", "risks") else [first]
            pending.append(
                (article, linked, populations[:1] if kind == "special-populations" else [])
            )
            if len(pending) == batch:
                _store_articles(pending)
                pending = []
        _store_articles(pending)
    return created_drugs


def _store_articles(items):
    """Store new articles as save_page() would, with batched inserts.

    `items` are (unsaved Article, its drugs in order, its populations).
    """
    from django.db import connection

    from interactions import search
    from interactions.models import Article, ArticleDrug, Page, SearchTerm

    if not items:
        return
    articles = [article for article, _, _ in items]
    for article in articles:
        article.version += 1
        rendered = article.render()
        if rendered.linked_slugs or rendered.problems:
            raise ValueError(f"{article.slug}: generated bodies have no links or problems")
    parent_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    parents = Page.objects.bulk_create(
        Page(**{f.attname: getattr(article, f.attname) for f in parent_fields})
        for article in articles
    )
    for article, parent in zip(articles, parents, strict=True):
        article.pk = article.page_ptr_id = parent.pk
        article.created, article.updated = parent.created, parent.updated
        article._state.adding = False
    # The Article table's own row for each page: what Model.save() inserts
    # after the parent's row.
    child_fields = Article._meta.local_concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in child_fields)
    placeholders = ", ".join(["%s"] * len(child_fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {connection.ops.quote_name(Article._meta.db_table)} ({columns}) "
            f"VALUES ({placeholders})",
            [
                [f.get_db_prep_save(getattr(article, f.attname), connection) for f in child_fields]
                for article in articles
            ],
        )
    ArticleDrug.objects.bulk_create(
        ArticleDrug(article=article, drug=drug, position=position)
        for article, drugs, _ in items
        for position, drug in enumerate(drugs)
    )
    through = Article.populations.through
    through.objects.bulk_create(
        through(article_id=article.pk, population_id=population.pk)
        for article, _, populations in items
        for population in populations
    )
    # search.index_pages() for new pages: no rows to delete first.
    SearchTerm.objects.bulk_create(
        (
            SearchTerm(page_id=article.pk, term=word, weight=weight)
            for article in articles
            if article.is_live
            for word, weight in search.page_weights(article).items()
        ),
        batch_size=2000,
    )


def queries_for(drugs, rng):
    """A mix of what patients type: names, brands, typos, questions, words."""
    queries = []
    for drug in rng.sample(drugs, min(10, len(drugs))):
        other = rng.choice(drugs)
        brand = drug.brand_name_list[0]
        typo = drug.title[:3] + drug.title[4:]
        queries += [
            drug.title,
            brand.upper(),
            typo,
            f"can I take {drug.title} with {other.title}",
            f"{drug.title} side effects",
        ]
    queries += ["sleepy", "pregnancy alcohol", "blood pressure heart", "rash", "xyzzy", ""]
    return queries


def analyse(connection):
    """Refresh the planner's statistics, as a live database keeps them.

    PostgreSQL's autovacuum does this on its own (and marks pages visible,
    which index-only scans need); SQLite only when asked.
    """
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def measure(client, queries, repeat=5):
    """Milliseconds per request, and the number of responses that were not 200.

    Returns (every timing, the best timing of each query, failures).
    """
    from django.urls import reverse

    url = reverse("interactions:search")
    timings, best, failures = [], {}, 0
    for query in queries:  # warm up caches once
        client.get(url, {"q": query})
    for _ in range(repeat):
        for query in queries:
            start = time.perf_counter()
            response = client.get(url, {"q": query})
            elapsed = (time.perf_counter() - start) * 1000
            timings.append(elapsed)
            best[query] = min(elapsed, best.get(query, elapsed))
            failures += response.status_code != 200
    return timings, list(best.values()), failures


def summary(timings):
    centiles = statistics.quantiles(timings, n=100, method="inclusive")
    return {
        "requests": len(timings),
        "p50_ms": round(centiles[49], 1),
        "p95_ms": round(centiles[94], 1),
        "max_ms": round(max(timings), 1),
    }


def _cpu():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--drugs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="leave the generated pages in the database (DATABASE_URL only), for --reuse "
        "or to look at query plans",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the pages a run with --keep left in DATABASE_URL instead of generating "
        "(and delete them afterwards, unless --keep again)",
    )
    options = parser.parse_args(argv)
    if (options.keep or options.reuse) and not os.environ.get("DATABASE_URL"):
        parser.error("--keep and --reuse need DATABASE_URL")

    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    workdir = None
    if not os.environ.get("DATABASE_URL"):
        workdir = tempfile.TemporaryDirectory()
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir.name}/bench.sqlite3"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from interactions.models import Article, Drug, Page, SearchTerm

    call_command("migrate", verbosity=0)
    if Page.objects.exists() and not options.reuse:
        sys.exit("The database already has pages: give DATABASE_URL a throwaway database.")
    try:
        started = time.perf_counter()
        if options.reuse:
            drugs = sorted(Drug.objects.live(), key=lambda drug: drug.title)
            if not drugs:
                sys.exit("--reuse: the database has no pages; run once with --keep first.")
        else:
            drugs = generate(options.articles, options.drugs)
        analyse(connection)
        built = time.perf_counter() - started
        load_before = os.getloadavg()[0]
        timings, best, failures = measure(
            Client(), queries_for(drugs, random.Random(2)), options.repeat
        )
        figures, best_figures = summary(timings), summary(best)
        print(f"Database: {connection.vendor}")
        print(f"CPU: {_cpu()} (one process, one thread)")
        print(f"Python {platform.python_version()}, Django {django.get_version()}")
        print(
            f"Content: {Drug.objects.count()} drugs, {Article.objects.count()} articles "
            f"({Article.objects.published().count()} published), "
            f"{SearchTerm.objects.count()} index rows; "
            + ("reused" if options.reuse else f"generated in {built:.0f} s")
        )
        print(
            f"Search requests: {figures['requests']}, p50 {figures['p50_ms']} ms, "
            f"p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms, "
            f"non-200 responses: {failures}"
        )
        print(
            f"Best of {options.repeat} per query ({best_figures['requests']} queries): "
            f"p50 {best_figures['p50_ms']} ms, p95 {best_figures['p95_ms']} ms, "
            f"max {best_figures['max_ms']} ms"
        )
        print(
            f"Load average (1 min) before / after: {load_before:.2f} / {os.getloadavg()[0]:.2f} "
            f"on {os.cpu_count()} CPUs"
        )
    finally:
        if not options.keep:
            Article.objects.all().delete()
            Drug.objects.all().delete()
        if workdir:
            connection.close()
            workdir.cleanup()
    return figures


if __name__ == "__main__":
    main()
