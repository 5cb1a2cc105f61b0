"""Importing 10,000 people from an HR export into a fresh organisation (goal: under 5 s).

The file looks like a real export: a title row above the header, a byte order mark, semicolons,
Dutch name parts, departments that do not exist yet, managers named by e-mail, dates as 1-3-2021.
Each run imports into a new organisation through the real services, in the order the pages call
them: upload (parse and store), check, write. The floor is a bare bulk_create of the same 10,000
Person rows in the same run; the ratio to it is what to compare across machines.

    uv run python benchmarks/bench_import.py            # SQLite in a temporary file
    DATABASE_URL=postgres://... uv run python benchmarks/bench_import.py
    BENCH_ROWS=2000 BENCH_RUNS=5 uv run python benchmarks/bench_import.py
"""

from __future__ import annotations

import datetime as dt
import os
import random
import secrets
import time
import unicodedata
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from _common import (
    count_queries,
    markdown_table,
    median,
    p95,
    seconds,
    setup_django,
    summary_row,
    timed,
)

DATABASE = setup_django()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402

from gilde.people import importing  # noqa: E402
from gilde.people.models import Person  # noqa: E402
from gilde.people.names import sort_name  # noqa: E402
from gilde.tenancy.models import Role  # noqa: E402
from gilde.tenancy.services import membership_create, organisation_create  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
GOAL_SECONDS = 5.0

