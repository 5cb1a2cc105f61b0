"""The demo networks: loaded once, every role present, and every printed log-in works."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from gilde.audit.models import AuditEvent
from gilde.demo.data import DEMO_PASSWORD, NETWORKS
from gilde.demo.selectors import ROLE_ORDER, demo_logins
from gilde.demo.services import DemoError, demo_load, demo_reset
from gilde.people.models import Invitation, Person
from gilde.people.services import application_decide, invitation_accept
from gilde.tenancy.models import (
    CoachAssignment,
    Membership,
    MembershipKind,
    MembershipRole,
    Network,
    NetworkMembership,
    NetworkMembershipStatus,
    NetworkRole,
    NetworkRoleKind,
    Organisation,
    OrganisationKind,
    Role,
    Team,
)
from gilde.tenancy.services import network_create

# Names of the real firms in the seed: the demo invents its own.
REAL_NAMES = (
    "Pommeren",
    "Rachmaninoff",
    "Jos van Dijck",
    "present",
    "CentrumManagement",
    "CMU",
    "Slagman",
    "Kim Apparatenbouw",
    "Pillen",
    "Leitz",
    "Linco",
    "Veros",
    "Verder in Techniek",
    "Snel Uitzendbureau",
)


def counts() -> dict[str, int]:
    models: list[Any] = [
        Network,
        Organisation,
        NetworkMembership,
        Team,
        Person,
        Membership,
        MembershipRole,
        NetworkRole,
        CoachAssignment,
        AuditEvent,
    ]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def demo(db: Any) -> None:
    # The networks alone: the competency data has its own tests (test_demo_competencies.py).
    demo_load(competencies=False)


@pytest.fixture
def no_rate_limits(settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = False


def test_loading_twice_adds_nothing_the_second_time(db: Any) -> None:
    first = demo_load()
    after_first = counts()
    second = demo_load()
    assert first.created and not second.created
    assert counts() == after_first


def test_a_half_present_demo_is_refused_and_nothing_is_added(db: Any) -> None:
    network_create(actor=None, name="Utrechtse Retail Academie", slug=NETWORKS[0].slug)
    before = counts()
    with pytest.raises(DemoError, match="--reset"):
        demo_load()
    assert counts() == before


def test_the_demo_has_six_networks_about_160_people_and_an_audit_trail(demo: None) -> None:
    assert set(Network.objects.values_list("name", flat=True)) == {
        "Utrechtse Retail Academie",
        "Lerend Netwerk Techniek Gelderland",
        "Van Potentie naar Competentie",
        "Trainers Up-to-date",
        "Filmpool Leerlab",
        "Klimaatvakmensen Noord-Holland",
    }
    people = Person.objects.count()
    assert 150 <= people <= 170
    assert Person.objects.exclude(infix="").count() >= 10
    assert Person.objects.filter(infix="van 't").exists()
    assert Person.objects.filter(infix="van der").exists()
    assert Membership.objects.exclude(function_title="").count() == Membership.objects.count()
    assert Membership.objects.exclude(manager=None).count() >= 20
    # Written through the services: one audit row per membership and per person.
    assert (
        AuditEvent.objects.filter(action="membership.create").count() == Membership.objects.count()
    )
    assert AuditEvent.objects.filter(action="person.create").count() == people


def test_the_demo_invents_its_organisations(demo: None) -> None:
    names = " ".join(Organisation.objects.values_list("name", flat=True))
    for real in REAL_NAMES:
        assert real not in names


def test_utrecht_retailers_have_their_foundation_as_coordinator(demo: None) -> None:
    network = Network.objects.get(name="Utrechtse Retail Academie")
    members = Organisation.objects.filter(
        network_memberships__network=network,
        network_memberships__status=NetworkMembershipStatus.APPROVED,
    )
    assert members.filter(kind=OrganisationKind.COMPANY).count() == 4
    coordinator = NetworkRole.objects.get(network=network, role=NetworkRoleKind.COORDINATOR)
    assert Membership.objects.get(person=coordinator.person).organisation.kind == (
        OrganisationKind.FOUNDATION
    )
    assert CoachAssignment.objects.filter(network=network).exists()


def test_gelderland_network_is_open_with_one_application_waiting(demo: None) -> None:
    network = Network.objects.get(name="Lerend Netwerk Techniek Gelderland")
    assert network.enrolment_open
    approved = Organisation.objects.filter(
        network_memberships__network=network,
        network_memberships__status=NetworkMembershipStatus.APPROVED,
    )
    assert approved.filter(kind=OrganisationKind.COMPANY).count() == 6
    assert approved.filter(kind=OrganisationKind.SCHOOL).count() == 1
    waiting = NetworkMembership.objects.get(network=network, status=NetworkMembershipStatus.APPLIED)
    assert waiting.contact_email and waiting.motivation


def test_temp_worker_is_placed_at_a_host_with_a_workplace_mentor(demo: None) -> None:
    placement = Membership.objects.current().get(
        kind=MembershipKind.PLACEMENT, organisation__name="Bouwbedrijf Hoogeland"
    )
    agency = placement.placed_by
    assert agency is not None and agency.kind == OrganisationKind.TEMP_AGENCY
    assert (
        Membership.objects.current()
        .filter(person=placement.person, organisation=agency, kind=MembershipKind.CANDIDATE)
        .exists()
    )
    assert placement.mentor is not None
    assert placement.mentor.memberships.filter(
        organisation=placement.organisation, roles__role=Role.MENTOR
    ).exists()
    # A candidate who moved on: an ended placement and a current one at another host.
    moved = Membership.objects.filter(kind=MembershipKind.PLACEMENT, end_date__isnull=False)
    assert moved.count() == 1
    assert (
        Membership.objects.current()
        .filter(person=moved.get().person, kind=MembershipKind.PLACEMENT)
        .exclude(organisation=moved.get().organisation)
        .exists()
    )


def test_every_network_has_a_log_in_for_every_role(
    demo: None, django_assert_num_queries: Callable[..., Any]
) -> None:
    with django_assert_num_queries(4):
        logins = demo_logins()
    for spec in NETWORKS:
        roles = [login.role for login in logins if login.network == spec.name]
        assert roles == list(ROLE_ORDER), spec.name
    assert {login.password for login in logins} == {DEMO_PASSWORD}
    placed_learner = next(
        login
        for login in logins
        if login.role == Role.LEARNER and login.network == "Van Potentie naar Competentie"
    )
    assert (
        Membership.objects.current()
        .filter(person__email=placed_learner.email, kind=MembershipKind.PLACEMENT)
        .exists()
    )


def test_demo_logins_json_names_people_who_hold_that_role(demo: None) -> None:
    out = io.StringIO()
    call_command("demo_logins", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == len(NETWORKS) * len(ROLE_ORDER)
    for row in rows:
        assert set(row) == {"role", "network", "organisation", "email", "password"}
        person = Person.objects.get(email=row["email"])
        assert person.check_password(row["password"])
        if row["role"] in NetworkRoleKind.values:
            assert NetworkRole.objects.filter(
                person=person, network__name=row["network"], role=row["role"]
            ).exists()
            assert (
                Membership.objects.current()
                .filter(person=person, organisation__name=row["organisation"])
                .exists()
            )
        else:
            assert (
                Membership.objects.current()
                .filter(
                    person=person,
                    organisation__name=row["organisation"],
                    roles__role=row["role"],
                    organisation__network_memberships__network__name=row["network"],
                    organisation__network_memberships__status=NetworkMembershipStatus.APPROVED,
                )
                .exists()
            )


def test_a_person_who_changed_the_demo_password_is_no_longer_listed(demo: None) -> None:
    first = demo_logins()[0]
    person = Person.objects.get(email=first.email)
    person.set_password("a-private-password-now")
    person.save()
    assert first.email not in {login.email for login in demo_logins()}


def home_marker(role: str, organisation: str) -> str:
    """Something only that role's home page shows."""
    if role == Role.AUTHOR:
        with translation.override("nl"):
            return f'<span class="badge">{Role.AUTHOR.label}</span>'
    return {
        NetworkRoleKind.COORDINATOR: 'id="h-coord"',
        NetworkRoleKind.COACH: 'id="h-coach"',
        Role.ORG_ADMIN: 'id="h-admin"',
        Role.MANAGER: 'id="h-team-',
        Role.MENTOR: 'id="h-mentor-',
        Role.LEARNER: escape(organisation),
    }[role]


