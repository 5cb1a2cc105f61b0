from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LrsConfig(AppConfig):
    name = "gilde.lrs"
    label = "lrs"
    verbose_name = _("Learning records")

    def ready(self) -> None:
        from gilde.lrs.privacy import register_lrs_section

        register_lrs_section()