GIVEN = [
    "Jan",
    "Piet",
    "Kees",
    "Henk",
    "Willem",
    "Bram",
    "Daan",
    "Luuk",
    "Sem",
    "Thijs",
    "Ruben",
    "Lars",
    "Joris",
    "Sander",
    "Niels",
    "Bas",
    "Koen",
    "Anna",
    "Eva",
    "Sanne",
    "Lotte",
    "Fleur",
    "Iris",
    "Noor",
    "Emma",
    "Julia",
    "Sophie",
    "Lisa",
    "Femke",
    "Anouk",
    "Marieke",
    "Ilse",
    "Esther",
    "Mohamed",
    "Yusuf",
    "Fatima",
    "Aylin",
    "Priya",
    "Mei",
    "Olga",
    "Jesús",
    "José",
    "Zoë",
    "Chloé",
    "Björn",
]
INFIXES = ["", "", "", "", "", "van", "de", "van der", "van den", "van 't", "den", "ter", "in 't"]
FAMILY = [
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Dijkstra",
    "Vries",
    "Berg",
    "Jong",
    "Leeuwen",
    "Wit",
    "Graaf",
    "Hof",
    "Veen",
    "Wal",
    "Pol",
    "Heuvel",
    "Laan",
    "Kok",
    "Jacobs",
    "Vermeulen",
    "Yılmaz",
    "Öztürk",
    "El",
    "Amrani",
    "Nguyen",
    "Kowalski",
    "Müller",
    "Çelik",
    "Şahin",
    "Huisman",
    "Postma",
    "Koster",
]
TEAMS = [
    "Bakkerij",
    "Winkel Centrum",
    "Winkel Noord",
    "Bezorging",
    "Inkoop",
    "Administratie",
    "Personeelszaken",
    "Werkplaats",
    "Magazijn",
    "Klantenservice",
    "Verkoop binnendienst",
    "Verkoop buitendienst",
    "Planning",
    "Kwaliteit",
    "ICT",
    "Facilitair",
    "Marketing",
    "Directie",
    "Schoonmaak",
    "Techniek",
]
JOBS = [
    "Medewerker",
    "Senior medewerker",
    "Teamleider",
    "Bakker",
    "Verkoper",
    "Chauffeur",
    "Monteur",
    "Planner",
    "Administratief medewerker",
    "Stagiair",
    "Leerling-monteur",
]


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def hr_export(rows: int, domain: str, seed: int) -> bytes:
    """An HR export as Excel writes it with Dutch settings."""
    rnd = random.Random(seed)
    people = []
    for i in range(rows):
        given, infix, family = rnd.choice(GIVEN), rnd.choice(INFIXES), rnd.choice(FAMILY)
        email = f"{_ascii(given)}.{_ascii(infix + family)}.{i}@{domain}"
        people.append((f"{10000 + i}", given, infix, family, email))
    managers = people[: max(rows // 12, 1)]
    start = dt.date(2000, 1, 1)
    lines = [
        "Personeelsoverzicht per 1-3-2024;;;;;;;;;",
        ";;;;;;;;;",
        "Personeelsnr.;Roepnaam;Tussenv.;Achternaam;E-mailadres;Afdeling;Functie;"
        "Datum in dienst;Uit dienst;Leidinggevende",
    ]
    for i, (number, given, infix, family, email) in enumerate(people):
        hired = start + dt.timedelta(days=rnd.randrange(0, 9000))
        left = hired + dt.timedelta(days=rnd.randrange(400, 4000)) if rnd.random() < 0.03 else None
        manager = "" if i < len(managers) else rnd.choice(managers)[4]
        lines.append(
            ";".join(
                [
                    number,
                    given,
                    infix,
                    family,
                    email,
                    rnd.choice(TEAMS),
                    rnd.choice(JOBS),
                    f"{hired.day}-{hired.month}-{hired.year}",
                    left.strftime("%d-%m-%Y") if left else "",
                    manager,
                ]
            )
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


class Phases:
    """Times the check and the write inside the real batch_apply, by wrapping the two module
    functions it calls."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self._originals: dict[str, Callable[..., Any]] = {}

    def __enter__(self) -> Phases:
        for name in ("batch_check", "apply_plan"):
            original = getattr(importing, name)
            self._originals[name] = original
            setattr(importing, name, self._wrap(name, original))
        return self

    def __exit__(self, *exc: object) -> None:
        for name, original in self._originals.items():
            setattr(importing, name, original)

    def _wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[name] = self.spent.get(name, 0.0) + time.perf_counter() - start

        return wrapper


def one_run(run: int, *, count: bool = False) -> dict[str, float]:
    tag = secrets.token_hex(3)
    content = hr_export(ROWS, f"run{run}-{tag}.example.nl", seed=run)
    organisation = organisation_create(actor=None, name=f"Bakkerij {run} {tag}", kind="company")
    admin = Person.objects.create_user(f"admin-{tag}@example.nl", None, given_name="Beheer")
    membership_create(
        actor=None, person=admin, organisation=organisation, roles=[Role.ORG_ADMIN, Role.LEARNER]
    )

    parse_time, _parsed = timed(lambda: importing.parse_file("export.csv", content))
    queries = upload_queries = remap_queries = 0
    with count_queries() if count else nullcontext() as captured:
        upload_time, batch = timed(
            lambda: importing.batch_create(
                actor=admin, organisation=organisation, filename="export.csv", content=content
            )
        )
        if captured is not None:
            upload_queries = len(captured)
        importing.batch_remap(actor=admin, batch=batch, mapping=batch.mapping, create_teams=True)
        if captured is not None:
            remap_queries = len(captured) - upload_queries
        with Phases() as phases:
            confirm_time, counts = timed(
                lambda: importing.batch_apply(actor=admin, batch=batch, revision=batch.revision)
            )
        if captured is not None:
            queries = len(captured)
    assert counts["created"] == ROWS and counts["rejected"] == 0, counts

    floor_people = [
        Person(
            email=f"floor-{i}@{tag}.example.nl",
            given_name="Jan",
            infix="van",
            family_name=f"Floor{i}",
            sort_key=sort_name("Jan", "van", f"Floor{i}"),
            password=make_password(None),
        )
        for i in range(ROWS)
    ]

    def floor() -> None:
        with transaction.atomic():
            Person.objects.bulk_create(floor_people, batch_size=importing.CHUNK)

    floor_time, _none = timed(floor)
    return {
        "parse": parse_time,
        "upload": upload_time,
        "validate": phases.spent["batch_check"],
        "apply": phases.spent["apply_plan"],
        "confirm": confirm_time,
        "total": upload_time + confirm_time,
        "floor": floor_time,
        "queries": queries,
        "upload_queries": upload_queries,
        "confirm_queries": queries - upload_queries - remap_queries,
    }


def main() -> None:
    # A first, untimed run warms the caches and counts the queries (counting slows things down).
    warm = one_run(0, count=True)
    runs = [one_run(run) for run in range(1, RUNS + 1)]

    def med(key: str) -> float:
        return median([r[key] for r in runs])

    total = med("total")
    print(
        f"Import of {ROWS:,} people from a CSV HR export into a fresh organisation "
        f"({DATABASE}); median of {RUNS} runs after one warm-up run.\n"
    )
    print(
        markdown_table(
            [
                "rows",
                "parse",
                "upload (parse + store)",
                "validate",
                "apply (write)",
                "total (upload + confirm)",
                "total p95",
                "queries",
                "floor: bulk_create of the Person rows",
                "total / floor",
            ],
            [
                [
                    f"{ROWS:,}",
                    seconds(med("parse")),
                    seconds(med("upload")),
                    seconds(med("validate")),
                    seconds(med("apply")),
                    seconds(total),
                    seconds(p95([r["total"] for r in runs])),
                    int(warm["queries"]),
                    seconds(med("floor")),
                    f"{total / med('floor'):.1f}×",
                ]
            ],
        )
    )
    people = f"{ROWS:,} people"
    floor_ms = med("floor") * 1000
    summary_row(
        scenario=f"whole import of {ROWS:,} people: upload + confirm (queries: total)",
        median_ms=total * 1000,
        p95_ms=p95([r["total"] for r in runs]) * 1000,
        queries=int(warm["queries"]),
        rows=people,
        floor_ms=floor_ms,
        floor="raw insert",
    )
    summary_row(
        scenario="upload step: parse + store (queries: total of the step)",
        median_ms=med("upload") * 1000,
        p95_ms=p95([r["upload"] for r in runs]) * 1000,
        queries=int(warm["upload_queries"]),
        rows=people,
        floor_ms=None,
        floor="",
    )
    summary_row(
        scenario="confirm step: check + write (queries: total of the step)",
        median_ms=med("confirm") * 1000,
        p95_ms=p95([r["confirm"] for r in runs]) * 1000,
        queries=int(warm["confirm_queries"]),
        rows=people,
        floor_ms=floor_ms,
        floor="raw insert",
    )
    verdict = "met" if total < GOAL_SECONDS else "NOT met"
    print(
        f"\nGoal: {ROWS:,} people in under {GOAL_SECONDS:.0f} s — {verdict}. "
        "The confirm step checks every line again before writing (validate + apply)."
    )


if __name__ == "__main__":
    main()
