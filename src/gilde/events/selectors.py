"""Reads for the events pages: the series page (sessions, your places, target progress), a
session's page and its attendance list, approvals and exports. Each page runs a fixed number of
queries, however many sessions and participants there are."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.events.access import (
    can_manage_series,
    can_take_attendance,
    led_people,
    registrations_visible_to,
    sees_insight,
)
from gilde.events.models import (
    Attendance,
    AttendanceStatus,
    Audience,
    AudienceTarget,
    EventSeries,
    Feedback,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
)
from gilde.learning.access import item_reaches_organisation
from gilde.learning.models import CatalogueItem, ItemStatus
from gilde.tenancy.access import standing_of
from gilde.tenancy.models import Organisation, Role


def series_settings(item: CatalogueItem) -> EventSeries:
    """The stored settings, or the defaults (unsaved) for a series nobody has set up yet."""
    return EventSeries.objects.filter(item=item).first() or EventSeries(item=item)


def _sessions(item: CatalogueItem) -> list[Session]:
    return list(
        Session.objects.filter(series__item=item)
        .select_related("host")
        .annotate(
            n_confirmed=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.CONFIRMED),
                distinct=True,
            ),
            n_waiting=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.WAITING),
                distinct=True,
            ),
        )
        .order_by("starts_at", "pk")
    )


@dataclass
class TargetRow:
    label: str
    actual: int
    target: int | None

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.actual >= self.target


@dataclass
class SessionFigures:
    session: Session
    confirmed: int
    present: int
    walk_ins: int
    no_shows: int | None
    minimum: int | None
    feedback_count: int = 0
    feedback_average: float | None = None

    @property
    def minimum_met(self) -> bool | None:
        if self.minimum is None or self.session.ends_at > timezone.now():
            return None
        return self.present >= self.minimum


@dataclass
class OrganisationFigures:
    name: str
    participants: int
    attendances: int


@dataclass
class Insight:
    targets: list[TargetRow]
    sessions: list[SessionFigures]
    organisations: list[OrganisationFigures]
    audiences: list[TargetRow]
    no_show_rate: float | None
    comments: list[tuple[Session, int, str]] = field(default_factory=list)
    all_organisations: bool = True

    @property
    def no_show_percent(self) -> int | None:
        return None if self.no_show_rate is None else round(self.no_show_rate * 100)


def insight(actor: Any, item: CatalogueItem, sessions: list[Session]) -> Insight:
    """Progress against the series' targets, attendance per session, organisation and audience,
    the no-show rate and feedback. Coordinators see every organisation's figures; a manager
    sees the totals and the rows of their own organisations. Five queries."""
    series = series_settings(item)
    now = timezone.now()
    by_id = {s.pk: s for s in sessions}
    present_rows = list(
        Attendance.objects.filter(
            session__series__item=item, status=AttendanceStatus.PRESENT
        ).values_list("session_id", "person_id", "organisation_id", "walk_in")
    )
    participants: set[int] = set()
    per_session: Counter[int] = Counter()
    walk_ins: Counter[int] = Counter()
    org_people: dict[int | None, set[int]] = defaultdict(set)
    org_visits: Counter[int | None] = Counter()
    audience_people: dict[str, set[int]] = defaultdict(set)
    present_pairs: set[tuple[int, int]] = set()
    for session_id, person_id, org_id, walk_in in present_rows:
        participants.add(person_id)
        per_session[session_id] += 1
        walk_ins[session_id] += int(walk_in)
        org_people[org_id].add(person_id)
        org_visits[org_id] += 1
        present_pairs.add((session_id, person_id))
        session = by_id.get(session_id)
        if session is not None and session.audience:
            audience_people[session.audience].add(person_id)
    confirmed_rows = list(
        Registration.objects.filter(
            session__series__item=item, status=RegistrationStatus.CONFIRMED
        ).values_list("session_id", "person_id")
    )
    confirmed: Counter[int] = Counter(s for s, _p in confirmed_rows)
    no_shows: Counter[int] = Counter()
    ended_confirmed = 0
    for session_id, person_id in confirmed_rows:
        session = by_id.get(session_id)
        if session is None or session.ends_at > now or session.is_cancelled:
            continue
        ended_confirmed += 1
        if (session_id, person_id) not in present_pairs:
            no_shows[session_id] += 1
    feedback_rows = list(
        Feedback.objects.filter(session__series__item=item).values_list(
            "session_id", "score", "comment"
        )
    )
    scores: dict[int, list[int]] = defaultdict(list)
    comments: list[tuple[Session, int, str]] = []
    for session_id, score, comment in feedback_rows:
        scores[session_id].append(score)
        if comment and session_id in by_id:
            comments.append((by_id[session_id], score, comment))
    figures = []
    for session in sessions:
        ended = session.ends_at <= now and not session.is_cancelled
        got = scores.get(session.pk, [])
        figures.append(
            SessionFigures(
                session=session,
                confirmed=confirmed[session.pk],
                present=per_session[session.pk],
                walk_ins=walk_ins[session.pk],
                no_shows=no_shows[session.pk] if ended else None,
                minimum=series.target_per_session,
                feedback_count=len(got),
                feedback_average=round(sum(got) / len(got), 1) if got else None,
            )
        )
    represented = {org for org in org_people if org is not None}
    targets = [
        TargetRow(_("Different participants"), len(participants), series.target_participants),
        TargetRow(
            _("Member organisations taking part"), len(represented), series.target_organisations
        ),
    ]
    audience_targets = (
        {t.audience: t.participants for t in AudienceTarget.objects.filter(series=series)}
        if series.pk
        else {}
    )
    audiences = [
        TargetRow(
            str(Audience(value).label).capitalize(),
            len(audience_people.get(value, ())),
            audience_targets.get(value),
        )
        for value in Audience.values
        if value in audience_targets or value in audience_people
    ]
    coordinator = can_manage_series(actor, item)
    own_orgs = set(standing_of(actor).organisations)
    names = dict(Organisation.objects.filter(pk__in=represented).values_list("pk", "name"))
    organisations = [
        OrganisationFigures(names.get(org, "?"), len(org_people[org]), org_visits[org])
        for org in represented
        if coordinator or org in own_orgs
    ]
    organisations.sort(key=lambda o: (-o.participants, o.name))
    return Insight(
        targets=targets,
        sessions=figures,
        organisations=organisations,
        audiences=audiences,
        no_show_rate=(sum(no_shows.values()) / ended_confirmed) if ended_confirmed else None,
        comments=comments if coordinator else [],
        all_organisations=coordinator,
    )


@dataclass
class SeriesPage:
    item: CatalogueItem
    series: EventSeries
    upcoming: list[Session]
    past: list[Session]
    mine: dict[int, Registration]
    can_manage: bool
    team_organisations: list[Organisation]
    insight: Insight | None
    waiting_for_me: int = 0


def team_organisations(actor: Any, item: CatalogueItem) -> list[Organisation]:
    """Organisations where the actor registers people (as manager or admin) that may take the
    event."""
    standing = standing_of(actor)
    orgs = [
        org
        for org_id, org in standing.organisations.items()
        if standing.has_org_role(org_id, Role.ORG_ADMIN, Role.MANAGER)
    ]
    return sorted(
        (org for org in orgs if item_reaches_organisation(item, org)), key=lambda o: o.name
    )


def series_page(actor: Any, item: CatalogueItem) -> SeriesPage:
    sessions = _sessions(item)
    now = timezone.now()
    mine = {
        r.session_id: r
        for r in Registration.objects.filter(session__series__item=item, person=actor)
    }
    for session in sessions:
        session.my_registration = mine.get(session.pk)  # type: ignore[attr-defined]
    return SeriesPage(
        item=item,
        series=series_settings(item),
        upcoming=[s for s in sessions if s.ends_at > now],
        past=[s for s in sessions if s.ends_at <= now],
        mine=mine,
        can_manage=can_manage_series(actor, item),
        team_organisations=team_organisations(actor, item),
        insight=insight(actor, item, sessions) if sees_insight(actor, item) else None,
    )


@dataclass
class ParticipantRow:
    registration: Registration | None
    person: Any
    organisation_name: str
    attendance: Attendance | None
    waiting_position: int | None = None


@dataclass
class SessionPage:
    session: Session
    item: CatalogueItem
    series: EventSeries
    mine: Registration | None
    my_attendance: Attendance | None
    my_feedback: Feedback | None
    waiting_position: int | None
    confirmed: int
    waiting: int
    participants: list[ParticipantRow]
    sees_everyone: bool
    can_manage: bool
    can_attend: bool
    team_organisations: list[Organisation]
    registration_open: bool = False


def participants(actor: Any, session: Session) -> tuple[list[ParticipantRow], bool]:
    """The people the actor may see at this session with their registration and attendance:
    everyone for hosts and coordinators, their own people for managers. Three queries."""
    item = session.series.item
    everyone = can_take_attendance(actor, session)
    registrations = Registration.objects.filter(session=session)
    if not everyone:
        registrations = registrations_visible_to(actor, item).filter(session=session)
    registrations = registrations.exclude(status=RegistrationStatus.DECLINED).select_related(
        "person", "organisation"
    )
    attendances = Attendance.objects.filter(session=session).select_related(
        "person", "organisation"
    )
    if not everyone:
        attendances = attendances.filter(person_id__in=[r.person_id for r in registrations])
    by_person = {a.person_id: a for a in attendances}
    rows: list[ParticipantRow] = []
    position = 0
    order = {
        RegistrationStatus.CONFIRMED: 0,
        RegistrationStatus.REQUESTED: 1,
        RegistrationStatus.WAITING: 2,
        RegistrationStatus.CANCELLED: 3,
    }
    registrations_list = sorted(
        registrations,
        key=lambda r: (
            order.get(RegistrationStatus(r.status), 9),
            r.waiting_since or r.created_at,
            r.person.family_name,
        ),
    )
    seen: set[int] = set()
    for registration in registrations_list:
        seen.add(registration.person_id)
        waiting = None
        if registration.status == RegistrationStatus.WAITING:
            position += 1
            waiting = position
        rows.append(
            ParticipantRow(
                registration=registration,
                person=registration.person,
                organisation_name=registration.organisation.name
                if registration.organisation
                else "",
                attendance=by_person.get(registration.person_id),
                waiting_position=waiting,
            )
        )
    for attendance in by_person.values():
        if attendance.person_id not in seen:
            rows.append(
                ParticipantRow(
                    registration=None,
                    person=attendance.person,
                    organisation_name=attendance.organisation.name
                    if attendance.organisation
                    else "",
                    attendance=attendance,
                )
            )
    return rows, everyone


def session_page(actor: Any, session: Session) -> SessionPage:
    from gilde.events.services import waiting_position

    item = session.series.item
    mine = (
        Registration.objects.filter(session=session, person=actor)
        .select_related("organisation")
        .first()
    )
    if mine is not None:
        mine.session = session
    counts = Counter(Registration.objects.filter(session=session).values_list("status", flat=True))
    rows, everyone = participants(actor, session)
    return SessionPage(
        session=session,
        item=item,
        series=session.series,
        mine=mine,
        my_attendance=Attendance.objects.filter(session=session, person=actor).first(),
        my_feedback=Feedback.objects.filter(session=session, person=actor).first(),
        waiting_position=waiting_position(mine) if mine else None,
        confirmed=counts[RegistrationStatus.CONFIRMED],
        waiting=counts[RegistrationStatus.WAITING],
        participants=rows,
        sees_everyone=everyone,
        can_manage=can_manage_series(actor, item),
        can_attend=can_take_attendance(actor, session),
        team_organisations=team_organisations(actor, item)
        if session.status == SessionStatus.SCHEDULED
        else [],
        registration_open=(
            session.status == SessionStatus.SCHEDULED
            and item.status == ItemStatus.PUBLISHED
            and session.starts_at > timezone.now()
        ),
    )


def team_candidates(actor: Any, organisation: Organisation, session: Session) -> list[Any]:
    """People the actor leads at `organisation`, with whether they are registered already."""
    memberships = (
        led_people(actor)
        .filter(organisation=organisation)
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    )
    return [m.person for m in memberships]


def requests_for(actor: Any) -> list[Registration]:
    """Registrations waiting for the actor's approval (people they lead), soonest first."""
    led = led_people(actor)
    return list(
        Registration.objects.filter(
            status=RegistrationStatus.REQUESTED,
            session__starts_at__gt=timezone.now(),
            person_id__in=led.values("person_id"),
            organisation_id__in=led.values("organisation_id"),
        )
        .select_related("person", "organisation", "session__series__item")
        .order_by("session__starts_at")
    )


