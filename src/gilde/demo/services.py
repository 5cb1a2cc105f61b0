"""Loading (and wiping) the demo networks. Every change goes through the tenancy and people
services, so the demo's audit trail looks like that of a real network."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gilde.audit.services import audit_record
from gilde.demo.competency_services import demo_competencies_load, demo_competencies_reset
from gilde.demo.data import (
    DEMO_PASSWORD,
    DEMO_PASSWORD_SALT,
    FAMILY_NAMES,
    GIVEN_NAMES,
    NETWORKS,
    RANDOM_SEED,
    NetworkSpec,
    OrganisationSpec,
    PersonSpec,
)
from gilde.demo.development import demo_development_load, demo_development_reset
from gilde.demo.events import demo_events_load, demo_events_reset
from gilde.demo.learning import demo_learning_load, demo_learning_reset
from gilde.demo.records import demo_records_load
from gilde.people.models import Person
from gilde.tenancy.models import (
    CoachAssignment,
    Membership,
    MembershipKind,
    Network,
    NetworkMembership,
    Organisation,
    OrganisationKind,
    Role,
    Team,
)
from gilde.tenancy.services import (
    membership_create,
    network_apply,
    network_create,
    network_membership_add,
    network_role_grant,
    organisation_create,
    team_create,
)


class DemoError(RuntimeError):
    """The demo cannot be loaded or wiped; the message (for the terminal, in English) says why
    and what to do."""


@dataclass
class DemoLoadResult:
    created: bool
    networks: int = 0
    organisations: int = 0
    people: int = 0
    memberships: int = 0
    frameworks: int = 0
    assessments: int = 0
    records: int = 0
    notes: list[str] = field(default_factory=list)


def demo_password_hash() -> str:
    """The stored form of the demo password; the same for every demo account (fixed salt)."""
    return make_password(DEMO_PASSWORD, salt=DEMO_PASSWORD_SALT)


def demo_organisation_slugs() -> list[str]:
    return [org.slug for net in NETWORKS for org in net.organisations]


def demo_email_domains() -> list[str]:
    domains = [org.domain for net in NETWORKS for org in net.organisations]
    domains += [
        app.contact_email.rpartition("@")[2] for net in NETWORKS for app in net.applications
    ]
    return domains


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if c.isascii() and c.isalnum()).lower()


class _NamePicker:
    """Draws distinct Dutch names from the pools, always in the same order for the same seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not security
        self.used: set[tuple[str, str, str]] = set()

    def pick(self) -> tuple[str, str, str]:
        while True:
            given = self.rng.choice(GIVEN_NAMES)
            infix, family = self.rng.choice(FAMILY_NAMES)
            if (given, infix, family) not in self.used:
                self.used.add((given, infix, family))
                return given, infix, family

    def start_date(self) -> dt.date:
        first = dt.date(2006, 1, 1).toordinal()
        last = dt.date(2024, 12, 31).toordinal()
        return dt.date.fromordinal(self.rng.randint(first, last))


def _person_create(
    *, actor: Any, email: str, given_name: str, infix: str, family_name: str, password_hash: str
) -> Person:
    person = Person(
        email=Person.objects.normalize_email(email).lower(),
        given_name=given_name,
        infix=infix,
        family_name=family_name,
        password=password_hash,
    )
    person.save()
    audit_record(actor=actor, action="person.create", subject=person, source="demo")
    return person


def _coach_assign(*, actor: Any, network: Network, coach: Person, person: Person) -> None:
    CoachAssignment.objects.create(network=network, coach=coach, person=person)
    audit_record(actor=actor, action="coach.assign", network=network, subject=person)


