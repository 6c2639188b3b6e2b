from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "interactions"
    verbose_name = "Medicines content"

    def ready(self):
        # Connects the signal that keeps the search index in step with saves.
        from . import search  # noqa: F401
