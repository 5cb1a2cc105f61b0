"""Attendance, self check-in and feedback.

A host (or a coordinator of the series) takes attendance on a phone with one tap per person; a
participant may also check in by opening the session's QR code. Being present completes the
event item for the person through the learning completion service (study hours, the learning
record "attended", plans and paths all follow from there). A completion is never taken back,
so once present is recorded and the item completed, it cannot be turned into absent here.

The QR code carries a signature of the session's id (Django's signing with the site's secret
key), so a code cannot be made up for another session; it only works from half an hour before
the start until the end, and only for people registered with a place — or, if the series allows
walk-ins, for anyone whose organisation may take the event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from gilde.audit.services import audit_record
from gilde.events.access import can_take_attendance
from gilde.events.models import (
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    Feedback,
    Registration,
    RegistrationStatus,
    Session,
)
from gilde.events.services import EventError
from gilde.learning.access import organisations_reaching
from gilde.learning.kinds import CompletionFacts
from gilde.learning.services import LearningError, complete_item, enrolment_for_attendance

CHECK_IN_OPENS = dt.timedelta(minutes=30)
# A host may record attendance a while after the session (a paper list typed in later).
HOST_RECORDS_UNTIL = dt.timedelta(days=14)
HOST_OPENS = dt.timedelta(hours=2)
_SALT = "gilde.events.check-in"


def check_in_token(session: Session) -> str:
    return signing.Signer(salt=_SALT).signature(str(session.uuid))


def check_in_token_valid(session: Session, token: str) -> bool:
    return constant_time_compare(check_in_token(session), token or "")


def check_in_url(session: Session) -> str:
    path = reverse("events:check-in", args=[session.uuid, check_in_token(session)])
    return str(getattr(settings, "SITE_URL", "")).rstrip("/") + path


def check_in_open(session: Session, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return not session.is_cancelled and session.starts_at - CHECK_IN_OPENS <= now < session.ends_at


def _record(
    *,
    actor: Any,
    session: Session,
    person: Any,
    organisation: Any,
    present: bool,
    walk_in: bool,
    method: str,
) -> Attendance:
    item = session.series.item
    now = timezone.now()
    attendance = (
        Attendance.objects.select_for_update().filter(session=session, person=person).first()
    )
    if attendance is not None and attendance.completion_id is not None and not present:
        raise EventError(
            _("Present is recorded and the event is completed for this person; it stays so.")
        )
    if attendance is not None and attendance.status == AttendanceStatus.PRESENT and present:
        return attendance
    if attendance is None:
        attendance = Attendance(session=session, person=person)
    attendance.organisation = organisation
    attendance.status = AttendanceStatus.PRESENT if present else AttendanceStatus.ABSENT
    attendance.walk_in = walk_in
    attendance.method = method
    attendance.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    attendance.recorded_at = now
    attendance.save()
    if present:
        try:
            enrolment = enrolment_for_attendance(
                actor=actor, person=person, item=item, organisation=organisation
            )
            completion = complete_item(
                actor=actor, enrolment=enrolment, facts=CompletionFacts(attended=True)
            )
        except LearningError as error:
            raise EventError(str(error)) from error
        attendance.completion = completion
        attendance.save(update_fields=["completion"])
    audit_record(
        actor=actor,
        action="events.attendance",
        organisation=organisation,
        subject=person,
        session=str(session.uuid),
        status=attendance.status,
        walk_in=walk_in,
        method=method,
    )
    return attendance


@transaction.atomic
def attendance_mark(
    *, actor: Any, session: Session, registration: Registration, present: bool
) -> Attendance:
    """The host taps a registered person present or absent."""
    if not can_take_attendance(actor, session):
        raise EventError(_("Only the host or a coordinator takes attendance."))
    if registration.session_id != session.pk:
        raise EventError(_("This person is not registered for this session."))
    now = timezone.now()
    if session.is_cancelled:
        raise EventError(_("This session is cancelled."))
    if not (session.starts_at - HOST_OPENS <= now <= session.ends_at + HOST_RECORDS_UNTIL):
        raise EventError(
            _("Attendance is taken from two hours before the start until two weeks after.")
        )
    walk_in = registration.status != RegistrationStatus.CONFIRMED
    return _record(
        actor=actor,
        session=session,
        person=registration.person,
        organisation=registration.organisation,
        present=present,
        walk_in=walk_in,
        method=CheckInMethod.HOST,
    )


@transaction.atomic
def attendance_from_list(
    *, actor: Any, session: Session, person: Any, present: bool, walk_in: bool = False
) -> Attendance:
    """A coordinator types in a signed paper list after the session, however long ago (the
    host's two-week window does not apply). The person must reach the event through one of
    their organisations."""
    from gilde.events.access import can_manage_series

    item = session.series.item
    if not can_manage_series(actor, item):
        raise EventError(_("Only the series' coordinators enter attendance lists."))
    if session.is_cancelled or session.starts_at > timezone.now():
        raise EventError(_("Attendance is entered for sessions that took place."))
    registration = Registration.objects.filter(session=session, person=person).first()
    if registration is not None and registration.organisation is not None:
        organisation = registration.organisation
    else:
        reaching = organisations_reaching(person, item)
        if not reaching:
            raise EventError(_("This event is not in the catalogue of this person's organisation."))
        organisation = reaching[0]
    return _record(
        actor=actor,
        session=session,
        person=person,
        organisation=organisation,
        present=present,
        walk_in=walk_in,
        method=CheckInMethod.HOST,
    )


@transaction.atomic
def check_in_self(*, actor: Any, session: Session, token: str) -> Attendance:
    """The participant opened the session's QR code and checks in."""
    if not check_in_token_valid(session, token):
        raise EventError(_("This check-in code is not valid. Scan the code at the session."))
    now = timezone.now()
    if session.is_cancelled:
        raise EventError(_("This session is cancelled."))
    if not check_in_open(session, now):
        if now < session.starts_at - CHECK_IN_OPENS:
            raise EventError(_("Check-in opens half an hour before the start."))
        raise EventError(_("This session is over; check-in is closed."))
    item = session.series.item
    registration = Registration.objects.filter(session=session, person=actor).first()
    if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
        organisation = registration.organisation
        walk_in = False
    else:
        if not session.series.walk_ins_allowed:
            raise EventError(
                _("Only people registered with a place can check in for this session.")
            )
        reaching = organisations_reaching(actor, item)
        if not reaching:
            raise EventError(_("This event is not in the catalogue of your organisation."))
        organisation = registration.organisation if registration else reaching[0]
        walk_in = True
    return _record(
        actor=actor,
        session=session,
        person=actor,
        organisation=organisation,
        present=True,
        walk_in=walk_in,
        method=CheckInMethod.SELF,
    )


@transaction.atomic
def feedback_give(*, actor: Any, session: Session, score: int, comment: str = "") -> Feedback:
    """A participant who was present scores the session (1–5) with an optional comment."""
    if not Attendance.objects.filter(
        session=session, person=actor, status=AttendanceStatus.PRESENT
    ).exists():
        raise EventError(_("Only people who were there can give feedback."))
    if not 1 <= score <= 5:
        raise EventError(_("Choose a score from 1 to 5."))
    if Feedback.objects.filter(session=session, person=actor).exists():
        raise EventError(_("You gave feedback on this session already. Thank you!"))
    feedback = Feedback.objects.create(
        session=session, person=actor, score=score, comment=comment.strip()[:2000]
    )
    item = session.series.item
    audit_record(
        actor=actor,
        action="events.feedback",
        organisation=item.organisation,
        network=item.network,
        session=str(session.uuid),
    )
    return feedback
