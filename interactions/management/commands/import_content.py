"""Load content/ Markdown files into the database.

Editors can keep drugs and articles in git; this brings the files in. Every
file is checked first (front matter, links, the same rules as the admin), and
the import is all or nothing: one bad file means nothing is written and every
problem is listed with its file and field. A draft or review file for a live
page becomes its pending version: the live page stays up until a medical
reviewer publishes the change.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from interactions.content_files import ContentError, import_directory


class Command(BaseCommand):
    help = "Import drugs and articles from a content directory (default: content/)."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=str(settings.BASE_DIR / "content"))
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, but write nothing."
        )

    def handle(self, *args, directory, dry_run, verbosity, **options):
        try:
            report = import_directory(directory, dry_run=dry_run)
        except ContentError as error:
            count = len(error.problems)
            raise CommandError(
                f"Nothing was imported: {count} problem{'s' if count != 1 else ''}.\n{error}"
            ) from None
        if verbosity >= 2:
            labelled = (
                ("created", report.created),
                ("updated", report.updated),
                ("pending version", report.pending),
            )
            for label, slugs in labelled:
                for slug in slugs:
                    self.stdout.write(f"  {label}: {slug}")
        if verbosity >= 1:
            prefix = "Dry run, nothing written: " if dry_run else ""
            self.stdout.write(
                f"{prefix}{len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.pending)} pending versions, {len(report.unchanged)} unchanged."
            )