def my_registrations(actor: Any) -> list[Registration]:
    return list(
        Registration.objects.filter(
            person=actor, session__ends_at__gte=timezone.now() - dt.timedelta(days=30)
        )
        .exclude(status=RegistrationStatus.DECLINED)
        .select_related("session__series__item", "organisation")
        .order_by("session__starts_at")
    )


def hosted_sessions(actor: Any) -> list[Session]:
    return list(
        Session.objects.filter(
            host=actor,
            status=SessionStatus.SCHEDULED,
            ends_at__gte=timezone.now() - dt.timedelta(days=14),
        )
        .select_related("series__item")
        .order_by("starts_at")
    )


def export_rows(actor: Any, item: CatalogueItem) -> list[list[str]]:
    """Participants and attendance of the series, one row per person and session, for the
    series' coordinators. Three queries."""
    registrations = (
        Registration.objects.filter(session__series__item=item)
        .exclude(status=RegistrationStatus.DECLINED)
        .select_related("person", "organisation", "session")
        .order_by("session__starts_at", "person__family_name")
    )
    attendances = {
        (a.session_id, a.person_id): a
        for a in Attendance.objects.filter(session__series__item=item).select_related(
            "person", "organisation", "session"
        )
    }
    rows = []
    seen: set[tuple[int, int]] = set()

    def when(session: Session) -> str:
        return timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")

    for r in registrations:
        key = (r.session_id, r.person_id)
        seen.add(key)
        attendance = attendances.get(key)
        rows.append(
            [
                when(r.session),
                r.session.title,
                r.person.get_full_name(),
                r.person.email,
                r.organisation.name if r.organisation else "",
                str(RegistrationStatus(r.status).label),
                str(AttendanceStatus(attendance.status).label) if attendance else "",
                _("yes") if attendance and attendance.walk_in else "",
            ]
        )
    for key, a in attendances.items():
        if key in seen:
            continue
        rows.append(
            [
                when(a.session),
                a.session.title,
                a.person.get_full_name(),
                a.person.email,
                a.organisation.name if a.organisation else "",
                "",
                str(AttendanceStatus(a.status).label),
                _("yes") if a.walk_in else "",
            ]
        )
    return rows


def export_header() -> list[str]:
    return [
        _("Date and time"),
        _("Session"),
        _("Name"),
        _("E-mail"),
        _("Organisation"),
        _("Registration"),
        _("Attendance"),
        _("Walk-in"),
    ]


def host_choices(actor: Any, item: CatalogueItem, current: Any = None) -> dict[str, Any]:
    """People a coordinator may name as host: themselves, the network's coordinators and
    coaches, and the people of organisations they administer. uuid → person."""
    from gilde.people.models import Person
    from gilde.tenancy.models import Membership, NetworkRole

    standing = standing_of(actor)
    admin_orgs = [o.pk for o in standing.admin_organisations()]
    network_ids = [item.network_id] if item.network_id else []
    people = Person.objects.filter(
        Q(pk=actor.pk)
        | Q(pk__in=NetworkRole.objects.filter(network_id__in=network_ids).values("person_id"))
        | Q(
            pk__in=Membership.objects.current()
            .filter(organisation_id__in=admin_orgs)
            .values("person_id")
        )
        | Q(pk=getattr(current, "pk", 0))
    ).order_by("family_name", "given_name")
    return {str(p.uuid): p for p in people}