def _load_organisation(
    *,
    spec: OrganisationSpec,
    network: Network,
    coordinator: Person | None,
    names: _NamePicker,
    password_hash: str,
    people: dict[str, Person],
    today: dt.date,
) -> Organisation:
    organisation = organisation_create(
        actor=coordinator, name=spec.name, kind=spec.kind, city=spec.city, slug=spec.slug
    )
    teams: dict[str, Team] = {
        name: team_create(actor=coordinator, organisation=organisation, name=name)
        for name in spec.teams
    }
    admin: Person | None = None
    for number, person_spec in enumerate(spec.people, start=1):
        person = _create_member(
            spec=person_spec,
            organisation=organisation,
            domain=spec.domain,
            teams=teams,
            actor=admin or coordinator,
            names=names,
            password_hash=password_hash,
            people=people,
            employee_number=f"{number:04d}",
            today=today,
        )
        if admin is None and Role.ORG_ADMIN in person_spec.roles:
            admin = person
        if person_spec.network_role:
            network_role_grant(
                actor=coordinator,
                network=network,
                person=person,
                role=person_spec.network_role,
            )
            if coordinator is None:
                coordinator = person
    network_membership_add(actor=coordinator, network=network, organisation=organisation)
    return organisation


def _create_member(
    *,
    spec: PersonSpec,
    organisation: Organisation,
    domain: str,
    teams: dict[str, Team],
    actor: Person | None,
    names: _NamePicker,
    password_hash: str,
    people: dict[str, Person],
    employee_number: str,
    today: dt.date,
) -> Person:
    given, infix, family = names.pick()
    person = _person_create(
        actor=actor,
        email=f"{_ascii(given)}.{_ascii(infix + family)}@{domain}",
        given_name=given,
        infix=infix,
        family_name=family,
        password_hash=password_hash,
    )
    people[spec.key] = person
    if spec.kind == MembershipKind.CANDIDATE:
        # Candidates join the agency's one-year programme within the last year.
        start = today - dt.timedelta(days=300 + names.rng.randint(0, 60))
    else:
        start = names.start_date()
    membership_create(
        actor=actor,
        person=person,
        organisation=organisation,
        roles=spec.roles,
        team=teams[spec.team] if spec.team else None,
        manager=people[spec.manager] if spec.manager else None,
        mentor=people[spec.mentor] if spec.mentor else None,
        kind=spec.kind,
        function_title=spec.title,
        employee_number=employee_number,
        start_date=start,
    )
    return person


def _load_network(
    *, spec: NetworkSpec, names: _NamePicker, password_hash: str, today: dt.date
) -> dict[str, Person]:
    network = network_create(
        actor=None,
        name=spec.name,
        description=spec.description,
        enrolment_open=spec.enrolment_open,
        slug=spec.slug,
    )
    people: dict[str, Person] = {}
    organisations: dict[str, Organisation] = {}
    coordinator: Person | None = None
    for org_spec in spec.organisations:
        organisations[org_spec.slug] = _load_organisation(
            spec=org_spec,
            network=network,
            coordinator=coordinator,
            names=names,
            password_hash=password_hash,
            people=people,
            today=today,
        )
        if coordinator is None:
            found = network.roles.filter(role="coordinator").select_related("person").first()
            coordinator = found.person if found else None
    for coach_key, coachee_keys in spec.coaching:
        for key in coachee_keys:
            _coach_assign(
                actor=coordinator, network=network, coach=people[coach_key], person=people[key]
            )
    for placement in spec.placements:
        worker = people[placement.person]
        host = organisations[placement.host]
        agency = Membership.objects.get(person=worker, kind=MembershipKind.CANDIDATE).organisation
        membership_create(
            actor=coordinator,
            person=worker,
            organisation=host,
            roles=[Role.LEARNER],
            team=host.teams.filter(name=placement.team).first(),
            mentor=people[placement.mentor],
            kind=MembershipKind.PLACEMENT,
            placed_by=agency,
            function_title=placement.title,
            start_date=today - dt.timedelta(days=placement.started_days_ago),
            end_date=(
                today - dt.timedelta(days=placement.ended_days_ago)
                if placement.ended_days_ago is not None
                else None
            ),
        )
    for application in spec.applications:
        network_apply(
            actor=None,
            network=network,
            organisation_name=application.organisation_name,
            kind=OrganisationKind.COMPANY,
            city=application.city,
            contact_name=application.contact_name,
            contact_email=application.contact_email,
            motivation=application.motivation,
        )
    return people


