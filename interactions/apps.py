from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "interactions"
    verbose_name = "Medicines content"

    def ready(self):
        # Connect the signals that keep the search index and the page cache
        # in step with saves.
        from . import page_cache, search  # noqa: F401
