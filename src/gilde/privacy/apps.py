from __future__ import annotations

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "gilde.privacy"
    label = "privacy"

    def ready(self) -> None:
        # The apps at the bottom (people, tenancy, audit) must not import privacy, so their
        # personal data sections are registered from here. Apps above privacy register their
        # own in their AppConfig.ready() (see docs/privacy.md).
        from gilde.privacy.sections import register_sections

        register_sections()
