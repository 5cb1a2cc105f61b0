"""Writes for events: series settings and targets, sessions (one or a recurring set),
reserved places, registrations with approval and a waiting list, and cancellations.

Every function takes keyword arguments, runs in one transaction and writes an audit row. A rule
that refuses raises EventError with a message fit to show; nothing has changed then.

No over-booking: every change that hands out or frees places locks the session row first
(`SELECT … FOR UPDATE` on PostgreSQL; on SQLite every transaction starts IMMEDIATE, which lets
one writer in at a time — see settings.py), then counts and decides. Two people taking the last
place at the same moment are served one after the other: one gets it, the other the waiting list.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.audit.services import audit_record
from gilde.events import notify
from gilde.events.access import can_manage_series
from gilde.events.models import (
    ACTIVE_STATUSES,
    Audience,
    AudienceTarget,
    EventSeries,
    Registration,
    RegistrationStatus,
    Session,
    SessionReservation,
    SessionStatus,
)
from gilde.events.tasks import reminder_schedule
from gilde.learning.access import can_lead, item_reaches_organisation, organisations_reaching
from gilde.learning.models import CatalogueItem, ItemKind, ItemStatus
from gilde.tenancy.models import Organisation

# At most this many sessions are made in one go (a year of weekly sessions).
MAX_RECURRING = 52


class EventError(ValueError):
    """A rule refused the change; the message is fit to show to the user."""


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _audit(
    *, actor: Any, action: str, item: CatalogueItem, subject: Any = None, **detail: Any
) -> None:
    audit_record(
        actor=actor,
        action=action,
        organisation=item.organisation,
        network=item.network,
        subject=subject,
        item=str(item.uuid),
        title=item.title,
        **detail,
    )


# --- the series -----------------------------------------------------------------------------


def series_for(item: CatalogueItem) -> EventSeries:
    """The series row of an event item, made on first use."""
    if item.kind != ItemKind.EVENT:
        raise EventError(_("Only events have sessions."))
    series, _created = EventSeries.objects.get_or_create(item=item)
    series.item = item
    return series


SETTING_FIELDS = (
    "approval_required",
    "walk_ins_allowed",
    "cancel_hours",
    "public",
    "target_participants",
    "target_per_session",
    "target_organisations",
)


@transaction.atomic
def series_settings_save(
    *,
    actor: Any,
    item: CatalogueItem,
    fields: dict[str, Any],
    audience_targets: dict[str, int | None] | None = None,
) -> EventSeries:
    """Registration rules and targets of a series. `audience_targets` maps an audience to its
    target of distinct participants (None or 0 removes it)."""
    if not can_manage_series(actor, item):
        raise EventError(_("Only the series' coordinators change its settings."))
    series = series_for(item)
    for name in SETTING_FIELDS:
        if name in fields:
            value = fields[name]
            if name.startswith("target_") and value is not None and value < 0:
                raise EventError(_("A target cannot be negative."))
            setattr(series, name, value)
    series.updated_at = timezone.now()
    series.save()
    for audience, target in (audience_targets or {}).items():
        if audience not in Audience.values:
            raise EventError(_("Choose an audience from the list."))
        if not target:
            AudienceTarget.objects.filter(series=series, audience=audience).delete()
        else:
            AudienceTarget.objects.update_or_create(
                series=series, audience=audience, defaults={"participants": target}
            )
    _audit(actor=actor, action="events.series_settings", item=item)
    return series


# --- sessions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionTimes:
    """A date and wall-clock times in Europe/Amsterdam, turned into aware datetimes."""

    date: dt.date
    start: dt.time
    end: dt.time

    def aware(self) -> tuple[dt.datetime, dt.datetime]:
        zone = local_zone()
        starts = dt.datetime.combine(self.date, self.start, tzinfo=zone)
        ends = dt.datetime.combine(self.date, self.end, tzinfo=zone)
        # A wall-clock time that does not exist (02:30 on the last Sunday of March) is moved
        # forward by the gap, as a person would: round-trip through UTC normalises it.
        return (
            starts.astimezone(dt.UTC).astimezone(zone),
            ends.astimezone(dt.UTC).astimezone(zone),
        )


SESSION_FIELDS = (
    "title",
    "address",
    "room",
    "online_url",
    "capacity",
    "audience",
    "host",
    "speakers",
    "materials",
)
# Changes a calendar must hear about.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "address", "room", "online_url")


def _check_session(fields: dict[str, Any], starts: dt.datetime, ends: dt.datetime) -> None:
    if ends <= starts:
        raise EventError(_("The session ends before it starts. Check the times."))
    capacity = fields.get("capacity")
    if capacity is None or capacity < 1:
        raise EventError(_("A session needs at least one place."))
    if not (fields.get("address") or fields.get("online_url")):
        raise EventError(_("Give an address or an online meeting link."))
    if fields.get("audience") and fields["audience"] not in Audience.values:
        raise EventError(_("Choose an audience from the list."))


def _recurring_dates(first: dt.date, every_weeks: int, count: int) -> list[dt.date]:
    if count < 1 or count > MAX_RECURRING:
        raise EventError(
            _("Make between 1 and %(max)d sessions at a time.") % {"max": MAX_RECURRING}
        )
    if count > 1 and every_weeks < 1:
        raise EventError(_("Repeat every one week or more."))
    return [first + dt.timedelta(weeks=every_weeks * n) for n in range(count)]


@transaction.atomic
def sessions_create(
    *,
    actor: Any,
    item: CatalogueItem,
    times: SessionTimes,
    fields: dict[str, Any],
    every_weeks: int = 1,
    count: int = 1,
) -> list[Session]:
    """One session, or `count` sessions every `every_weeks` weeks at the same wall-clock time
    (19:00 stays 19:00 across a change to or from summer time)."""
    if not can_manage_series(actor, item):
        raise EventError(_("Only the series' coordinators plan sessions."))
    series = series_for(item)
    made: list[Session] = []
    for day in _recurring_dates(times.date, every_weeks, count):
        starts, ends = SessionTimes(day, times.start, times.end).aware()
        _check_session(fields, starts, ends)
        session = Session.objects.create(
            series=series,
            starts_at=starts,
            ends_at=ends,
            **{name: fields.get(name) or _blank(name) for name in SESSION_FIELDS},
        )
        session.series = series
        reminder_schedule(session)
        made.append(session)
    _audit(
        actor=actor,
        action="events.session_create",
        item=item,
        sessions=[str(s.uuid) for s in made],
        starts=[s.starts_at.isoformat() for s in made],
    )
    return made


def _blank(name: str) -> Any:
    return None if name in ("host", "capacity") else ""


def _lock(session: Session) -> Session:
    """The session row, locked until the transaction ends (see the module text)."""
    locked = (
        Session.objects.select_for_update(of=("self",))
        .select_related("series__item")
        .get(pk=session.pk)
    )
    return locked


@transaction.atomic
def session_update(
    *, actor: Any, session: Session, times: SessionTimes, fields: dict[str, Any]
) -> Session:
    """Change a session. A new time, place or title raises its calendar sequence and sends the
    update to everyone registered; more places promote people from the waiting list."""
    session = _lock(session)
    item = session.series.item
    if not can_manage_series(actor, item):
        raise EventError(_("Only the series' coordinators change sessions."))
    if session.is_cancelled:
        raise EventError(_("This session is cancelled."))
    starts, ends = times.aware()
    _check_session(fields, starts, ends)
    confirmed = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if fields["capacity"] < confirmed:
        raise EventError(
            _("%(n)d people have a place already; give at least that many places.")
            % {"n": confirmed}
        )
    before = {name: getattr(session, name) for name in CALENDAR_FIELDS}
    session.starts_at, session.ends_at = starts, ends
    for name in SESSION_FIELDS:
        setattr(session, name, fields.get(name) or _blank(name))
    changed = [name for name in CALENDAR_FIELDS if getattr(session, name) != before[name]]
    if changed:
        session.sequence += 1
    session.updated_at = timezone.now()
    session.save()
    if "starts_at" in changed:
        session.reminder_sent_at = None
        session.save(update_fields=["reminder_sent_at"])
        session.registrations.update(reminded_at=None)
        reminder_schedule(session)
    if changed:
        notify.session_changed(session.pk)
    _promote(session)
    _audit(
        actor=actor,
        action="events.session_update",
        item=item,
        session=str(session.uuid),
        fields=changed,
    )
    return session


@transaction.atomic
def session_cancel(*, actor: Any, session: Session, reason: str = "") -> Session:
    session = _lock(session)
    item = session.series.item
    if not can_manage_series(actor, item):
        raise EventError(_("Only the series' coordinators cancel sessions."))
    if session.is_cancelled:
        raise EventError(_("This session is cancelled already."))
    if session.ends_at <= timezone.now():
        raise EventError(_("This session is over; it cannot be cancelled any more."))
    session.status = SessionStatus.CANCELLED
    session.cancelled_at = timezone.now()
    session.cancel_reason = reason.strip()[:300]
    session.sequence += 1
    session.updated_at = session.cancelled_at
    session.save()
    notify.session_cancelled(session.pk, session.cancel_reason)
    _audit(actor=actor, action="events.session_cancel", item=item, session=str(session.uuid))
    return session


@transaction.atomic
def reservation_set(
    *, actor: Any, session: Session, organisation: Organisation, places: int
) -> SessionReservation | None:
    """Keep places for one member organisation (0 removes the reservation). Places already
    taken by others are not taken back; fewer kept places may promote people waiting."""
    session = _lock(session)
    item = session.series.item
    if not can_manage_series(actor, item):
        raise EventError(_("Only the series' coordinators keep places."))
    if not item_reaches_organisation(item, organisation):
        raise EventError(_("This organisation is not a member of the network."))
    if places < 0:
        raise EventError(_("The number of places cannot be negative."))
    kept = sum(r.places for r in session.reservations.exclude(organisation=organisation))
    if kept + places > session.capacity:
        raise EventError(_("More places kept than the session has."))
    reservation: SessionReservation | None = None
    if places == 0:
        SessionReservation.objects.filter(session=session, organisation=organisation).delete()
    else:
        reservation, _created = SessionReservation.objects.update_or_create(
            session=session, organisation=organisation, defaults={"places": places}
        )
    _promote(session)
    _audit(
        actor=actor,
        action="events.reservation",
        item=item,
        session=str(session.uuid),
        organisation_name=organisation.name,
        places=places,
    )
    return reservation


# --- places ---------------------------------------------------------------------------------


def cancel_deadline(session: Session) -> dt.datetime:
    return session.starts_at - dt.timedelta(hours=session.series.cancel_hours)


class Places:
    """Who holds which places of one (locked) session, and who may take a free one."""

    def __init__(self, session: Session, now: dt.datetime) -> None:
        self.session = session
        rows = (
            Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED)
            .values("organisation_id")
            .annotate(n=Count("pk"))
        )
        self.by_org: Counter[int | None] = Counter({r["organisation_id"]: r["n"] for r in rows})
        # Kept places lapse at the cancellation deadline: then anyone may take them.
        self.kept: dict[int, int] = (
            {r.organisation_id: r.places for r in session.reservations.all()}
            if now < cancel_deadline(session)
            else {}
        )

    def free_for(self, organisation_id: int | None) -> int:
        taken = sum(self.by_org.values())
        held_for_others = sum(
            max(0, places - self.by_org[org])
            for org, places in self.kept.items()
            if org != organisation_id
        )
        return self.session.capacity - taken - held_for_others

    def take(self, organisation_id: int | None) -> None:
        self.by_org[organisation_id] += 1


def _promote(session: Session) -> list[Registration]:
    """Give free places to the waiting list, first come first served (someone further down
    whose organisation has kept places may go first). Tells each promoted person by e-mail."""
    now = timezone.now()
    if session.is_cancelled or session.starts_at <= now:
        return []
    places = Places(session, now)
    promoted: list[Registration] = []
    waiting = Registration.objects.filter(
        session=session, status=RegistrationStatus.WAITING
    ).order_by("waiting_since", "pk")
    for registration in waiting:
        if places.free_for(registration.organisation_id) <= 0:
            if places.free_for(None) <= 0 and not places.kept:
                break
            continue
        places.take(registration.organisation_id)
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.changed_at = now
        registration.save(update_fields=["status", "confirmed_at", "changed_at"])
        promoted.append(registration)
        audit_record(
            actor=None,
            action="events.promote",
            organisation=registration.organisation,
            subject=registration.person,
            session=str(session.uuid),
        )
    if promoted:
        notify.promoted([r.pk for r in promoted])
    return promoted


# --- registrations --------------------------------------------------------------------------


def _eligible(session: Session, now: dt.datetime) -> None:
    item = session.series.item
    if item.status != ItemStatus.PUBLISHED:
        raise EventError(_("This event is not open for registration."))
    if session.is_cancelled:
        raise EventError(_("This session is cancelled."))
    if session.starts_at <= now:
        raise EventError(_("This session has started; registration is closed."))


def _organisation_for(
    person: Any, item: CatalogueItem, organisation: Organisation | None
) -> Organisation:
    reaching = organisations_reaching(person, item)
    if organisation is None:
        if not reaching:
            raise EventError(_("This event is not in the catalogue of your organisation."))
        return reaching[0]
    if organisation not in reaching:
        raise EventError(_("This event is not in the catalogue of your organisation."))
    return organisation


def _place(
    *,
    session: Session,
    person: Any,
    organisation: Organisation,
    actor: Any,
    status: str | None,
    now: dt.datetime,
    places: Places,
) -> Registration:
    """Create or revive the person's registration with `status`, or with a place if one is free
    for their organisation and the waiting list otherwise."""
    existing = Registration.objects.filter(session=session, person=person).first()
    if existing is not None and existing.status in ACTIVE_STATUSES:
        raise EventError(
            _("%(name)s is registered for this session already.") % {"name": person.display_name}
        )
    if status is None:
        status = (
            RegistrationStatus.CONFIRMED
            if places.free_for(organisation.pk) > 0
            else RegistrationStatus.WAITING
        )
    if status == RegistrationStatus.CONFIRMED:
        places.take(organisation.pk)
    registration = existing or Registration(session=session, person=person)
    registration.organisation = organisation
    registration.registered_by = actor if getattr(actor, "is_authenticated", False) else None
    registration.status = status
    registration.changed_at = now
    registration.confirmed_at = now if status == RegistrationStatus.CONFIRMED else None
    registration.waiting_since = now if status == RegistrationStatus.WAITING else None
    registration.cancelled_at = None
    registration.decided_by = None
    registration.reminded_at = None
    if existing is not None:
        registration.ical_sequence += 1
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        raise EventError(
            _("%(name)s is registered for this session already.") % {"name": person.display_name}
        ) from error
    registration.session = session
    registration.person = person
    audit_record(
        actor=actor,
        action="events.register",
        organisation=organisation,
        subject=person,
        session=str(session.uuid),
        title=session.series.item.title,
        status=status,
    )
    return registration


@transaction.atomic
def registration_create(
    *, actor: Any, session: Session, organisation: Organisation | None = None
) -> Registration:
    """The actor registers themselves. With approval on, the request waits for their manager;
    otherwise they get a place, or the waiting list when the session is full."""
    session = _lock(session)
    now = timezone.now()
    _eligible(session, now)
    item = session.series.item
    organisation = _organisation_for(actor, item, organisation)
    status = RegistrationStatus.REQUESTED if session.series.approval_required else None
    registration = _place(
        session=session,
        person=actor,
        organisation=organisation,
        actor=actor,
        status=status,
        now=now,
        places=Places(session, now),
    )
    notify.registration_changed([registration.pk])
    return registration


@dataclass
class TeamRegistration:
    registered: list[Registration]
    already: list[Any]


@transaction.atomic
def registrations_create_for_team(
    *, actor: Any, session: Session, organisation: Organisation, people: Sequence[Any]
) -> TeamRegistration:
    """A manager (or admin) registers people they lead at `organisation`: no approval needed,
    places kept for the organisation first. People registered already are reported; anyone the
    actor does not lead refuses the whole lot."""
    session = _lock(session)
    now = timezone.now()
    _eligible(session, now)
    item = session.series.item
    if not people:
        raise EventError(_("Choose at least one person."))
    if not item_reaches_organisation(item, organisation):
        raise EventError(_("This event is not in the catalogue of your organisation."))
    for person in people:
        if not can_lead(actor, person, organisation):
            raise EventError(_("You can only register people you lead."))
    active = set(
        Registration.objects.filter(
            session=session, person__in=people, status__in=ACTIVE_STATUSES
        ).values_list("person_id", flat=True)
    )
    places = Places(session, now)
    result = TeamRegistration(registered=[], already=[])
    for person in people:
        if person.pk in active:
            result.already.append(person)
            continue
        result.registered.append(
            _place(
                session=session,
                person=person,
                organisation=organisation,
                actor=actor,
                status=None,
                now=now,
                places=places,
            )
        )
    notify.registration_changed([r.pk for r in result.registered])
    return result


def can_decide(actor: Any, registration: Registration) -> bool:
    if actor.pk == registration.person_id:
        return False
    return can_lead(actor, registration.person, registration.organisation)


@transaction.atomic
def registration_decide(*, actor: Any, registration: Registration, approve: bool) -> Registration:
    """The manager (or admin) approves a request — a place if one is free, else the waiting
    list — or declines it."""
    session = _lock(registration.session)
    registration = Registration.objects.select_related("person", "organisation").get(
        pk=registration.pk
    )
    if registration.status != RegistrationStatus.REQUESTED:
        raise EventError(_("This request has been decided already."))
    if not can_decide(actor, registration):
        raise EventError(_("Only the person's manager or an admin can decide this."))
    now = timezone.now()
    if approve:
        _eligible(session, now)
        places = Places(session, now)
        confirmed = places.free_for(registration.organisation_id) > 0
        registration.status = (
            RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITING
        )
        registration.confirmed_at = now if confirmed else None
        registration.waiting_since = None if confirmed else now
    else:
        registration.status = RegistrationStatus.DECLINED
    registration.decided_by = actor
    registration.changed_at = now
    registration.save()
    registration.session = session
    audit_record(
        actor=actor,
        action="events.approve" if approve else "events.decline",
        organisation=registration.organisation,
        subject=registration.person,
        session=str(session.uuid),
        status=registration.status,
    )
    notify.registration_changed([registration.pk])
    return registration


def can_cancel(actor: Any, registration: Registration, *, now: dt.datetime | None = None) -> bool:
    """The person or their manager up to the deadline (a place on the waiting list or a request
    until the start); the series' coordinators until the start."""
    now = now or timezone.now()
    session = registration.session
    if registration.status not in ACTIVE_STATUSES or session.starts_at <= now:
        return False
    if can_manage_series(actor, session.series.item):
        return True
    own = actor.pk == registration.person_id or can_lead(
        actor, registration.person, registration.organisation
    )
    if not own:
        return False
    if registration.status == RegistrationStatus.CONFIRMED:
        return now < cancel_deadline(session)
    return True


