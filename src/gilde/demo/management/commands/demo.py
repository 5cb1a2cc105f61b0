"""`gilde demo`: migrate, load the demo networks, print the log-ins and start a server."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gilde.demo.formatting import logins_table
from gilde.demo.records import demo_xapi_client, xapi_client_text
from gilde.demo.selectors import demo_logins
from gilde.demo.services import DemoError, demo_load, demo_reset

DEFAULT_ADDRPORT = "127.0.0.1:8000"


def site_url(addrport: str) -> str:
    host, _sep, port = addrport.rpartition(":")
    if not host:
        host = "127.0.0.1"
    if host in {"0.0.0.0", "::", "[::]"}:  # noqa: S104 - only used to print a URL
        host = "127.0.0.1"
    return f"http://{host}:{port}/"


class Command(BaseCommand):
    help = (
        "Load four demo networks (Utrecht retailers, Gelderland tech firms, a Groningen temp "
        "agency, three first-aid training firms) with their competency frameworks and rating "
        "histories, and start the development server. Running it again does not load twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help="Load the demo and exit without a server."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Remove the demo data first, then load it anew."
        )
        parser.add_argument(
            "--addrport",
            default=DEFAULT_ADDRPORT,
            help=f"Address and port for the server (default {DEFAULT_ADDRPORT}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        try:
            if options["reset"]:
                removed = demo_reset()
                self.stdout.write(f"Removed the demo data ({removed} people).")
            result = demo_load()
        except DemoError as error:
            raise CommandError(str(error)) from error
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo: {result.networks} networks, {result.organisations} "
                    f"organisations, {result.people} people, {result.memberships} memberships, "
                    f"{result.frameworks} competency frameworks, {result.assessments} ratings, "
                    f"{result.records} learning records."
                )
            )
        else:
            self.stdout.write("The demo is already loaded; nothing was added.")
        logins = demo_logins()
        serve = not options["no_serve"]
        if serve:
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS(f"Gilde runs at {site_url(options['addrport'])}"))
        self.stdout.write("")
        self.stdout.write("Log in as any of these people (one password for all demo accounts):")
        self.stdout.write(logins_table(logins))
        self.stdout.write("")
        self.stdout.write(xapi_client_text(demo_xapi_client()))
        self.stdout.write("")
        if not serve:
            return
        if not (settings.PROJECT_DIR / "node_modules" / "htmx.org").is_dir():
            self.stderr.write("node_modules is missing: run `npm ci` so htmx can be served.")
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        # No reloader: it would run this whole command again in a child process.
        call_command("runserver", options["addrport"], use_reloader=False)
