"""Building a reference dataset: `generate(scale="region", seed=1)`.

The structure (networks, organisations, teams, frameworks, profiles, catalogue items) and the
learning acts (enrolments, completions) go through the same service functions as the web pages,
with their checks, audit events and learning records. The bulk goes through the services' own
bulk paths: people through the HR import (one file per organisation), ratings through
`assessments_load`, extra learning records through the LRS's `store_statements` in batches.

Everything is drawn from one `random.Random(seed)`, and dates are counted back from a fixed day,
so the same scale and seed give the same data (the database's own ids and creation times aside).
The whole run is one transaction: it either completes or leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from gilde.generator import PASSWORD
from gilde.generator.scales import SCALES, Scale
from gilde.tenancy.models import Organisation

# Dates in the data are counted back from this day, not from today, so a dataset generated next
# year is the same one.
REFERENCE_DAY = dt.date(2026, 1, 5)

Progress = Callable[[str, int, int], None]


class GeneratorError(ValueError):
    """The generator cannot run; the message (for the terminal, in English) says why."""


@dataclass
class Generated:
    scale: str
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def check_arguments(scale: str, seed: int) -> Scale:
    if scale not in SCALES:
        raise GeneratorError(f"Unknown scale {scale!r}: choose one of {', '.join(SCALES)}.")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise GeneratorError(f"The seed must be a whole number of 0 or more, not {seed!r}.")
    return SCALES[scale]


def check_database_fits(size: Scale) -> None:
    from django.db import connection

    if size.name == "country" and connection.vendor != "postgresql":
        raise GeneratorError(
            "The country scale (50 million learning records) needs PostgreSQL: set DATABASE_URL "
            "to a postgres:// database on a machine with room for it."
        )


def check_database_empty() -> None:
    """Generated people must never mix with real ones: the generator fills an empty database."""
    existing = Organisation.objects.count()
    if existing:
        raise GeneratorError(
            f"This database already holds {existing} organisation(s). The generator only fills "
            "an empty database: point DATABASE_URL at a new one."
        )


def generate(*, scale: str, seed: int, progress: Progress | None = None) -> Generated:
    """Fill the (empty) database with the reference data of `scale`. Raises GeneratorError for
    an unknown scale, a negative seed or a database that is not empty, before writing anything."""
    from gilde.generator import competencies, development, events, learning, people, records

    size = check_arguments(scale, seed)
    check_database_fits(size)
    check_database_empty()
    report = progress or (lambda _step, _done, _total: None)
    result = Generated(scale=size.name, seed=seed)
    world = World(size=size, rng=random.Random(seed), report=report)  # noqa: S311 - synthetic data
    steps: list[tuple[str, Callable[[World], dict[str, int]]]] = [
        ("organisations and people", people.build),
        ("competencies and ratings", competencies.build),
        ("catalogue and enrolments", learning.build),
        ("events and registrations", events.build),
        ("development plans", development.build),
        ("learning records", records.build),
    ]
    # Invented people get no e-mail (invitations, registration confirmations): the messages go
    # nowhere while the generator runs.
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        for name, step in steps:
            started = time.perf_counter()
            result.counts.update(step(world))
            result.seconds[name] = time.perf_counter() - started
    return result


@dataclass
class Member:
    """A generated person and their place, as the later steps need them."""

    person: Any
    membership: Any
    organisation: Organisation
    network_index: int
    manager: Any = None
    is_manager: bool = False
    profile_competencies: list[Any] = field(default_factory=list)


@dataclass
class World:
    """What the steps share: the scale, the one random source, and what earlier steps built."""

    size: Scale
    rng: random.Random
    report: Progress
    networks: list[Any] = field(default_factory=list)
    organisations: list[list[Organisation]] = field(default_factory=list)  # per network
    members: list[Member] = field(default_factory=list)
    coordinators: list[Any] = field(default_factory=list)  # per network
    frameworks: list[Any] = field(default_factory=list)  # published versions, per network
    items: list[list[Any]] = field(default_factory=list)  # per network: items its members reach
    org_items: dict[int, list[Any]] = field(default_factory=dict)  # organisation pk -> items
    enrolments: list[Any] = field(default_factory=list)
    password_hash: str = ""

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def day_back(self, most: int, least: int = 0) -> dt.date:
        return REFERENCE_DAY - dt.timedelta(days=self.rng.randint(least, most))

    def moment_back(self, most_days: int) -> dt.datetime:
        day = self.day_back(most_days)
        return dt.datetime.combine(
            day, dt.time(self.rng.randint(7, 18), self.rng.randint(0, 59)), tzinfo=dt.UTC
        )

    def hash(self) -> str:
        if not self.password_hash:
            # One hash for every generated account: hashing thousands of passwords with Argon2
            # would take most of the run. A fixed salt keeps it repeatable.
            self.password_hash = make_password(PASSWORD, salt="gildegenerated")
        return self.password_hash


def split(
    total: int, parts: int, rng: random.Random, *, least: int = 1, skew: float = 1.3
) -> list[int]:
    """`total` divided over `parts` with a long tail (a few large, many small), each at least
    `least`; the sizes add up to `total` exactly."""
    if parts <= 0:
        return []
    least = min(least, total // parts) if total >= parts else 0
    weights = [rng.paretovariate(skew) for _ in range(parts)]
    spare = total - least * parts
    scale = spare / sum(weights)
    sizes = [least + int(w * scale) for w in weights]
    short = total - sum(sizes)
    order = sorted(range(parts), key=lambda i: -weights[i])
    for i in range(short):
        sizes[order[i % parts]] += 1
    return sizes


def ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if c.isascii() and c.isalnum()).lower()


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def today() -> dt.date:
    return timezone.localdate()


def hours(rng: random.Random) -> Decimal:
    return Decimal(rng.choice(["1", "2", "4", "8", "16", "24", "40"]))
