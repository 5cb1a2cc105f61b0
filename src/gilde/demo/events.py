"""The demo's events: the Utrecht retailers' masterclass series with past and coming dates (S1),
the energy-transition network's four breakfast sessions for entrepreneurs and eight evening
sessions for employees with targets that are partly met (S8), and practice days at the film
companies' Learning Lab, the first one full with a waiting list (S5).

Coming sessions are filled through the events services, as people would; the history of
sessions that took place is written as it would have been (registrations some days before,
then the paper attendance list typed in by the coordinator, which completes the item). Nobody
is mailed while the demo loads.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet

from gilde.demo.data import RANDOM_SEED
from gilde.events import attendance, notify, services
from gilde.events.models import (
    Attendance,
    AudienceTarget,
    CalendarFeed,
    EventSeries,
    Feedback,
    Registration,
    RegistrationStatus,
    Session,
    SessionReservation,
)
from gilde.learning import services as learning
from gilde.learning.models import CatalogueItem, ItemKind
from gilde.people.models import Person
from gilde.tenancy.models import Membership, Network, Organisation, Role


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _staff(org_slug: str, *, owners: bool = False) -> list[Person]:
    """People of one organisation: its owners (admins) or its other people."""
    memberships = Membership.objects.filter(organisation__slug=org_slug).select_related("person")
    admins = set(
        Membership.objects.filter(
            organisation__slug=org_slug, roles__role=Role.ORG_ADMIN
        ).values_list("person_id", flat=True)
    )
    people = [m.person for m in memberships.order_by("pk")]
    return [p for p in people if (p.pk in admins) == owners]


def _event_item(
    *,
    actor: Person,
    network: Network,
    title: str,
    summary: str,
    hours: str,
    tags: tuple[str, ...],
    audience: str = "",
) -> CatalogueItem:
    item = learning.item_create(
        actor=actor,
        kind=ItemKind.EVENT,
        network=network,
        fields={
            "title": title,
            "summary": summary,
            "language": "nl",
            "study_load_hours": Decimal(hours),
            "audience": audience,
            "certificate_enabled": False,
        },
        tags=tags,
    )
    return learning.item_publish(actor=actor, item=item)


def _session(
    *,
    actor: Person,
    item: CatalogueItem,
    day: dt.date,
    start: dt.time,
    end: dt.time,
    capacity: int,
    address: str,
    host: Person,
    title: str = "",
    audience: str = "",
    speakers: str = "",
) -> Session:
    return services.sessions_create(
        actor=actor,
        item=item,
        times=services.SessionTimes(day, start, end),
        fields={
            "title": title,
            "address": address,
            "capacity": capacity,
            "host": host,
            "audience": audience,
            "speakers": speakers,
        },
    )[0]


def _history(
    *,
    coordinator: Person,
    session: Session,
    registered: list[Person],
    present: list[Person],
    rng: random.Random,
) -> None:
    """A session that took place: registrations a week before, then the attendance list."""
    organisations = {
        m.person_id: m.organisation
        for m in Membership.objects.filter(person__in=registered).select_related("organisation")
    }
    before = session.starts_at - dt.timedelta(days=7)
    for person in registered:
        Registration.objects.create(
            session=session,
            person=person,
            organisation=organisations.get(person.pk),
            registered_by=person,
            status=RegistrationStatus.CONFIRMED,
            created_at=before,
            changed_at=before,
            confirmed_at=before,
        )
    for person in present:
        attendance.attendance_from_list(
            actor=coordinator, session=session, person=person, present=True
        )
        if rng.random() < 0.3:
            Feedback.objects.create(
                session=session,
                person=person,
                score=rng.choice((3, 4, 4, 5, 5)),
                comment=rng.choice(
                    (
                        "",
                        "",
                        "Heel praktisch.",
                        "Goede voorbeelden uit de regio.",
                        "Graag meer tijd voor vragen.",
                    )
                ),
            )


def _s1_masterclasses(people: dict[str, Person], today: dt.date, rng: random.Random) -> int:
    coordinator, host = people["s1-coord"], people["s1-coach"]
    network = Network.objects.get(slug="utrechtse-retail-academie")
    items = list(
        CatalogueItem.objects.filter(network=network, kind=ItemKind.EVENT).order_by("title")
    )
    shops = [
        "koffiebranderij-de-gouden-boon",
        "bankenhuis-oudegracht",
        "hoedenatelier-domstad",
        "cadeauwinkel-het-kleine-geluk",
    ]
    shop_people = [p for slug in shops for p in _staff(slug) + _staff(slug, owners=True)]
    made = 0
    for number, item in enumerate(items):
        services.series_settings_save(
            actor=coordinator,
            item=item,
            fields={
                "public": True,
                "target_participants": 12,
                "target_per_session": 6,
                "target_organisations": 4,
            },
        )
        past = _session(
            actor=coordinator,
            item=item,
            day=today - dt.timedelta(days=42 - 14 * number),
            start=dt.time(14, 0),
            end=dt.time(17, 0),
            capacity=16,
            address="Stadskantoor, Stadsplateau 1, Utrecht",
            host=host,
        )
        registered = rng.sample(shop_people, k=min(len(shop_people), 7 + number))
        present = [p for p in registered if rng.random() < 0.8]
        _history(
            coordinator=coordinator, session=past, registered=registered, present=present, rng=rng
        )
        coming = _session(
            actor=coordinator,
            item=item,
            day=today + dt.timedelta(days=10 + 14 * number),
            start=dt.time(14, 0),
            end=dt.time(17, 0),
            capacity=16,
            address="Stadskantoor, Stadsplateau 1, Utrecht",
            host=host,
        )
        for person in rng.sample(shop_people, k=4):
            services.registration_create(actor=person, session=coming)
        made += 2
    return made


S8_TITLE = "Energietransitie: ontbijt- en avondsessies"


def _s8_sessions(people: dict[str, Person], today: dt.date, rng: random.Random) -> int:
    coordinator, coach = people["s8-coord"], people["s8-coach"]
    network = Network.objects.get(slug="klimaatvakmensen-noord-holland")
    item = _event_item(
        actor=coordinator,
        network=network,
        title=S8_TITLE,
        summary=(
            "Vier ontbijtsessies voor ondernemers en acht avondsessies voor medewerkers: "
            "warmtepompen, zonnepanelen, isolatie en de vakmensen van morgen. Met voorbeelden "
            "van bedrijven uit het netwerk."
        ),
        hours="2",
        tags=("energietransitie", "netwerk"),
        audience="Ondernemers en medewerkers van de aangesloten bedrijven",
    )
    services.series_settings_save(
        actor=coordinator,
        item=item,
        fields={
            "public": True,
            "walk_ins_allowed": True,
            "target_per_session": 10,
            "target_organisations": 6,
        },
        audience_targets={"entrepreneurs": 10, "employees": 70},
    )
    firms = list(
        Organisation.objects.filter(network_memberships__network=network, kind="company").order_by(
            "name"
        )
    )
    owners = [p for firm in firms for p in _staff(firm.slug, owners=True)]
    employees = [p for firm in firms for p in _staff(firm.slug)]
    made = 0
    address = "Energiehuis, Hembrugstraat 2, Zaandam"
    # Four breakfasts, three weeks apart: three took place, one is coming.
    for n, offset in enumerate((-56, -35, -14, 14), start=1):
        session = _session(
            actor=coordinator,
            item=item,
            day=today + dt.timedelta(days=offset),
            start=dt.time(7, 30),
            end=dt.time(9, 0),
            capacity=20,
            address=address,
            host=coordinator,
            title=f"Ontbijt {n}",
            audience="entrepreneurs",
        )
        made += 1
        if offset < 0:
            registered = rng.sample(owners, k=6)
            present = [p for p in registered if rng.random() < 0.85]
            _history(
                coordinator=coordinator,
                session=session,
                registered=registered,
                present=present,
                rng=rng,
            )
        else:
            for person in owners[:5]:
                services.registration_create(actor=person, session=session)
    # Eight evenings, two weeks apart: five took place, three are coming.
    evening_pool = list(employees)
    rng.shuffle(evening_pool)
    reached = evening_pool[: int(len(evening_pool) * 0.85)]
    for n, offset in enumerate((-70, -56, -42, -28, -14, 7, 21, 35), start=1):
        session = _session(
            actor=coordinator,
            item=item,
            day=today + dt.timedelta(days=offset),
            start=dt.time(19, 0),
            end=dt.time(21, 30),
            capacity=40,
            address=address,
            host=coach,
            title=f"Avond {n}",
            audience="employees",
        )
        made += 1
        if offset < 0:
            registered = rng.sample(reached, k=min(len(reached), rng.randint(14, 22)))
            present = [p for p in registered if rng.random() < 0.8]
            _history(
                coordinator=coordinator,
                session=session,
                registered=registered,
                present=present,
                rng=rng,
            )
        else:
            for person in rng.sample(employees, k=12):
                services.registration_create(actor=person, session=session)
    return made


S5_TITLE = "Praktijkdag camera in het Leerlab"


def _s5_practice_days(people: dict[str, Person], today: dt.date, rng: random.Random) -> int:
    coordinator, teacher = people["s5-coord"], people["s5-coach"]
    network = Network.objects.get(slug="filmpool-leerlab")
    item = _event_item(
        actor=coordinator,
        network=network,
        title=S5_TITLE,
        summary=(
            "Een dag in het Leerlab met de camera's en het licht van de vier bedrijven: "
            "oefenen met opstellingen die je in de online module hebt gezien."
        ),
        hours="7",
        tags=("camera", "praktijkdag", "leerlab"),
        audience="Crewleden van de vier productiebedrijven",
    )
    services.series_settings_save(
        actor=coordinator,
        item=item,
        fields={"walk_ins_allowed": False, "cancel_hours": 48, "target_organisations": 4},
    )
    crews = [
        p
        for slug in (
            "beeldfabriek-amsterdam",
            "studio-noorderlicht",
            "montagehuis-de-knip",
            "cameraploeg-zuid",
        )
        for p in _staff(slug)
    ]
    address = "Leerlab Beeld en Geluid, Mediapark 1, Hilversum"
    past = _session(
        actor=coordinator,
        item=item,
        day=today - dt.timedelta(days=21),
        start=dt.time(9, 30),
        end=dt.time(16, 30),
        capacity=6,
        address=address,
        host=teacher,
        title="Licht en camera",
    )
    registered = crews[:6]
    _history(
        coordinator=coordinator,
        session=past,
        registered=registered,
        present=registered[:5],
        rng=rng,
    )
    # The next practice day is full: six places, three people on the waiting list.
    full = _session(
        actor=coordinator,
        item=item,
        day=today + dt.timedelta(days=10),
        start=dt.time(9, 30),
        end=dt.time(16, 30),
        capacity=6,
        address=address,
        host=teacher,
        title="Camerabewegingen",
    )
    for person in crews[4:13]:
        services.registration_create(actor=person, session=full)
    later = _session(
        actor=coordinator,
        item=item,
        day=today + dt.timedelta(days=24),
        start=dt.time(9, 30),
        end=dt.time(16, 30),
        capacity=6,
        address=address,
        host=teacher,
        title="Geluid op de set",
    )
    services.registration_create(actor=crews[0], session=later)
    return 3


def demo_events_load(*, people: dict[str, Person], today: dt.date) -> int:
    """Plan the demo's sessions and their history. Returns the number of sessions."""
    rng = random.Random(RANDOM_SEED)  # noqa: S311 - repeatable demo data, not security
    with notify.quiet():
        made = _s1_masterclasses(people, today, rng)
        made += _s8_sessions(people, today, rng)
        made += _s5_practice_days(people, today, rng)
    return made


def demo_events_reset(
    *, networks: QuerySet[Network], org_ids: list[int], people: QuerySet[Person]
) -> None:
    """Remove the events rows of the demo before the learning rows, people and organisations
    they point at."""
    items = CatalogueItem.objects.filter(Q(network__in=networks) | Q(organisation_id__in=org_ids))
    series = EventSeries.objects.filter(item__in=items)
    sessions = Session.objects.filter(series__in=series)
    of_people = Q(person__in=people)
    Feedback.objects.filter(of_people | Q(session__in=sessions)).delete()
    Attendance.objects.filter(of_people | Q(session__in=sessions)).delete()
    Registration.objects.filter(of_people | Q(session__in=sessions)).delete()
    SessionReservation.objects.filter(
        Q(session__in=sessions) | Q(organisation_id__in=org_ids)
    ).delete()
    CalendarFeed.objects.filter(of_people).delete()
    Session.objects.filter(host__in=people).exclude(pk__in=sessions).update(host=None)
    sessions.delete()
    AudienceTarget.objects.filter(series__in=series).delete()
    series.delete()


__all__: list[Any] = ["demo_events_load", "demo_events_reset"]
