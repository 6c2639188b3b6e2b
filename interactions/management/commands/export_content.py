"""Write every drug and article to Markdown files, in the import format.

Exporting and importing again gives identical files, so content edited in
the admin can be committed to git and reviewed like code.
"""

from django.core.management.base import BaseCommand

from interactions.content_files import export_directory


class Command(BaseCommand):
    help = "Export drugs and articles to DIR/drugs and DIR/articles as Markdown files."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, verbosity, **options):
        written = export_directory(directory)
        if verbosity >= 1:
            self.stdout.write(f"Wrote {len(written)} files to {directory}.")
