from django.apps import AppConfig


class ArtefactsConfig(AppConfig):
    name = "artefacts"
    verbose_name = "Artefacts"
