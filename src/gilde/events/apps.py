from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "gilde.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from gilde.events.privacy import register_events_section

        register_events_section()
