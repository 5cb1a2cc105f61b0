"""`gilde import-people ORGANISATION FILE`: the HR import from the command line, with the same
checks as the web page (all or nothing, a line-by-line report of what is refused)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gilde.people import importing
from gilde.tenancy.models import Organisation


class Command(BaseCommand):
    help = "Import people from a CSV or XLSX HR export into one organisation (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="the organisation's slug")
        parser.add_argument("file", type=Path, help="a .csv or .xlsx file")
        parser.add_argument(
            "--create-teams", action="store_true", help="create teams that do not exist yet"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, import nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with slug {options['organisation']!r}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            batch = importing.batch_create(
                actor=None, organisation=organisation, filename=path.name, content=path.read_bytes()
            )
            if options["create_teams"]:
                batch = importing.batch_remap(
                    actor=None, batch=batch, mapping=batch.mapping, create_teams=True
                )
            plan = importing.batch_check(batch=batch, actor=None)
        except importing.PeopleImportError as error:
            raise CommandError(str(error)) from error
        for problem in plan.problems:
            self.stderr.write(f"column mapping: {problem}")
        for row in plan.rejected:
            self.stderr.write(f"line {row.line}: {'; '.join(str(r) for r in row.reasons)}")
        counts = plan.counts()
        summary = ", ".join(f"{key} {value}" for key, value in counts.items())
        if not plan.can_apply:
            raise CommandError(f"Nothing imported ({summary}).")
        if options["dry_run"]:
            self.stdout.write(f"Checked, nothing imported (dry run): {summary}")
            return
        try:
            done = importing.batch_apply(actor=None, batch=batch)
        except importing.PeopleImportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                "Imported: " + ", ".join(f"{key} {value}" for key, value in done.items())
            )
        )
