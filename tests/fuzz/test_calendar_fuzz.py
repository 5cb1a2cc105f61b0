"""iCalendar output from random event data: whatever a title, place or description holds
(unicode, newlines, commas, semicolons, backslashes, long text), the invitation and the feed parse
back with the icalendar library and every field comes back as it went in."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from gilde.events import calendar
from gilde.events.models import (
    EventSeries,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
)
from gilde.learning.models import CatalogueItem
from gilde.people.models import Person

# What a form lets through: any text but surrogates and NUL (Django's forms refuse NUL).
text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=60)
long_text = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=5000
)
tricky = st.sampled_from(["", ",", ";", ":", "\\", "\n", "\r\n", '"', "\\n", "é", "🎓", " "])
field = st.one_of(text, st.lists(text | tricky, max_size=6).map("".join))
moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 1, 1), timezones=st.just(dt.UTC)
).map(lambda d: d.replace(microsecond=0))


def make_session(data: st.DataObject) -> Session:
    item = CatalogueItem(title=data.draw(field, "item title"), summary=data.draw(long_text))
    series = EventSeries(item=item)
    starts = data.draw(moments, "starts")
    session = Session(
        uuid=uuid.uuid4(),
        series=series,
        title=data.draw(field, "session title"),
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=data.draw(st.integers(1, 60 * 24 * 3))),
        address=data.draw(field, "address"),
        room=data.draw(field, "room"),
        online_url=data.draw(st.sampled_from(["", "https://meet.example.org/a,b;c?x=1&y=2"])),
        speakers=data.draw(field, "speakers"),
        materials=data.draw(long_text, "materials"),
        sequence=data.draw(st.integers(0, 10_000)),
        status=data.draw(st.sampled_from([SessionStatus.SCHEDULED, SessionStatus.CANCELLED])),
        updated_at=data.draw(moments, "updated"),
    )
    return session


def expected(value: str) -> str:
    """What a calendar shows of a text: every line break as a newline, other control characters
    (which RFC 5545 text may not hold) as a space."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(" " if (ord(c) < 32 and c not in "\t\n") or c == "\x7f" else c for c in value)


