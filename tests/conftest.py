"""Shared fixtures. Test-only settings live in tests/settings.py."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests import editors, factories


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty page cache.

    The database is rolled back between tests without delete signals, so a
    page stored by one test would otherwise be served to the next.
    """
    cache.clear()


@pytest.fixture
def seed_content(db):
    """The real content/ directory, imported."""
    call_command("import_content", verbosity=0)


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
    """The test client logged in as a member of the Medical reviewers group."""
    client.force_login(editors.reviewer())
    return client
