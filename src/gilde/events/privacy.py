"""The events section of a person's data export and erasure (see docs/privacy.md).

Export: the person's registrations, attendance, feedback, the sessions they host and whether
they have a private calendar address. Erasure keeps the rows that the series' numbers depend on
(a registration's status, present or absent) and removes what says more: feedback comments,
calendar addresses, and open registrations end (places go to the next person waiting through the
normal promotion the next time places change hands).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def events_export(person: Any) -> dict[str, Any]:
    from gilde.events.models import Attendance, CalendarFeed, Feedback, Registration, Session

    def session_name(session: Session) -> str:
        title = session.series.item.title
        return f"{title}: {session.title}" if session.title else title

    return {
        "registrations": [
            {
                "session": session_name(r.session),
                "starts_at": _iso(r.session.starts_at),
                "organisation": r.organisation.name if r.organisation else None,
                "status": r.status,
                "registered_at": _iso(r.created_at),
                "confirmed_at": _iso(r.confirmed_at),
                "cancelled_at": _iso(r.cancelled_at),
                "registered_by_someone_else": r.registered_by_id not in (None, person.pk),
            }
            for r in Registration.objects.filter(person=person)
            .select_related("session__series__item", "organisation")
            .order_by("session__starts_at")
        ],
        "attendance": [
            {
                "session": session_name(a.session),
                "starts_at": _iso(a.session.starts_at),
                "status": a.status,
                "walk_in": a.walk_in,
                "method": a.method,
                "recorded_at": _iso(a.recorded_at),
            }
            for a in Attendance.objects.filter(person=person)
            .select_related("session__series__item")
            .order_by("session__starts_at")
        ],
        "feedback": [
            {
                "session": session_name(f.session),
                "score": f.score,
                "comment": f.comment,
                "given_at": _iso(f.created_at),
            }
            for f in Feedback.objects.filter(person=person)
            .select_related("session__series__item")
            .order_by("created_at")
        ],
        "sessions_hosted": [
            {"session": session_name(s), "starts_at": _iso(s.starts_at)}
            for s in Session.objects.filter(host=person)
            .select_related("series__item")
            .order_by("starts_at")
        ],
        "calendar_addresses": [
            {"made_at": _iso(c.created_at), "stopped_at": _iso(c.revoked_at)}
            for c in CalendarFeed.objects.filter(person=person).order_by("created_at")
        ],
    }


def events_erase(person: Any) -> None:
    from gilde.events.models import (
        ACTIVE_STATUSES,
        CalendarFeed,
        Feedback,
        Registration,
        RegistrationStatus,
        Session,
    )

    now = timezone.now()
    Registration.objects.filter(person=person, status__in=ACTIVE_STATUSES).update(
        status=RegistrationStatus.CANCELLED, cancelled_at=now, changed_at=now
    )
    Feedback.objects.filter(person=person).update(comment="")
    CalendarFeed.objects.filter(person=person).delete()
    Session.objects.filter(host=person).update(host=None)


def register_events_section() -> None:
    from gilde.privacy.registry import register

    register(
        "events",
        export=events_export,
        erase=events_erase,
        covers=[
            "events.Registration",
            "events.Attendance",
            "events.Feedback",
            "events.CalendarFeed",
            # The host link only: it is removed on erasure.
            "events.Session",
        ],
    )
