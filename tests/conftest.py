"""Shared fixtures. Test-only settings live in tests/settings.py."""

import sys

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from tests import editors, factories, servers


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty page cache.

    The database is rolled back between tests without delete signals, so a
    page stored by one test would otherwise be served to the next.
    """
    cache.clear()


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """collectstatic once, for the tests that run production processes."""
    root = tmp_path_factory.mktemp("static")
    result = servers.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        servers.clean_env(DEBUG="", STATIC_ROOT=str(root)),
    )
    assert result.returncode == 0, result.stderr
    return str(root)


@pytest.fixture
def seed_content(db):
    """The real content/ directory, imported (inside the test's transaction)."""
    call_command("import_content", verbosity=0)


@pytest.fixture(scope="module")
def seeded_module(django_db_setup, django_db_blocker):
    """content/ imported once for a whole module (importing it costs seconds).

    It is imported inside a transaction that is rolled back when the
    module's tests are done; each test still runs in its own savepoint, so a
    test that writes is undone too. Use it only in modules whose every test
    may see the content.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_content", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_module, db):
    """Use in tests of a module that imports content/ once (seeded_module)."""


@pytest.fixture
def make():
    return factories


@pytest.fixture
def editor_client(client):
    """The test client logged in as a member of the Editors group."""
    client.force_login(editors.editor())
    return client


@pytest.fixture
def reviewer_client(client):
    """The test client logged in as a medical reviewer with a reviewer profile."""
    client.force_login(editors.reviewer())
    return client
