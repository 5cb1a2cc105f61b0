"""Registration: yourself or your team, approval by the manager, the waiting list that promotes
the next person (with an e-mail) when a place frees up, cancelling up to the deadline, places
kept per organisation, and outsiders who see and change nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from gilde.events import services
from gilde.events.models import Registration, RegistrationStatus, Session
from gilde.learning.models import CatalogueItem
from tests.conftest import World, make_person
from tests.events.conftest import ics_of, make_series, plan
from tests.learning.conftest import make_item

pytestmark = pytest.mark.django_db
CONFIRMED, WAITING = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def add_people(world: World, n: int) -> list[Any]:
    from gilde.tenancy.models import Role
    from gilde.tenancy.services import membership_create

    people = []
    for i in range(n):
        person = make_person(f"p{i}-a@example.org", "Piet", f"Deelnemer{i}")
        membership_create(
            actor=None,
            person=person,
            organisation=world.a.org,
            roles=[Role.LEARNER],
            manager=world.a.manager,
        )
        people.append(person)
    return people


def test_a_learner_registers_and_gets_an_invitation_by_mail(
    world: World,
    series: CatalogueItem,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    session = plan(world, series)[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.a.learner).post(
            reverse("events:session-register", args=[session.uuid])
        )
    assert response.status_code == 302
    registration = Registration.objects.get(session=session, person=world.a.learner)
    assert registration.status == CONFIRMED
    assert registration.organisation == world.a.org
    assert [m.to for m in mailoutbox] == [[world.a.learner.email]]
    ics = ics_of(mailoutbox[0])
    assert "METHOD:REQUEST" in ics and str(session.uuid) in ics


def test_registering_twice_gets_a_message_and_changes_nothing(
    world: World, series: CatalogueItem
) -> None:
    session = plan(world, series)[0]
    services.registration_create(actor=world.a.learner, session=session)
    client = client_for(world.a.learner)
    response = client.post(reverse("events:session-register", args=[session.uuid]), follow=True)
    assert "registered for this session already" in response.content.decode()
    assert Registration.objects.filter(session=session).count() == 1


def test_a_full_session_puts_people_on_the_waiting_list_and_a_cancellation_promotes_the_first(
    world: World,
    series: CatalogueItem,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    session = plan(world, series, capacity=1)[0]
    first = services.registration_create(actor=world.a.learner, session=session)
    second = services.registration_create(actor=world.a.mentor, session=session)
    third = services.registration_create(actor=world.a.author, session=session)
    assert (first.status, second.status, third.status) == (CONFIRMED, WAITING, WAITING)
    assert services.waiting_position(third) == 2
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=world.a.learner, registration=first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (CONFIRMED, WAITING)
    to = {m.to[0]: m for m in mailoutbox}
    assert "METHOD:CANCEL" in ics_of(to[world.a.learner.email])
    promoted = to[world.a.mentor.email]
    assert "A place for you" in promoted.subject
    assert "METHOD:REQUEST" in ics_of(promoted)


def test_cancelling_after_the_deadline_is_refused(world: World) -> None:
    item = make_series(world, cancel_hours=48)
    starts = timezone.now() + dt.timedelta(hours=30)
    session = plan(world, item, starts=starts.replace(second=0, microsecond=0), hours=1)[0]
    registration = services.registration_create(actor=world.a.learner, session=session)
    response = client_for(world.a.learner).post(
        reverse("events:registration-cancel", args=[registration.uuid]), follow=True
    )
    assert "until 48 hours before the start" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == CONFIRMED
    # The coordinator may still cancel it (someone phoned in sick).
    services.registration_cancel(actor=world.a.coordinator, registration=registration)


def test_signing_up_again_after_cancelling_reuses_the_row_with_a_higher_sequence(
    world: World, series: CatalogueItem
) -> None:
    session = plan(world, series)[0]
    registration = services.registration_create(actor=world.a.learner, session=session)
    services.registration_cancel(actor=world.a.learner, registration=registration)
    again = services.registration_create(actor=world.a.learner, session=session)
    assert again.pk == registration.pk
    assert again.status == CONFIRMED
    assert again.ical_sequence == 2


def test_with_approval_the_manager_decides_and_a_decline_frees_nothing(
    world: World, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    item = make_series(world, approval_required=True)
    session = plan(world, item, capacity=1)[0]
    request = services.registration_create(actor=world.a.learner, session=session)
    assert request.status == RegistrationStatus.REQUESTED
    manager = client_for(world.a.manager)
    page = manager.get(reverse("events:approvals"))
    assert escape(world.a.learner.display_name) in page.content.decode()
    # An outsider and the learner themselves cannot decide.
    assert (
        client_for(world.b.manager)
        .post(reverse("events:registration-decide", args=[request.uuid]), {"decision": "approve"})
        .status_code
        == 404
    )
    with pytest.raises(services.EventError):
        services.registration_decide(actor=world.a.learner, registration=request, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(
            reverse("events:registration-decide", args=[request.uuid]), {"decision": "approve"}
        )
    request.refresh_from_db()
    assert request.status == CONFIRMED
    assert any("You are registered" in m.subject for m in mailoutbox)


def test_a_manager_registers_two_team_members_without_approval(world: World) -> None:
    item = make_series(world, approval_required=True)
    session = plan(world, item, capacity=5)[0]
    extra = add_people(world, 1)[0]
    client = client_for(world.a.manager)
    url = reverse("events:session-register-team", args=[session.uuid, world.a.org.slug])
    page = client.get(url)
    assert escape(world.a.learner.display_name) in page.content.decode()
    assert escape(world.a.admin.display_name) not in page.content.decode()
    response = client.post(url, {"people": [str(world.a.learner.uuid), str(extra.uuid)]})
    assert response.status_code == 302
    statuses = dict(Registration.objects.filter(session=session).values_list("person_id", "status"))
    assert statuses == {world.a.learner.pk: CONFIRMED, extra.pk: CONFIRMED}
    # Someone the manager does not lead refuses the whole lot.
    with pytest.raises(services.EventError, match="people you lead"):
        services.registrations_create_for_team(
            actor=world.a.manager,
            session=session,
            organisation=world.a.org,
            people=[world.a.author],
        )
    # An outsider's manager cannot even open the page.
    assert client_for(world.b.manager).get(url).status_code == 404


def test_places_kept_for_an_organisation_go_to_its_people_first(world: World) -> None:
    from gilde.tenancy.models import OrganisationKind, Role
    from gilde.tenancy.services import (
        membership_create,
        network_membership_add,
        organisation_create,
    )

    item = make_series(world)
    session = plan(world, item, capacity=2)[0]
    other = organisation_create(actor=None, name="Ander A", kind=OrganisationKind.COMPANY)
    network_membership_add(actor=None, network=world.a.network, organisation=other)
    outsider_of_a = make_person("ander@example.org", "Otto", "Ander")
    membership_create(actor=None, person=outsider_of_a, organisation=other, roles=[Role.LEARNER])
    services.reservation_set(
        actor=world.a.coordinator, session=session, organisation=world.a.org, places=1
    )
    first_other = services.registration_create(actor=outsider_of_a, session=session)
    assert first_other.status == CONFIRMED
    second_other_person = make_person("ander2@example.org", "Olga", "Ander")
    membership_create(
        actor=None, person=second_other_person, organisation=other, roles=[Role.LEARNER]
    )
    waiting = services.registration_create(actor=second_other_person, session=session)
    assert waiting.status == WAITING, "the last place is kept for Bedrijf A"
    kept = services.registration_create(actor=world.a.learner, session=session)
    assert kept.status == CONFIRMED
    with pytest.raises(services.EventError, match="More places kept"):
        services.reservation_set(
            actor=world.a.coordinator, session=session, organisation=other, places=2
        )


def test_nobody_registers_for_a_cancelled_or_started_session_or_an_unpublished_series(
    world: World,
) -> None:
    item = make_series(world)
    session = plan(world, item)[0]
    services.session_cancel(actor=world.a.coordinator, session=session, reason="Ziek")
    with pytest.raises(services.EventError, match="cancelled"):
        services.registration_create(
            actor=world.a.learner, session=Session.objects.get(pk=session.pk)
        )
    started = plan(world, item, starts=timezone.now() - dt.timedelta(minutes=5))[0]
    with pytest.raises(services.EventError, match="registration is closed"):
        services.registration_create(actor=world.a.learner, session=started)
    draft = make_item(
        actor=world.a.coordinator,
        title="Concept",
        kind="event",
        network=world.a.network,
        publish=False,
    )
    draft_session = plan(world, draft)[0]
    with pytest.raises(services.EventError, match="not open"):
        services.registration_create(actor=world.a.learner, session=draft_session)
    assert not Registration.objects.exists()


def test_people_of_another_network_cannot_register_or_see_the_session(
    world: World, series: CatalogueItem
) -> None:
    session = plan(world, series)[0]
    outsider = client_for(world.b.learner)
    assert outsider.get(reverse("events:session", args=[session.uuid])).status_code == 404
    assert outsider.post(reverse("events:session-register", args=[session.uuid])).status_code == 404
    with pytest.raises(services.EventError, match="not in the catalogue"):
        services.registration_create(actor=world.b.learner, session=session)
    assert not Registration.objects.exists()


def test_the_participant_list_shows_everyone_to_the_coordinator_and_only_the_team_to_a_manager(
    world: World, series: CatalogueItem, django_assert_max_num_queries: Any
) -> None:
    session = plan(world, series, host=world.a.mentor)[0]
    services.registration_create(actor=world.a.learner, session=session)
    services.registration_create(actor=world.a.author, session=session)
    url = reverse("events:session", args=[session.uuid])
    coordinator_page = client_for(world.a.coordinator).get(url).content.decode()
    assert escape(world.a.author.display_name) in coordinator_page
    manager_page = client_for(world.a.manager).get(url).content.decode()
    assert escape(world.a.learner.display_name) in manager_page
    assert escape(world.a.author.display_name) not in manager_page
    host_page = client_for(world.a.mentor).get(url).content.decode()
    assert escape(world.a.author.display_name) in host_page
    learner_page = client_for(world.a.learner).get(url).content.decode()
    assert escape(world.a.author.display_name) not in learner_page
    people = add_people(world, 30)
    services.registrations_create_for_team(
        actor=world.a.manager, session=session, organisation=world.a.org, people=people
    )
    client = client_for(world.a.coordinator)
    with django_assert_max_num_queries(30):
        client.get(url)
