from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScormConfig(AppConfig):
    name = "gilde.scorm"
    label = "scorm"
    verbose_name = _("Packaged e-learning")

    def ready(self) -> None:
        from gilde.scorm.kinds import register_package_kind
        from gilde.scorm.privacy import register_scorm_section

        register_package_kind()
        register_scorm_section()
