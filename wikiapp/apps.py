from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "wikiapp"
    verbose_name = "Wiki"
