from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenciesConfig(AppConfig):
    name = "gilde.competencies"
    label = "competencies"
    verbose_name = _("Competencies")

    def ready(self) -> None:
        from gilde.competencies.privacy import register_competencies_section

        register_competencies_section()