def unescape(value: str) -> str:
    """An RFC 5545 TEXT value as written, read back (3.3.11)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def check_valid_text(data: bytes) -> None:
    """Lines end in CRLF and no control character but the tab stands anywhere else."""
    assert not re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", data.replace(b"\r\n", b""))
    for line in data.split(b"\r\n"):
        assert len(line) <= 75  # folded (RFC 5545 3.1)


def check_event(event: Any, session: Session, *, sequence: int, status: str) -> None:
    assert str(event["UID"]) == calendar.session_uid(session)
    assert str(event["SUMMARY"]) == expected(calendar.session_title(session))
    location = expected(calendar.session_location(session))
    assert str(event.get("LOCATION", "")) == location
    description = "\n\n".join(
        p for p in (session.series.item.summary.strip(), session.speakers, session.materials) if p
    )[:4000]
    assert str(event.get("DESCRIPTION", "")) == expected(description)
    assert event.decoded("DTSTART") == session.starts_at
    assert event.decoded("DTEND") == session.ends_at
    assert event.decoded("LAST-MODIFIED") == session.updated_at
    assert int(event["SEQUENCE"]) == sequence
    assert str(event["STATUS"]) == status
    assert str(event["URL"]) == calendar.session_url(session)


def only_event(data: bytes) -> Any:
    check_valid_text(data)
    parsed = Calendar.from_ical(data)
    events = [c for c in parsed.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    return parsed, events[0]


@given(data=st.data())
def test_a_session_file_round_trips(data: st.DataObject) -> None:
    session = make_session(data)
    parsed, event = only_event(calendar.session_ics(session))
    assert str(parsed["METHOD"]) == "PUBLISH"
    status = "CANCELLED" if session.is_cancelled else "CONFIRMED"
    check_event(event, session, sequence=session.sequence, status=status)


@given(
    data=st.data(),
    given_name=field,
    family_name=field,
    cancel=st.booleans(),
    extra_sequence=st.integers(0, 100),
)
def test_an_invitation_round_trips(
    data: st.DataObject, given_name: str, family_name: str, cancel: bool, extra_sequence: int
) -> None:
    session = make_session(data)
    person = Person(
        email="ada.lovelace+cal@example.org", given_name=given_name, family_name=family_name
    )
    registration = Registration(
        session=session,
        person=person,
        status=RegistrationStatus.CONFIRMED,
        ical_sequence=extra_sequence,
    )
    parsed, event = only_event(calendar.invitation(registration, cancel=cancel))
    cancelled = cancel or session.is_cancelled
    assert str(parsed["METHOD"]) == ("CANCEL" if cancelled else "REQUEST")
    check_event(
        event,
        session,
        sequence=session.sequence + extra_sequence,
        status="CANCELLED" if cancelled else "CONFIRMED",
    )
    attendee = event["ATTENDEE"]
    assert str(attendee) == f"mailto:{person.email}"
    assert attendee.params["CN"] == expected(person.get_full_name()).replace("\\", "/")
    assert attendee.params["PARTSTAT"] == ("DECLINED" if cancelled else "ACCEPTED")


@given(data=st.data(), name=field, count=st.integers(0, 4))
def test_a_feed_round_trips_every_session(data: st.DataObject, name: str, count: int) -> None:
    sessions = [make_session(data) for _ in range(count)]
    data = calendar.feed(name=name, sessions=sessions)
    check_valid_text(data)
    parsed = Calendar.from_ical(data)
    # The parser leaves X- properties as written: unescape the TEXT value as a calendar does.
    assert unescape(str(parsed["X-WR-CALNAME"])) == " ".join(expected(name).split())
    events = [c for c in parsed.walk() if c.name == "VEVENT"]
    assert len(events) == count
    for event, session in zip(events, sessions, strict=True):
        status = "CANCELLED" if session.is_cancelled else "CONFIRMED"
        check_event(event, session, sequence=session.sequence, status=status)


# --- what the fuzzing found, kept as plain tests ----------------------------------------------


def plain_session(**fields: Any) -> Session:
    item = CatalogueItem(title=fields.pop("item_title", "Veilig heftrucken"), summary="")
    start = dt.datetime(2030, 5, 1, 9, 0, tzinfo=dt.UTC)
    values: dict[str, Any] = {
        "uuid": uuid.uuid4(),
        "series": EventSeries(item=item),
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        "status": SessionStatus.SCHEDULED,
        "updated_at": start,
        **fields,
    }
    return Session(**values)


def test_a_network_name_with_a_line_break_gives_a_feed_not_an_error() -> None:
    # icalendar refused to write the unescaped name: the public feed answered with a server error.
    data = calendar.feed(name="Sessions of Metaal\nOost", sessions=[plain_session()])
    check_valid_text(data)
    assert unescape(str(Calendar.from_ical(data)["X-WR-CALNAME"])) == "Sessions of Metaal Oost"


def test_a_backslash_in_a_name_keeps_the_attendee_parameters_apart() -> None:
    # "CN=\;PARTSTAT=ACCEPTED" read back as one name: the answer to the invitation was lost.
    registration = Registration(
        session=plain_session(),
        person=Person(email="x@example.org", given_name="\\", family_name=""),
        status=RegistrationStatus.CONFIRMED,
    )
    _parsed, event = only_event(calendar.invitation(registration))
    assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    assert event["ATTENDEE"].params["CN"] == "/"


def test_control_characters_from_a_word_processor_are_not_written() -> None:
    # A vertical tab (Word's line break) went into the file as it was: not valid iCalendar.
    session = plain_session(title="Dag 1\x0bochtend", room="Zaal\x07 2")
    _parsed, event = only_event(calendar.session_ics(session))
    assert str(event["SUMMARY"]) == "Veilig heftrucken: Dag 1 ochtend"
    assert str(event["LOCATION"]) == "Zaal  2"
