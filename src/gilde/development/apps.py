from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "gilde.development"
    label = "development"
    verbose_name = _("Development")

    def ready(self) -> None:
        from gilde.development.privacy import register_development_section
        from gilde.development.services import action_tick_on_completion
        from gilde.learning.signals import item_completed

        register_development_section()
        # A completed catalogue item ticks the plan actions linked to it (same transaction).
        item_completed.connect(
            action_tick_on_completion, dispatch_uid="development.tick_plan_action"
        )
