"""Shared fixtures. Test-only settings live in tests/settings.py."""

import pytest
from django.core.management import call_command

from tests import factories


@pytest.fixture
def seed_content(db):
    """The real content/ directory, imported."""
    call_command("import_content", verbosity=0)


@pytest.fixture
def make():
    return factories
