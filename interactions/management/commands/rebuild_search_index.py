"""Rebuild the search index from scratch.

Every save keeps the index up to date, so this is only needed after a change
to how words are split, stemmed or weighted (interactions/search.py), or
after pages were changed without save() (for example with a bulk update).
"""

from django.core.management.base import BaseCommand

from interactions.search import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index for every drug and published article."

    def handle(self, *args, verbosity, **options):
        count = rebuild_index()
        if verbosity >= 1:
            self.stdout.write(f"Indexed {count} page{'s' if count != 1 else ''}.")
