"""`gilde generate --scale pilot|region|country --seed N`: reference data in an empty database."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gilde.generator import PASSWORD
from gilde.generator.scales import SCALES
from gilde.generator.services import GeneratorError, check_arguments, generate


class Command(BaseCommand):
    help = (
        "Fill an empty database with synthetic reference data: pilot (1 network, 10 "
        "organisations, 200 people), region (5 networks, 500 organisations, 5,000 people, "
        "500,000 learning records) or country (PostgreSQL on a large machine). The same scale "
        "and seed always give the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Checked by the service (not argparse's `choices`/`type`) so that every bad value gets
        # the same one-line message.
        parser.add_argument("--scale", default="pilot", help=f"one of {', '.join(SCALES)}")
        parser.add_argument("--seed", default="1", help="a whole number, 0 or more (default 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            seed = int(options["seed"])
        except ValueError:
            seed = options["seed"]
        try:
            size = check_arguments(options["scale"], seed)
        except GeneratorError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(
            f"Generating the {size.name} scale with seed {seed}: "
            + ", ".join(f"{value:,} {name}" for name, value in size.rows())
        )
        last: dict[str, float] = {}

        def progress(step: str, done: int, total: int) -> None:
            # A line per step every two seconds at most, and its last one.
            now = time.monotonic()
            if now - last.get(step, 0.0) < 2 and done < total:
                return
            last[step] = now
            share = 100 * done // total if total else 100
            self.stderr.write(f"  {step}: {done:,} / {total:,} ({share}%)")
            sys.stderr.flush()

        started = time.monotonic()
        try:
            result = generate(scale=size.name, seed=seed, progress=progress)
        except GeneratorError as error:
            raise CommandError(str(error)) from error
        took = time.monotonic() - started
        for name, value in result.counts.items():
            self.stdout.write(f"{name:>20}: {value:,}")
        for name, seconds in result.seconds.items():
            self.stdout.write(f"{name:>28}: {seconds:,.1f} s")
        self.stdout.write(
            self.style.SUCCESS(f"Done in {took:,.0f} s. Every account's password: {PASSWORD}")
        )
