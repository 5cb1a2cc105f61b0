from django.apps import AppConfig


class GeneratorConfig(AppConfig):
    name = "gilde.generator"
    label = "generator"
    verbose_name = "Reference data"
