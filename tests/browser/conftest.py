"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright.

Browsers cannot be downloaded here, so Playwright never installs its own:
it launches the system Chromium. Outside CI a missing Chromium skips these
tests with a message; under CI (CI=true) it is a failure. The same goes for
the test-only tools from npm (axe-core, the Nu Html Checker) and Java.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.servers import restore_migration_rows

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def missing(message):
    """Skip outside CI with a message; fail under CI, where nothing may be missing."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # First, so that pytest-django orders live_site tests with the db tests,
    # before transactional tests flush the migrated data away.
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
        if "live_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session")
def chromium():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = (
            f"Chromium not found at {CHROMIUM}: install it with "
            "'apt-get install chromium' (or set CHROMIUM=/path/to/chromium)."
        )
        missing(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def no_js_page(chromium):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="package")
def _one_page(chromium):
    context = chromium.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(scope="package")
def _one_no_js_page(chromium):
    context = chromium.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def _reset(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="screen", color_scheme="light")
    return page


@pytest.fixture
def reused_page(_one_page):
    """Like page, but one page shared by the many page-type checks (a new one
    costs about 0.15 s), reset to a light desktop screen. Only for tests that
    navigate first and change nothing but the viewport and media."""
    return _reset(_one_page)


@pytest.fixture
def reused_no_js_page(_one_no_js_page):
    """Like no_js_page, shared in the same way as reused_page."""
    return _reset(_one_no_js_page)


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        missing(f"{AXE} not found: run 'make node_modules/.installed' (npm ci).")
    return AXE.read_text()


@pytest.fixture(scope="session")
def vnu_command():
    if not VNU.exists():
        missing(f"{VNU} not found: run 'make node_modules/.installed' (npm ci).")
    java = shutil.which("java")
    if not java:
        missing("Java not found: install it with 'apt-get install default-jre-headless'.")
    return [java, "-jar", str(VNU)]


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def live_db(transactional_db):
    """A database the live server thread can see, with the migrated rows."""
    restore_migration_rows()


@pytest.fixture
def live_content(live_db, live_server):
    """content/ imported where the live server thread can see it."""
    from django.core.management import call_command

    call_command("import_content", verbosity=0)
    return live_server


@pytest.fixture(scope="package")
def live_site(django_db_setup, django_db_blocker):
    """A live server with content/ imported once for all read-only page checks.

    live_content imports for every test, and pytest-django's live_server turns
    on transactional_db (a flush) for every test that uses it: about a second
    a test. Page checks only read, so they share one import and one server
    (pytest-django's own LiveServer class). Afterwards the database is
    flushed and restored to what it held before (as serialized_rollback
    does), so tests that run later see the migrated data they expect. Tests
    using this must not write to the database.
    """
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import modify_settings
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        before = connection.creation.serialize_db_to_string()
        call_command("import_content", verbosity=0)
        server = LiveServer("localhost")
    try:
        with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
            yield server
    finally:
        server.stop()
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            connection.creation.deserialize_db_from_string(before)
