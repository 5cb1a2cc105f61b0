from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "gilde.learning"
    label = "learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        from gilde.learning.privacy import register_learning_section

        register_learning_section()
