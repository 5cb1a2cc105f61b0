"""`gilde backup [--output FILE]`: the database and every stored file in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gilde.core import backup


class Command(BaseCommand):
    help = (
        "Write one archive (.tar.gz, or .tar) with the database, every uploaded file and a "
        "manifest with checksums. Safe while Gilde runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            help="the archive to write, or a folder for it "
            "(default: gilde-backup-YYYYmmdd-HHMMSS.tar.gz in the current folder)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]

        def progress(message: str) -> None:
            if verbosity >= 1:
                self.stderr.write(message)

        try:
            result = backup.create_backup(options["output"], progress=progress)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:  # no space left, no permission to write there
            raise CommandError(f"Backup not written: {error}") from error
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Backup written: {result.path} ({result.files} files, "
                    f"{backup.human_size(result.size)})"
                )
            )
