"""Write every drug and article to Markdown files, in the import format.

Exporting and importing again gives identical files, so content edited in
the admin can be committed to git and reviewed like code. Pending versions
of live pages (changes waiting for a medical reviewer) are written to
DIR/pending/, so nothing waiting for review is lost.
"""

from django.core.management.base import BaseCommand

from interactions.content_files import export_directory


class Command(BaseCommand):
    help = (
        "Export drugs and articles to DIR/drugs and DIR/articles as Markdown files, "
        "pending versions to DIR/pending/, and their reviewers to DIR/reviewers.yaml."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, verbosity, **options):
        written = export_directory(directory)
        if verbosity >= 1:
            pending = sum(1 for path in written if "pending" in path.parent.parent.name)
            self.stdout.write(
                f"Wrote {len(written)} files to {directory}"
                + (f", {pending} of them pending versions in pending/." if pending else ".")
            )
