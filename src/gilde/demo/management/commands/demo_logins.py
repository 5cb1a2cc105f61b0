"""`gilde demo-logins`: who to log in as in the demo, as a table or (--json) for scripts."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gilde.demo.formatting import logins_table
from gilde.demo.records import demo_xapi_client, xapi_client_text
from gilde.demo.selectors import demo_logins


class Command(BaseCommand):
    help = "Print a demo log-in for every network and role, read from the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print a JSON list of objects with role, network, organisation, email, password.",
        )
        parser.add_argument(
            "--xapi",
            action="store_true",
            help="Print the demo's xAPI client instead: organisation, endpoint, key, secret.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["xapi"]:
            client = demo_xapi_client()
            if options["json"]:
                self.stdout.write(json.dumps(client.as_dict() if client else None, indent=2))
            else:
                self.stdout.write(xapi_client_text(client))
            return
        logins = demo_logins()
        if options["json"]:
            self.stdout.write(
                json.dumps([login.as_dict() for login in logins], indent=2, ensure_ascii=False)
            )
            return
        if not logins:
            self.stdout.write("No demo log-ins found. Load the demo first: gilde demo --no-serve")
            return
        self.stdout.write(logins_table(logins))
        self.stdout.write("")
        self.stdout.write(xapi_client_text(demo_xapi_client()))
