"""SQLite as the embedded database: concurrent writers queue, never fail.

Without IMMEDIATE transactions a writer that first read inside its
transaction cannot upgrade its lock while another writes, and SQLite answers
"database is locked" at once instead of waiting. This runs real threads
against a real SQLite file, in a separate process with production settings.
"""

import sys
import textwrap

from tests.servers import clean_env, run

WRITERS = 24

SCRIPT = textwrap.dedent(
    """
    import sys, threading
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from interactions.models import Drug

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        print(cursor.execute("PRAGMA journal_mode").fetchone()[0])
    counter = Drug.objects.create(title="Counter", slug="counter", summary="0")
    start = threading.Barrier(WRITERS)
    errors = []

    def write(number):
        try:
            start.wait()
            for round in range(3):
                # Read, then write, in one transaction: the pattern of an
                # admin save, and the one that fails with deferred locking.
                with transaction.atomic():
                    drug = Drug.objects.get(pk=counter.pk)
                    drug.summary = str(int(drug.summary) + 1)
                    drug.save()
                    Drug.objects.create(
                        title=f"Drug {number} {round}", slug=f"drug-{number}-{round}",
                        summary="Made by a concurrent writer.",
                    )
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(Drug.objects.get(pk=counter.pk).summary, Drug.objects.count())
    print("\\n".join(errors))
    """
).replace("WRITERS", str(WRITERS))


def test_concurrent_saves_to_a_sqlite_file_never_fail_with_database_is_locked(tmp_path):
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}")
    result = run([sys.executable, "-c", SCRIPT], env, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "wal"
    # Every increment counted (no lost update) and every row written.
    assert lines[1] == f"{WRITERS * 3} {WRITERS * 3 + 1}", result.stdout
    assert "locked" not in result.stdout and lines[2:] in ([], [""]), result.stdout
