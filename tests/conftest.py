"""Shared fixtures. Test-only settings live in tests/settings.py."""

import pytest
from django.core.management import call_command

from tests import editors, factories


def clear_content():
    """Delete every page and what hangs off it (the data-migration rows stay)."""
    from reversion.models import Revision

    from interactions.models import Article, ArticleDrug, Page, Reviewer, SeeAlso

    SeeAlso.objects.all().delete()
    ArticleDrug.objects.all().delete()
    Article.objects.all().delete()
    Page.objects.all().delete()
    Reviewer.objects.all().delete()
    Revision.objects.all().delete()


@pytest.fixture
def seed_content(db):
    """The real content/ directory, imported (inside the test's transaction)."""
    call_command("import_content", verbosity=0)


@pytest.fixture(scope="module")
def seeded_module(django_db_setup, django_db_blocker):
    """content/ imported once for a whole module of read-only tests.

    Each test still runs in a transaction that is rolled back, so tests may
    change pages; the imported content is removed when the module ends.
    """
    with django_db_blocker.unblock():
        call_command("import_content", verbosity=0)
    yield
    with django_db_blocker.unblock():
        clear_content()


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
