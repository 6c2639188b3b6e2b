"""Page weight: an article page's HTML + CSS + JS, gzipped, against 14 KB.

A server's first round trip carries about 14 KB (TCP's initial window of ten
packets), so a page whose HTML and render-blocking files fit in it can show
without waiting for another round trip. Every published article in content/
is rendered into a throwaway test database and weighed with every stylesheet
and script it links to (there are no scripts).

    make bench
    .venv/bin/python bench/page_weight.py

Exits non-zero when any article is over budget. tests/test_page_weight.py
asserts the same budget in the test suite.
"""

import gzip
import os
import sys
import warnings
from html.parser import HTMLParser
from pathlib import Path

BUDGET = 14 * 1024
ROOT = Path(__file__).resolve().parent.parent


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split():
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])


def gzipped_size(data):
    return len(gzip.compress(data, compresslevel=6))


def weigh(client, path):
    """[(what, raw bytes, gzipped bytes)] for a page and every file it links to."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    response = client.get(path)
    assert response.status_code == 200, f"{path}: HTTP {response.status_code}"
    html = response.content
    rows = [(path, len(html), gzipped_size(html))]
    parser = _Assets()
    parser.feed(html.decode())
    for url in parser.urls:
        found = finders.find(url.removeprefix(settings.STATIC_URL).split("?")[0])
        assert found, f"{path} links to {url}, which is not a static file"
        data = Path(found).read_bytes()
        rows.append((url, len(data), gzipped_size(data)))
    return rows


def total(rows):
    return sum(gzipped for _, _, gzipped in rows)


def main():
    sys.path.insert(0, str(ROOT))
    # whitenoise warns that STATIC_ROOT is empty before collectstatic; irrelevant here.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from interactions.models import Article

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("import_content", verbosity=0)
        client = Client()
        weights = {
            article.slug: weigh(client, article.get_absolute_url())
            for article in Article.objects.published().order_by("slug")
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    heaviest = max(weights, key=lambda slug: total(weights[slug]))
    print(f"{'article':<52} {'HTML':>7} {'total':>7}  (gzipped bytes)")
    for slug, rows in weights.items():
        print(f"{slug:<52} {rows[0][2]:>7} {total(rows):>7}")
    print(f"\nHeaviest: {heaviest}")
    for what, raw, gzipped in weights[heaviest]:
        print(f"  {what:<50} {raw:>7} raw {gzipped:>7} gzipped")
    over = {slug: total(rows) for slug, rows in weights.items() if total(rows) > BUDGET}
    verdict = "OVER" if over else "within"
    print(f"  {'total':<50} {total(weights[heaviest]):>19} gzipped: {verdict} {BUDGET} budget")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