@transaction.atomic
def registration_cancel(*, actor: Any, registration: Registration) -> Registration:
    """Give the place (or the place in the queue) back; the next person waiting gets it."""
    session = _lock(registration.session)
    registration = Registration.objects.select_related("person", "organisation").get(
        pk=registration.pk
    )
    registration.session = session
    now = timezone.now()
    if registration.status not in ACTIVE_STATUSES:
        raise EventError(_("This registration has ended already."))
    if not can_cancel(actor, registration, now=now):
        if session.starts_at > now and registration.status == RegistrationStatus.CONFIRMED:
            raise EventError(
                _(
                    "Cancelling is possible until %(hours)d hours before the start. Ask the "
                    "organiser."
                )
                % {"hours": session.series.cancel_hours}
            )
        raise EventError(_("You cannot cancel this registration."))
    had_place = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.changed_at = now
    registration.ical_sequence += 1
    registration.save()
    audit_record(
        actor=actor,
        action="events.cancel",
        organisation=registration.organisation,
        subject=registration.person,
        session=str(session.uuid),
    )
    notify.registration_cancelled(registration.pk, had_place=had_place)
    if had_place:
        _promote(session)
    return registration


def waiting_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITING or registration.waiting_since is None:
        return None
    ahead = Registration.objects.filter(
        session_id=registration.session_id,
        status=RegistrationStatus.WAITING,
        waiting_since__lt=registration.waiting_since,
    ).count()
    return ahead + 1
