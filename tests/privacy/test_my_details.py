from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from gilde.audit.models import AuditEvent
from gilde.people.models import Person
from gilde.tenancy.models import Role
from gilde.tenancy.services import membership_create
from tests.conftest import PASSWORD, World


def test_anonymous_visitor_is_sent_to_log_in(client: Client, db: None) -> None:
    for name in ("privacy:me", "privacy:edit", "privacy:export", "privacy:erase"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_temp_worker_sees_agency_and_host_and_a_past_job(client: Client, world: World) -> None:
    worker = world.temp_worker
    today = timezone.localdate()
    membership_create(
        actor=None,
        person=worker,
        organisation=world.b.org,
        roles=[Role.LEARNER],
        function_title="Magazijnmedewerker",
        start_date=today - dt.timedelta(days=400),
        end_date=today - dt.timedelta(days=100),
    )
    client.force_login(worker)
    page = client.get(reverse("privacy:me")).content.decode()
    assert world.agency.name in page
    assert world.a.org.name in page
    assert world.b.org.name in page and "Magazijnmedewerker" in page
    assert escape(worker.display_name) in page
    assert reverse("account_change_password") in page
    assert reverse("mfa_index") in page
    assert reverse("privacy:export") in page and reverse("privacy:erase") in page


def test_my_details_shows_only_my_own_memberships(client: Client, world: World) -> None:
    client.force_login(world.a.learner)
    page = client.get(reverse("privacy:me")).content.decode()
    assert world.a.org.name in page
    assert world.b.org.name not in page
    assert world.agency.name not in page
    assert world.a.admin.email not in page


def test_coordinator_sees_network_role(client: Client, world: World) -> None:
    client.force_login(world.a.coordinator)
    page = client.get(reverse("privacy:me")).content.decode()
    assert world.a.network.name in page


def test_my_details_page_query_count_does_not_grow_with_history(
    client: Client, world: World
) -> None:
    person = world.a.learner
    client.force_login(person)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("privacy:me")).status_code == 200
    today = timezone.localdate()
    for n in range(8):
        membership_create(
            actor=None,
            person=person,
            organisation=world.b.org if n % 2 else world.agency,
            roles=[Role.LEARNER],
            start_date=today - dt.timedelta(days=1000 - n * 100),
            end_date=today - dt.timedelta(days=1000 - n * 100 - 50),
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("privacy:me")).status_code == 200
    assert len(many) == len(few)


def test_person_changes_name_with_tussenvoegsel_and_language(client: Client, world: World) -> None:
    person = world.a.learner
    client.force_login(person)
    assert client.get(reverse("privacy:edit")).status_code == 200
    response = client.post(
        reverse("privacy:edit"),
        {
            "given_name": "Lotte",
            "infix": "van der",
            "family_name": "Berg",
            "email": person.email,
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.display_name == "Lotte van der Berg"
    assert person.sort_key.startswith("berg")
    assert person.preferred_language == "en"
    assert response.cookies["django_language"].value == "en"
    assert AuditEvent.objects.filter(action="person.update", subject=person).exists()


def test_changing_e_mail_needs_the_password(client: Client, world: World) -> None:
    person = world.a.learner
    old = person.email
    client.force_login(person)
    data = {
        "given_name": person.given_name,
        "infix": person.infix,
        "family_name": person.family_name,
        "email": "lotte.nieuw@example.org",
        "preferred_language": "nl",
    }
    response = client.post(reverse("privacy:edit"), {**data, "current_password": "wrong"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    person.refresh_from_db()
    assert person.email == old

    response = client.post(reverse("privacy:edit"), {**data, "current_password": PASSWORD})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == "lotte.nieuw@example.org"


def test_e_mail_of_someone_else_is_refused_and_nothing_changes(
    client: Client, world: World
) -> None:
    person = world.a.learner
    client.force_login(person)
    response = client.post(
        reverse("privacy:edit"),
        {
            "given_name": "Andere",
            "infix": "",
            "family_name": "Naam",
            "email": world.b.admin.email,
            "preferred_language": "nl",
            "current_password": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.given_name == "Lotte" and fresh.email == "learner-a@example.org"


def test_unknown_language_is_refused(client: Client, world: World) -> None:
    person = world.a.learner
    client.force_login(person)
    response = client.post(
        reverse("privacy:edit"),
        {
            "given_name": "Lotte",
            "infix": "",
            "family_name": "X",
            "email": person.email,
            "preferred_language": "fr",
        },
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.preferred_language == "nl" and person.family_name != "X"