@transaction.atomic
def demo_load(*, competencies: bool = True) -> DemoLoadResult:
    """Build the demo networks once, with their competency frameworks, profiles and rating
    histories (`competencies=False` leaves those out: tests of the networks alone load faster).
    A second call finds them and changes nothing."""
    slugs = [spec.slug for spec in NETWORKS]
    present = set(Network.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    if present == set(slugs):
        return DemoLoadResult(created=False)
    if present:
        raise DemoError(
            f"Part of the demo is already there ({', '.join(sorted(present))}). "
            "Load it again with --reset."
        )
    taken = Organisation.objects.filter(slug__in=demo_organisation_slugs()).exists() or (
        Person.objects.filter(_demo_email_filter()).exists()
    )
    if taken:
        raise DemoError(
            "Demo organisations or accounts already exist. Load the demo again with --reset."
        )
    names = _NamePicker(RANDOM_SEED)
    password_hash = demo_password_hash()
    today = timezone.localdate()
    people: dict[str, Person] = {}
    for spec in NETWORKS:
        people |= _load_network(spec=spec, names=names, password_hash=password_hash, today=today)
    loaded = (
        demo_competencies_load(people=people, today=today, seed=RANDOM_SEED)
        if competencies
        else None
    )
    demo_learning_load(people=people, today=today)
    demo_events_load(people=people, today=today)
    if competencies:
        demo_development_load(people=people, today=today)
    records = demo_records_load(people=people, today=today)
    audit_record(actor=None, action="demo.load", networks=slugs)
    return DemoLoadResult(
        created=True,
        networks=len(slugs),
        organisations=Organisation.objects.filter(network_memberships__network__slug__in=slugs)
        .distinct()
        .count(),
        people=Person.objects.filter(_demo_email_filter()).count(),
        memberships=Membership.objects.filter(
            organisation__network_memberships__network__slug__in=slugs
        )
        .distinct()
        .count(),
        frameworks=loaded.frameworks if loaded else 0,
        assessments=loaded.assessments if loaded else 0,
        records=records,
    )


def _demo_email_filter() -> Q:
    query = Q(pk__in=[])
    for domain in demo_email_domains():
        query |= Q(email__iendswith=f"@{domain}")
    return query


@transaction.atomic
def demo_reset() -> int:
    """Remove the demo networks, their organisations (also those that applied to them) and the
    demo accounts. Returns the number of people removed."""
    networks = Network.objects.filter(slug__in=[spec.slug for spec in NETWORKS])
    organisations = Organisation.objects.filter(
        Q(slug__in=demo_organisation_slugs()) | Q(network_memberships__network__in=networks)
    ).distinct()
    org_ids = list(organisations.values_list("pk", flat=True))
    demo_people = Person.objects.filter(_demo_email_filter())
    elsewhere = (
        Membership.objects.filter(person__in=demo_people)
        .exclude(organisation_id__in=org_ids)
        .exists()
    )
    other_networks = NetworkMembership.objects.filter(organisation_id__in=org_ids).exclude(
        network__in=networks
    )
    if elsewhere or other_networks.exists():
        raise DemoError(
            "Demo people or organisations are also used outside the demo; nothing was removed."
        )
    demo_development_reset(networks=networks, org_ids=org_ids, people=demo_people)
    demo_events_reset(networks=networks, org_ids=org_ids, people=demo_people)
    demo_learning_reset(networks=networks, org_ids=org_ids, people=demo_people)
    demo_competencies_reset(networks=networks, org_ids=org_ids, people=demo_people)
    Membership.objects.filter(Q(organisation_id__in=org_ids) | Q(placed_by_id__in=org_ids)).delete()
    NetworkMembership.objects.filter(organisation_id__in=org_ids).delete()
    Team.objects.filter(organisation_id__in=org_ids).delete()
    removed = demo_people.count()
    demo_people.delete()
    Organisation.objects.filter(pk__in=org_ids).delete()
    networks.delete()
    audit_record(actor=None, action="demo.reset")
    return removed
