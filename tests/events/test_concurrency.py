"""No over-booking: twenty people press "Register" at the same moment for five places; exactly
five get a place and fifteen the waiting list — on SQLite and on PostgreSQL, with real threads,
each with its own database connection.

SQLite: the test database is normally in memory and shared between connections, and SQLite
answers "table is locked" at once there instead of waiting. Production SQLite is a file (WAL,
IMMEDIATE transactions, a busy timeout: settings.py), so on SQLite the threads work on a file
copy of the test database with exactly those settings.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models import Count

from gilde.events import services
from gilde.events.models import Registration, RegistrationStatus, Session
from gilde.people.models import Person
from gilde.tenancy.models import Role
from gilde.tenancy.services import membership_create
from tests.conftest import World, make_person
from tests.events.conftest import make_series, plan

PEOPLE = 20
PLACES = 5


class ThreadDatabase:
    """Gives each thread its connection: the test database itself on PostgreSQL, a file copy
    of it on SQLite (see the module text). Call `copy()` once the data is there."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "threads.sqlite3"
        self.settings: dict[str, Any] | None = None

    def copy(self) -> None:
        if connection.vendor != "sqlite":
            return
        connection.ensure_connection()
        target = sqlite3.connect(self.path)
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
        target.close()
        self.settings = {**connection.settings_dict, "NAME": str(self.path)}

    def __call__(self) -> None:
        if self.settings is not None:
            backend = type(connections["default"])
            connections["default"] = backend(self.settings, "default")


@pytest.fixture
def database_for_threads(tmp_path: Path) -> ThreadDatabase:
    return ThreadDatabase(tmp_path)


def _count_in_thread(setup: Any, session_id: int) -> dict[str, int]:
    """Read the outcome with the same kind of connection the workers used."""
    out: dict[str, int] = {}

    def read() -> None:
        setup()
        try:
            for status, n in (
                Registration.objects.filter(session_id=session_id)
                .values_list("status")
                .annotate(n=Count("pk"))
            ):
                out[status] = n
        finally:
            connections["default"].close()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    return out


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_registrations_for_five_places(
    world: World, database_for_threads: Any
) -> None:
    item = make_series(world)
    session = plan(world, item, capacity=PLACES)[0]
    people = []
    for i in range(PEOPLE):
        person = make_person(f"tegelijk{i}@example.org", "Sam", f"Tegelijk{i}")
        membership_create(actor=None, person=person, organisation=world.a.org, roles=[Role.LEARNER])
        people.append(person)
    person_ids = [p.pk for p in people]
    setup = database_for_threads
    setup.copy()
    seen_names: list[str] = []
    start = threading.Barrier(PEOPLE)
    errors: list[str] = []

    def register(person_id: int) -> None:
        setup()
        try:
            seen_names.append(str(connections["default"].settings_dict["NAME"]))
            person = Person.objects.get(pk=person_id)
            fresh = Session.objects.get(pk=session.pk)
            start.wait(timeout=30)
            services.registration_create(actor=person, session=fresh)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=register, args=(pk,)) for pk in person_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    if connection.vendor == "sqlite":
        assert set(seen_names) == {str(setup.path)}
    outcome = _count_in_thread(setup, session.pk)
    assert outcome == {RegistrationStatus.CONFIRMED: PLACES, RegistrationStatus.WAITING: 15}