LEADING_SECTIONS = ('id="h-coord"', 'id="h-coach"', 'id="h-admin"', 'id="h-team-', 'id="h-mentor-')


def test_every_demo_log_in_opens_its_home_page(demo: None, no_rate_limits: None) -> None:
    for login in demo_logins():
        client = Client()
        response = client.post(
            reverse("account_login"), {"login": login.email, "password": login.password}
        )
        assert response.status_code == 302, login
        page = client.get(reverse("core:home")).content.decode()
        assert home_marker(login.role, login.organisation) in page, login
        assert escape(login.organisation) in page, login
        if login.role == Role.LEARNER:
            # A learner's home page leads nobody: no sections for coordinators, admins or leads.
            assert not any(section in page for section in LEADING_SECTIONS), login


def test_demo_command_loads_once_and_prints_the_log_ins(db: Any) -> None:
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    printed = out.getvalue()
    assert f"Loaded the demo: {len(NETWORKS)} networks" in printed
    assert DEMO_PASSWORD in printed
    before = counts()
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "already loaded" in out.getvalue()
    assert counts() == before
    for login in demo_logins():
        assert login.email in out.getvalue()


def test_demo_reset_loads_the_same_demo_anew(db: Any) -> None:
    demo_load()
    emails = sorted(Person.objects.values_list("email", flat=True))
    out = io.StringIO()
    call_command("demo", "--no-serve", "--reset", stdout=out)
    assert "Removed the demo data" in out.getvalue()
    assert sorted(Person.objects.values_list("email", flat=True)) == emails
    assert Network.objects.count() == len(NETWORKS)


def test_demo_reset_also_removes_what_happened_in_the_demo(db: Any) -> None:
    demo_load()
    waiting = NetworkMembership.objects.get(status=NetworkMembershipStatus.APPLIED)
    coordinator = NetworkRole.objects.get(
        network=waiting.network, role=NetworkRoleKind.COORDINATOR
    ).person
    application_decide(actor=coordinator, application=waiting, approve=True)
    invitation = Invitation.objects.get(organisation=waiting.organisation)
    invitation_accept(
        invitation=invitation,
        password="een-eigen-wachtwoord",
        given_name="Hanneke",
        infix="",
        family_name="Willemsen",
    )
    demo_reset()
    assert Person.objects.count() == 0
    assert Organisation.objects.count() == 0
    assert Network.objects.count() == 0
    assert demo_load().created


def test_gilde_demo_logins_is_the_demo_logins_command(monkeypatch: pytest.MonkeyPatch) -> None:
    import django.core.management

    from gilde import cli

    seen: list[list[str]] = []
    monkeypatch.setattr(django.core.management, "execute_from_command_line", seen.append)
    monkeypatch.setattr("sys.argv", ["gilde", "demo-logins", "--json"])
    cli.main()
    assert seen == [["gilde", "demo_logins", "--json"]]
