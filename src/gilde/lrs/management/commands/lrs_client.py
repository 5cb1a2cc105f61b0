"""`gilde lrs-client create --organisation SLUG --name NAME [--json]`: a key and secret for xAPI."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gilde.lrs.models import Client, Scope
from gilde.lrs.services import client_create, client_revoke, store_for
from gilde.tenancy.models import Network, Organisation


class Command(BaseCommand):
    help = "Create, list or revoke xAPI clients (key and secret) of an organisation's or network's LRS."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="a new client; prints endpoint, key and secret")
        owner = create.add_mutually_exclusive_group(required=True)
        owner.add_argument("--organisation", help="organisation slug")
        owner.add_argument("--network", help="network slug")
        create.add_argument("--name", required=True)
        create.add_argument(
            "--scope",
            action="append",
            choices=list(Scope.values),
            help="xAPI scope (repeatable; default: all)",
        )
        create.add_argument(
            "--xapi-version",
            choices=["1.0.3", "2.0.0"],
            default="2.0.0",
            help="version named in answers to requests that name none",
        )
        create.add_argument("--json", action="store_true", help="print JSON")
        listing = sub.add_parser("list", help="the clients of an organisation or network")
        list_owner = listing.add_mutually_exclusive_group(required=True)
        list_owner.add_argument("--organisation")
        list_owner.add_argument("--network")
        revoke = sub.add_parser("revoke", help="revoke a client by its key")
        revoke.add_argument("key")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "revoke":
            client = Client.objects.filter(key=options["key"]).first()
            if client is None:
                raise CommandError(f"no client with key {options['key']}")
            client_revoke(actor=None, client=client)
            self.stdout.write(f"revoked {client.name} ({client.key})")
            return
        store = self._store(options)
        if action == "list":
            for client in store.clients.order_by("created_at"):
                state = "revoked" if client.revoked_at else "active"
                self.stdout.write(f"{client.key}  {state:8}  {client.scopes:20}  {client.name}")
            return
        try:
            made = client_create(
                actor=None,
                store=store,
                name=options["name"],
                scopes=options["scope"] or ["all"],
                xapi_version=options["xapi_version"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        endpoint = str(settings.SITE_URL).rstrip("/") + "/xapi/"
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "endpoint": endpoint,
                        "key": made.key,
                        "secret": made.secret,
                        "scopes": made.client.scopes.split(),
                        "store": str(store),
                    }
                )
            )
        else:
            self.stdout.write(
                f"endpoint: {endpoint}\nkey:      {made.key}\nsecret:   {made.secret}"
            )

    def _store(self, options: dict[str, Any]) -> Any:
        if options.get("organisation"):
            org = Organisation.objects.filter(slug=options["organisation"]).first()
            if org is None:
                raise CommandError(f"no organisation with slug {options['organisation']}")
            return store_for(organisation=org)
        net = Network.objects.filter(slug=options["network"]).first()
        if net is None:
            raise CommandError(f"no network with slug {options['network']}")
        return store_for(network=net)
