"""E-mails about registrations and sessions. Each is sent after the change is committed
(`transaction.on_commit`), reading the rows afresh, so a change that fails sends nothing and a
mail never tells of a state that was rolled back. Confirmations and changes carry an iCalendar
invitation (events/calendar.py)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gilde.events import calendar
from gilde.events.models import Registration, RegistrationStatus, Session

_state = threading.local()


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Send no e-mail for what happens inside (the demo loads a history nobody should be
    mailed about)."""
    _state.quiet = True
    try:
        yield
    finally:
        _state.quiet = False


def _schedule(send: Callable[[], None]) -> None:
    if not getattr(_state, "quiet", False):
        transaction.on_commit(send)


def _when(session: Session) -> str:
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    return f"{date_format(start, 'l j F Y')}, {start:%H:%M}–{end:%H:%M}"


def _details(session: Session) -> str:
    lines = [calendar.session_title(session), _when(session)]
    location = calendar.session_location(session)
    if location:
        lines.append(location)
    lines.append(calendar.session_url(session))
    return "\n".join(lines)


def _load(registration_ids: Iterable[int]) -> list[Registration]:
    return list(
        Registration.objects.filter(pk__in=list(registration_ids)).select_related(
            "person", "session__series__item"
        )
    )


def _send(registration: Registration, subject: str, text: str, ics: bytes | None = None) -> None:
    person = registration.person
    body = _("Hello %(name)s,") % {"name": person.given_name or person.email}
    body += "\n\n" + text + "\n\n" + _details(registration.session) + "\n"
    message = EmailMultiAlternatives(subject=subject, body=body, to=[person.email])
    if ics is not None:
        method = "CANCEL" if b"METHOD:CANCEL" in ics else "REQUEST"
        message.attach("invite.ics", ics, f"text/calendar; method={method}; charset=utf-8")
    message.send()


def _registration_mail(registration: Registration) -> None:
    title = calendar.session_title(registration.session)
    status = registration.status
    if status == RegistrationStatus.CONFIRMED:
        _send(
            registration,
            _("You are registered: %(title)s") % {"title": title},
            _("You have a place. The invitation for your calendar is attached."),
            calendar.invitation(registration),
        )
    elif status == RegistrationStatus.WAITING:
        _send(
            registration,
            _("On the waiting list: %(title)s") % {"title": title},
            _(
                "The session is full, so you are on the waiting list. When a place comes free "
                "you get it automatically, and an e-mail."
            ),
        )
    elif status == RegistrationStatus.REQUESTED:
        _send(
            registration,
            _("Waiting for approval: %(title)s") % {"title": title},
            _("Your manager approves registrations for this event. You will hear from us."),
        )
    elif status == RegistrationStatus.DECLINED:
        _send(
            registration,
            _("Not approved: %(title)s") % {"title": title},
            _("Your registration was not approved. Ask your manager if you want to know why."),
        )


def registration_changed(registration_ids: Iterable[int]) -> None:
    """Tell people where they stand after registering or a decision on approval."""
    ids = list(registration_ids)

    def send() -> None:
        for registration in _load(ids):
            _registration_mail(registration)

    _schedule(send)


def promoted(registration_ids: Iterable[int]) -> None:
    ids = list(registration_ids)

    def send() -> None:
        for registration in _load(ids):
            _send(
                registration,
                _("A place for you: %(title)s")
                % {"title": calendar.session_title(registration.session)},
                _(
                    "A place came free and it is yours: you are registered now. The invitation "
                    "for your calendar is attached. Cannot come after all? Cancel on the "
                    "session's page so that the next person gets the place."
                ),
                calendar.invitation(registration),
            )

    _schedule(send)


def registration_cancelled(registration_id: int, *, had_place: bool) -> None:
    def send() -> None:
        for registration in _load([registration_id]):
            _send(
                registration,
                _("Cancelled: %(title)s") % {"title": calendar.session_title(registration.session)},
                _("Your registration is cancelled."),
                calendar.invitation(registration, cancel=True) if had_place else None,
            )

    _schedule(send)


def session_changed(session_id: int) -> None:
    def send() -> None:
        registrations = Registration.objects.filter(
            session_id=session_id, status=RegistrationStatus.CONFIRMED
        ).select_related("person", "session__series__item")
        for registration in registrations:
            _send(
                registration,
                _("Changed: %(title)s") % {"title": calendar.session_title(registration.session)},
                _("The time or place of this session has changed. Your calendar is updated."),
                calendar.invitation(registration),
            )

    _schedule(send)


def session_cancelled(session_id: int, reason: str) -> None:
    def send() -> None:
        registrations = Registration.objects.filter(
            session_id=session_id,
            status__in=[
                RegistrationStatus.CONFIRMED,
                RegistrationStatus.WAITING,
                RegistrationStatus.REQUESTED,
            ],
        ).select_related("person", "session__series__item")
        for registration in registrations:
            text = _("This session does not go ahead.")
            if reason:
                text += " " + reason
            _send(
                registration,
                _("Cancelled: %(title)s") % {"title": calendar.session_title(registration.session)},
                text,
                calendar.invitation(registration, cancel=True)
                if registration.status == RegistrationStatus.CONFIRMED
                else None,
            )

    _schedule(send)


def reminder(registration: Registration) -> None:
    _send(
        registration,
        _("Tomorrow: %(title)s") % {"title": calendar.session_title(registration.session)},
        _("A reminder: you are registered for this session. Cannot come? Cancel on its page."),
    )
