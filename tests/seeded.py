"""content/ imported once per test module, for tests that only read it.

Importing it for every test costs seconds each; here it is imported inside
a transaction that is rolled back when the module's tests are done. Each
test still runs in its own savepoint, so a test that writes is undone too.
Use it only in modules whose every test may see the content.
"""

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def content(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_content", verbosity=0)
        yield
        transaction.set_rollback(True)
