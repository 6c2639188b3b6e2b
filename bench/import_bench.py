"""Time import_content on a generated content directory.

Usage:
    .venv/bin/python bench/import_bench.py                    # 40 drugs, 400 articles, SQLite
    .venv/bin/python bench/import_bench.py --drugs 20 --articles 200 --repeat 3

It writes a content directory of drugs (each a full medicine hub) and
interaction articles that link to each other with [[slug]] (so the importer
has to resolve links between pages it is creating), imports it into an
empty temporary SQLite database (or the throwaway DATABASE_URL database),
and prints the CPU time (the figure to compare: it is far less disturbed
than wall time by other work on the machine), the wall time and the number
of SQL queries of the import, best of --repeat runs on a fresh database
each time.

`--legacy-format` writes the files in the format of the importer before
live and pending versions (no sources or review data on drugs, reviewers as
free text), to measure that importer from a checkout of it.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# interactions.models.MEDICINE_SECTIONS, written out: this script also runs
# from a checkout of the older importer, which has no such constant.
SECTIONS = (
    "About {name}",
    "Key facts",
    "Who can and cannot take {name}",
    "How and when to take {name}",
    "If you miss a dose",
    "If you take too much",
    "Stopping {name}",
    "Side effects",
    "Pregnancy and breastfeeding",
    "Taking {name} with other medicines",
    "Common questions",
    "How to report a side effect",
)
WORDS = ("you", "may", "feel", "sleepy", "dizzy", "take", "it", "with", "food", "ask", "your")


def sentence(rng, length=12):
    words = [rng.choice(WORDS) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def drug_file(name, rng, others, legacy):
    links = " ".join(f"See [[{other}-and-{name.lower()}]]." for other in others)
    body = "\n\n".join(
        f"## {section.format(name=name.lower())}\n\n{sentence(rng)} {sentence(rng)}"
        for section in SECTIONS
    )
    if legacy:
        front = f"name: {name}\nbrand_names:\n- {name}ex\ndrug_class: Example\nsummary: {name}.\n"
    else:
        front = (
            f"name: {name}\nkind: medicine\nbrand_names:\n- {name}ex\ndrug_class: Example\n"
            f"effects: []\nsummary: {name}.\nstatus: published\nlast_reviewed: 2026-11-01\n"
            "reviewed_by: bench-team\nreferences:\n- title: A source\n"
            f"  url: https://example.org/{name.lower()}\n"
        )
    return f"---\n{front}---\n{links}\n\n{body}\n"


def article_file(first, second, rng, legacy):
    reviewer = "Benchmark team" if legacy else "bench-team"
    body = (
        f"Compare [[{first}]] and [[{second}]].\n\n## What happens\n\n{sentence(rng)}\n\n"
        "## When to get urgent help\n\n"
        '!!! emergency "Call 999 now if:"\n    - your breathing is very slow\n'
    )
    front = (
        f"title: Can you take {first} with {second}?\nkind: interaction\n"
        f"drugs:\n- {first}\n- {second}\nseverity: moderate\nsummary: {sentence(rng)}\n"
        f"see_also:\n- {first}\n- {second}\npopulations: []\nstatus: published\n"
        f"last_reviewed: 2026-11-01\nreviewed_by: {reviewer}\nreferences:\n- title: A source\n"
        "  url: https://example.org/source\n"
    )
    return f"---\n{front}---\n{body}"


def write_content(directory, drugs, articles, legacy, seed=1):
    """Drugs named drug-a…; articles for the first `articles` pairs of them."""
    rng = random.Random(seed)
    names = [f"Drug{index:03d}" for index in range(drugs)]
    pairs = [(a.lower(), b.lower()) for i, a in enumerate(names) for b in names[i + 1 :]]
    pairs = pairs[:articles]
    (directory / "drugs").mkdir(parents=True)
    (directory / "articles").mkdir()
    if not legacy:
        (directory / "reviewers.yaml").write_text(
            "bench-team:\n  name: Benchmark team\n  role: Test\n  clinical: false\n"
        )
    partners = {name.lower(): [] for name in names}
    for first, second in pairs:
        partners[second].append(first)
        text = article_file(first, second, rng, legacy)
        (directory / "articles" / f"{first}-and-{second}.md").write_text(text)
    for name in names:
        text = drug_file(name, rng, partners[name.lower()][:5], legacy)
        (directory / "drugs" / f"{name.lower()}.md").write_text(text)
    return len(names) + len(pairs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drugs", type=int, default=40)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--legacy-format", action="store_true")
    options = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    workdir = tempfile.TemporaryDirectory()
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir.name}/bench.sqlite3"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from interactions.content_files import import_directory
    from interactions.models import Article, Page

    content = Path(workdir.name) / "content"
    files = write_content(content, options.drugs, options.articles, options.legacy_format)
    call_command("migrate", verbosity=0)
    if Page.objects.exists():
        sys.exit("The database already has pages: give DATABASE_URL a throwaway database.")
    runs = []
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    try:
        for _ in range(options.repeat):
            queries.clear()
            with connection.execute_wrapper(count):
                cpu, started = time.process_time(), time.perf_counter()
                import_directory(content)
                cpu, elapsed = time.process_time() - cpu, time.perf_counter() - started
            runs.append((cpu, elapsed, len(queries)))
            Article.objects.all().delete()
            Page.objects.all().delete()
    finally:
        connection.close()
        workdir.cleanup()
    cpu, elapsed, query_count = min(runs)
    print(f"Database: {connection.vendor}; {files} files ({options.drugs} drugs)")
    print(
        f"Import, best of {options.repeat} by CPU time: {cpu:.2f} s CPU, {elapsed:.2f} s wall, "
        f"{query_count} queries; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
