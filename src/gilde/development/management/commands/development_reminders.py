from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gilde.development.tasks import reminders_sweep


class Command(BaseCommand):
    help = (
        "Send the check-in reminders that are due (the day before, and a day after a check-in "
        "that is not marked as held). Safe to run as often as you like, e.g. every hour from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_sweep()
        self.stdout.write(f"{sent} reminder(s) sent.")
