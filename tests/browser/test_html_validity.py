"""The Nu Html Checker finds no errors in any page type, or in the CSS.

The pages are fetched from the live server as served (not as Chromium
re-serialises them), saved to one folder and checked in one Java run.
"""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

from django.conf import settings
from django.template.loader import render_to_string

from tests.browser.page_types import PAGE_TYPES


def fetch(url):
    try:
        with urlopen(url, timeout=10) as response:
            return response.read()
    except HTTPError as error:  # the 404 page is a page type too
        with error:
            return error.read()


def test_every_page_type_and_stylesheet_is_valid(live_site, vnu_command, tmp_path):
    for page_type in PAGE_TYPES:
        (tmp_path / f"{page_type.id}.html").write_bytes(fetch(live_site.url + page_type.path))
    (tmp_path / "server-error.html").write_text(render_to_string("500.html"))
    (tmp_path / "unavailable.html").write_text(render_to_string("503.html"))
    for css in sorted((Path(settings.BASE_DIR) / "static" / "css").glob("*.css")):
        shutil.copy(css, tmp_path / css.name)

    result = subprocess.run(
        [*vnu_command, "--errors-only", "--also-check-css", "--format", "json", "--stdout"]
        + [str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    checked = sorted(p.name for p in tmp_path.iterdir())
    assert len(checked) >= 12, checked
    messages = json.loads(result.stdout)["messages"]
    errors = [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']}"
        f"\n    {m.get('extract', '').strip()}"
        for m in messages
    ]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0, result.stderr
