"""`gilde restore FILE [--yes]`: put back the database and the files of a `gilde backup` archive.

Everything is checked before anything changes; a backup that does not fit stops with one line
and leaves the database and the files as they were."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, transaction

from gilde.core import backup


class Command(BaseCommand):
    help = (
        "Replace the database and all uploaded files with those of a backup archive. "
        "Stop the web processes and workers first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="an archive written by `gilde backup`")
        parser.add_argument(
            "--yes",
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        verbosity = options["verbosity"]

        def progress(message: str) -> None:
            if verbosity >= 1:
                self.stderr.write(message)

        try:
            prepared = backup.prepare_restore(path, progress=progress)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        with prepared:
            manifest = prepared.manifest
            created = backup.backup_created(manifest)
            made = f", made {created:%Y-%m-%d %H:%M:%S %Z}" if created else ""
            summary = (
                f"{path.name} (Gilde {manifest.get('gilde_version', '?')}{made}): "
                f"{backup.VENDOR_NAMES[manifest['database']]} database, {prepared.files} files"
            )
            if verbosity >= 1:
                self.stdout.write(f"Checked {summary}")
            if options["interactive"]:
                answer = input(
                    "This replaces the database and every uploaded file with the backup's.\n"
                    "Type 'yes' to continue, anything else to stop: "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled; nothing changed.")
            try:
                backup.apply_restore(prepared)
            except backup.BackupError as error:
                raise CommandError(str(error)) from error
        pending = backup.pending_migrations()
        self._record(path, manifest)
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Restored {summary}"))
            if pending:
                self.stdout.write(
                    f"The backup is from an older version: run `gilde migrate` "
                    f"({len(pending)} migrations to apply) before starting Gilde."
                )

    def _record(self, path: Path, manifest: dict[str, Any]) -> None:
        """The restored database gets an audit row saying it was restored, and from what."""
        from gilde.audit.services import audit_record

        try:
            with transaction.atomic():
                audit_record(
                    actor=None,
                    action="backup.restore",
                    file=path.name,
                    backup_created=str(manifest.get("created", "")),
                    gilde_version=str(manifest.get("gilde_version", "")),
                )
        except DatabaseError as error:  # a much older schema: the trail gets it after migrate
            self.stderr.write(f"The restore was not written to the audit trail ({error}).")
