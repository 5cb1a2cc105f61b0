"""iCalendar (RFC 5545) for events, built with the `icalendar` library.

Choices (docs/events.md explains them for operators):
- **One UID per session**, `<session uuid>@<site host>`, never changed: an update or a
  cancellation replaces the event in the person's calendar instead of adding a second one.
- **SEQUENCE** grows with every change a calendar must notice: the session's own counter (time,
  place, title, cancellation) plus the registration's counter (the person cancelled or signed
  up again). Both only ever go up, so the sum does too, as RFC 5546 requires.
- **Times in UTC** ("…Z"): unambiguous, no VTIMEZONE block to keep in step with the rules of
  Europe/Amsterdam; every client shows them in the reader's own zone. The database holds UTC
  too; pages show Europe/Amsterdam.
- **Invitations** by e-mail are iTIP messages: METHOD:REQUEST with ORGANIZER and the person as
  ATTENDEE, METHOD:CANCEL when the place or the session is cancelled. **Feeds** are plain
  published calendars (no METHOD): a cancelled session stays in the feed as STATUS:CANCELLED
  so subscribed clients strike it through; a place on the waiting list is TENTATIVE.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from gilde.events.models import Registration, RegistrationStatus, Session

PRODID = "-//Gilde//Events//NL"

# RFC 5545 text may not hold control characters other than the tab (a line break is written as
# "\n"). People paste them from word processors (a vertical tab is Word's manual line break).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def plain_text(value: str) -> str:
    """Text fit for an iCalendar property: line breaks as one newline, other control characters
    as a space."""
    return _CONTROL.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n"))


def _site() -> str:
    return str(getattr(settings, "SITE_URL", "") or "http://localhost:8000").rstrip("/")


def _host() -> str:
    return urlsplit(_site()).hostname or "localhost"


def session_uid(session: Session) -> str:
    return f"{session.uuid}@{_host()}"


def session_url(session: Session) -> str:
    return _site() + reverse("events:session", args=[session.uuid])


def session_title(session: Session) -> str:
    item_title = session.series.item.title
    return f"{item_title}: {session.title}" if session.title else item_title


def session_location(session: Session) -> str:
    parts = [p for p in (session.room, session.address) if p]
    if session.online_url:
        parts.append(session.online_url)
    return ", ".join(parts)


def _organizer() -> vCalAddress:
    address = settings.DEFAULT_FROM_EMAIL
    if "<" in address:
        address = address.split("<", 1)[1].rstrip(">")
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText("Gilde")
    return organizer


def _event(session: Session, *, sequence: int, status: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at.astimezone(dt.UTC))
    event.add("dtend", session.ends_at.astimezone(dt.UTC))
    event.add("summary", plain_text(session_title(session)))
    location = plain_text(session_location(session))
    if location:
        event.add("location", location)
    description = [session.series.item.summary.strip(), session.speakers, session.materials]
    text = "\n\n".join(p for p in description if p)
    if text:
        event.add("description", plain_text(text[:4000]))
    event.add("url", session_url(session))
    event.add("sequence", sequence)
    event.add("status", status)
    event.add("last-modified", session.updated_at.astimezone(dt.UTC))
    return event


def _calendar(method: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def registration_sequence(registration: Registration) -> int:
    return registration.session.sequence + registration.ical_sequence


def invitation(registration: Registration, *, cancel: bool = False) -> bytes:
    """The iTIP message for one person: REQUEST (new or changed) or CANCEL."""
    session = registration.session
    method = "CANCEL" if cancel or session.is_cancelled else "REQUEST"
    calendar = _calendar(method)
    event = _event(
        session,
        sequence=registration_sequence(registration),
        status="CANCELLED" if method == "CANCEL" else "CONFIRMED",
        stamp=timezone.now(),
    )
    event.add("organizer", _organizer())
    attendee = vCalAddress(f"mailto:{registration.person.email}")
    # A backslash in an unquoted parameter value is read as an escape by the icalendar library
    # (and by other parsers), which then runs the name into the next parameter (PARTSTAT lost):
    # a name is shown, not matched, so a backslash becomes a slash.
    name = plain_text(registration.person.get_full_name()).replace("\\", "/")
    attendee.params["cn"] = vText(name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("DECLINED" if method == "CANCEL" else "ACCEPTED")
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()


def session_ics(session: Session) -> bytes:
    """One session to add to a calendar by hand (no invitation: METHOD:PUBLISH)."""
    calendar = _calendar("PUBLISH")
    status = "CANCELLED" if session.is_cancelled else "CONFIRMED"
    calendar.add_component(
        _event(session, sequence=session.sequence, status=status, stamp=timezone.now())
    )
    return calendar.to_ical()


def feed(
    *,
    name: str,
    sessions: Iterable[Session],
    registrations: dict[int, Registration] | None = None,
) -> bytes:
    """A subscribed calendar. With `registrations` (session id → the person's registration) it is
    a personal feed: the sequence and status follow the person's place."""
    calendar = _calendar()
    # The calendar's name is one line (a network's name with a line break in it would otherwise
    # be written unescaped, which the icalendar library refuses).
    calendar.add("x-wr-calname", vText(" ".join(plain_text(name).split())))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # Ask clients to look again every hour (RFC 7986 REFRESH-INTERVAL, and the older name).
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"value": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    stamp = timezone.now()
    for session in sessions:
        sequence = session.sequence
        status = "CANCELLED" if session.is_cancelled else "CONFIRMED"
        if registrations is not None:
            registration = registrations.get(session.pk)
            if registration is None:
                continue
            sequence += registration.ical_sequence
            if registration.status == RegistrationStatus.CANCELLED:
                status = "CANCELLED"
            elif registration.status != RegistrationStatus.CONFIRMED and status != "CANCELLED":
                status = "TENTATIVE"
        calendar.add_component(_event(session, sequence=sequence, status=status, stamp=stamp))
    return calendar.to_ical()


# --- personal feed tokens -------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def feed_url(token: str) -> str:
    return _site() + reverse("events:feed", args=[token])


def parse(data: bytes | str) -> Any:
    """Read iCalendar text back (tests and the benchmark check what we send)."""
    return Calendar.from_ical(data)
