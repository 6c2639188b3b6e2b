"""A missing Chromium skips the browser tests on a laptop and fails them in CI."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES_TEST = "tests/browser/test_pages.py"


def run_browser_test(ci=None):
    # SQLite for the child run, so it never shares this run's test database.
    environment = {**os.environ, "CHROMIUM": "/nonexistent/chromium", "DATABASE_URL": ""}
    environment.pop("CI", None)
    if ci:
        environment["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", PAGES_TEST],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


@pytest.mark.slow
def test_missing_chromium_skips_with_install_advice_outside_ci():
    result = run_browser_test()
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "apt-get install chromium" in result.stdout


@pytest.mark.slow
def test_missing_chromium_fails_under_ci():
    result = run_browser_test(ci="true")
    assert result.returncode == 1
    assert "Chromium not found at /nonexistent/chromium" in result.stdout
