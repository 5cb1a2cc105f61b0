"""Learning records in plain language: the reads behind "My learning records" and the team's
records in the browser.

A record is one xAPI statement, shown as what happened (the verb in the reader's language), to
what (the activity's name from the statement), when, with what result and for which
organisation. Voided statements, and the voiding statements themselves, are never shown: a
record that was taken back is gone for the reader.

Pages are cut by (timestamp, sequence number) — keyset paging, never OFFSET — so the hundredth
page costs what the first does. The activity-text filter looks inside the statement: the
database narrows the rows with a plain text match where that is safe, and each row is then
checked against the activity's id and names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gilde.lrs.models import Statement
from gilde.lrs.validation import VOIDED

ADL = "http://adlnet.gov/expapi/verbs/"
COMPLETED = ADL + "completed"
PASSED = ADL + "passed"
PAGE_SIZE = 25
# Rows read at a time while the activity-text filter looks inside statements.
SCAN_CHUNK = 200
MONTHS = 12
MAX_MONTHS = 36

# The verbs of ADL's vocabulary and of the cmi5 profile, in the reader's language. A verb not
# listed here is shown by the statement's own display in the reader's language, else by the last
# part of its IRI. Adding a verb: docs/lrs.md, "In the browser".
VERB_LABELS: dict[str, Promise] = {
    ADL + "answered": _("answered"),
    ADL + "asked": _("asked"),
    ADL + "attempted": _("attempted"),
    ADL + "attended": _("attended"),
    ADL + "commented": _("commented"),
    ADL + "completed": _("completed"),
    ADL + "exited": _("exited"),
    ADL + "experienced": _("experienced"),
    ADL + "failed": _("did not pass"),
    ADL + "imported": _("imported"),
    ADL + "initialized": _("started"),
    ADL + "interacted": _("interacted with"),
    ADL + "launched": _("opened"),
    ADL + "mastered": _("mastered"),
    ADL + "passed": _("passed"),
    ADL + "preferred": _("preferred"),
    ADL + "progressed": _("made progress in"),
    ADL + "registered": _("enrolled in"),
    ADL + "responded": _("responded to"),
    ADL + "resumed": _("resumed"),
    ADL + "scored": _("scored"),
    ADL + "shared": _("shared"),
    ADL + "suspended": _("paused"),
    ADL + "terminated": _("closed"),
    ADL + "voided": _("took back"),
    "https://w3id.org/xapi/adl/verbs/satisfied": _("met the requirements of"),
    "https://w3id.org/xapi/adl/verbs/waived": _("was exempted from"),
    "https://w3id.org/xapi/adl/verbs/abandoned": _("abandoned"),
    "http://id.tincanapi.com/verb/viewed": _("viewed"),
}


def _language() -> str:
    return (translation.get_language() or "nl").lower()


def pick_language(value: Any, language: str | None = None) -> str:
    """The text of a language map in the reader's language: the exact tag, then the same
    language in another region (nl-BE for nl), then English, then whatever there is."""
    if not isinstance(value, dict) or not value:
        return ""
    wanted = (language or _language()).lower()
    base = wanted.split("-")[0]
    lowered = {str(k).lower(): v for k, v in value.items()}
    if wanted in lowered:
        return str(lowered[wanted])
    for tag, text in lowered.items():
        if tag.split("-")[0] == base:
            return str(text)
    for tag, text in lowered.items():
        if tag.split("-")[0] == "en":
            return str(text)
    return str(next(iter(value.values())))


def _in_language(value: Any, language: str) -> str:
    """The text of a language map only if it has the reader's language."""
    if not isinstance(value, dict):
        return ""
    base = language.split("-")[0]
    for tag, text in value.items():
        if str(tag).lower().split("-")[0] == base:
            return str(text)
    return ""


def last_segment(iri: str) -> str:
    tail = re.split(r"[/#:]", iri.rstrip("/#"))[-1]
    return tail or iri


def verb_label(iri: str, display: Any = None, language: str | None = None) -> str:
    """A verb in the reader's language: the statement's display in that language, then Gilde's
    word for a verb of a published vocabulary, then the last part of the verb's IRI."""
    lang = language or _language()
    own = _in_language(display, lang)
    if own:
        return own
    known = VERB_LABELS.get(iri)
    if known is not None:
        return str(known)
    return last_segment(iri)


# --- one record -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    statement_id: str
    when: dt.datetime
    verb: str
    verb_text: str
    activity_id: str
    activity_text: str
    score: str
    success: bool | None
    completion: bool | None
    duration: str
    organisation: str
    cursor: str

    @property
    def success_text(self) -> str:
        if self.success is None:
            return ""
        return str(_("passed")) if self.success else str(_("not passed"))

    @property
    def result_words(self) -> list[str]:
        words = [self.success_text] if self.success is not None else []
        if self.completion:
            words.append(str(_("completed")))
        return words


def _object_text(obj: dict[str, Any], language: str) -> tuple[str, str]:
    """(id, name) of what a statement is about."""
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        activity_id = str(obj.get("id", ""))
        name = pick_language((obj.get("definition") or {}).get("name"), language)
        return activity_id, name or last_segment(activity_id)
    if kind in ("Agent", "Group"):
        return "", str(obj.get("name") or _("a person"))
    if kind == "SubStatement":
        return _object_text(obj.get("object") or {}, language)
    return "", str(_("another record"))


def _score(result: dict[str, Any]) -> str:
    score = result.get("score")
    if not isinstance(score, dict):
        return ""
    if isinstance(score.get("scaled"), int | float):
        return f"{round(float(score['scaled']) * 100)}%"
    raw = score.get("raw")
    if isinstance(raw, int | float):
        high = score.get("max")
        text = f"{raw:g}"
        return f"{text} / {high:g}" if isinstance(high, int | float) else text
    return ""


_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?"
    r"(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def duration_text(value: Any) -> str:
    """An ISO 8601 duration (PT1H30M) as hours and minutes; anything else as it is."""
    if not isinstance(value, str):
        return ""
    match = _DURATION.match(value)
    if not match or value in ("P", "PT"):
        return value
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    minutes = round(parts["d"] * 1440 + parts["h"] * 60 + parts["m"] + parts["s"] / 60)
    if minutes < 1:
        return str(_("less than a minute"))
    hours, rest = divmod(minutes, 60)
    if not hours:
        return str(_("%(minutes)d min") % {"minutes": rest})
    if not rest:
        return str(_("%(hours)d h") % {"hours": hours})
    return str(_("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest})


def _owner_name(statement: Statement) -> str:
    store = statement.store
    owner = store.organisation or store.network
    return owner.name if owner is not None else ""


def encode_cursor(when: dt.datetime, seq: int) -> str:
    micros = (when - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)
    return f"{micros}-{seq}"


def decode_cursor(value: str) -> tuple[dt.datetime, int] | None:
    """A page cursor from the URL, or None for anything that is not one."""
    match = re.fullmatch(r"(-?\d{1,19})-(\d{1,19})", value or "")
    if not match:
        return None
    try:
        when = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            microseconds=int(match.group(1))
        )
    except OverflowError:
        return None
    return when, int(match.group(2))


def record_of(statement: Statement, language: str | None = None) -> Record:
    lang = language or _language()
    data = orjson.loads(statement.data)
    verb = data.get("verb") or {}
    activity_id, activity_text = _object_text(data.get("object") or {}, lang)
    result = data.get("result") if isinstance(data.get("result"), dict) else {}
    assert isinstance(result, dict)
    success = result.get("success")
    completion = result.get("completion")
    return Record(
        statement_id=str(statement.statement_id),
        when=statement.timestamp,
        verb=statement.verb,
        verb_text=verb_label(statement.verb, verb.get("display"), lang),
        activity_id=activity_id,
        activity_text=activity_text,
        score=_score(result),
        success=success if isinstance(success, bool) else None,
        completion=completion if isinstance(completion, bool) else None,
        duration=duration_text(result.get("duration")),
        organisation=_owner_name(statement),
        cursor=encode_cursor(statement.timestamp, statement.seq),
    )


# --- which records ----------------------------------------------------------------------------


def records_of(
    person: Any, *, organisation: Any = None, stores: QuerySet[Any] | None = None
) -> QuerySet[Statement]:
    """A person's records that may be shown: from every store, or only from one organisation's
    store (or the given stores) when someone else is looking."""
    qs = Statement.objects.filter(person=person, voided=False).exclude(verb=VOIDED)
    if organisation is not None:
        qs = qs.filter(store__organisation=organisation)
    if stores is not None:
        qs = qs.filter(store__in=stores.values("pk"))
    return qs


@dataclass(frozen=True)
class RecordFilters:
    since: dt.date | None = None
    until: dt.date | None = None
    verb: str = ""
    text: str = ""

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.verb or self.text)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _filtered(qs: QuerySet[Statement], filters: RecordFilters) -> QuerySet[Statement]:
    """Every filter the database can apply; the activity text is narrowed here and checked
    per row by `_text_matches`."""
    if filters.since:
        qs = qs.filter(timestamp__gte=_day_start(filters.since))
    if filters.until:
        qs = qs.filter(timestamp__lt=_day_start(filters.until + dt.timedelta(days=1)))
    if filters.verb:
        qs = qs.filter(verb=filters.verb)
    text = filters.text
    # A plain text match is exact only for text that JSON writes as it is and that every
    # database compares without regard to case: ASCII without quotes or backslashes.
    if text and text.isascii() and '"' not in text and "\\" not in text:
        qs = qs.filter(data__icontains=text)
    return qs


def _text_matches(data: str, text: str) -> bool:
    needle = text.casefold()
    obj = orjson.loads(data).get("object") or {}
    if obj.get("objectType") == "SubStatement":
        obj = obj.get("object") or {}
    if obj.get("objectType", "Activity") != "Activity":
        return False
    if needle in str(obj.get("id", "")).casefold():
        return True
    definition = obj.get("definition") or {}
    for key in ("name", "description"):
        value = definition.get(key)
        if isinstance(value, dict) and any(needle in str(v).casefold() for v in value.values()):
            return True
    return False


def _newest_first(qs: QuerySet[Statement]) -> QuerySet[Statement]:
    return qs.select_related("store__organisation", "store__network").order_by("-timestamp", "-seq")


def _before(qs: QuerySet[Statement], cursor: tuple[dt.datetime, int]) -> QuerySet[Statement]:
    when, seq = cursor
    return qs.filter(Q(timestamp__lt=when) | Q(timestamp=when, seq__lt=seq))


def iter_matching(
    qs: QuerySet[Statement],
    filters: RecordFilters,
    cursor: tuple[dt.datetime, int] | None = None,
) -> Iterator[Statement]:
    """The matching statements newest first, from just after `cursor`. Without an activity text
    this is one query; with one, rows are read in chunks until the caller has enough."""
    ordered = _newest_first(_filtered(qs, filters))
    if not filters.text:
        yield from (ordered if cursor is None else _before(ordered, cursor)).iterator(
            chunk_size=SCAN_CHUNK
        )
        return
    position = cursor
    while True:
        chunk = list((ordered if position is None else _before(ordered, position))[:SCAN_CHUNK])
        for statement in chunk:
            if _text_matches(statement.data, filters.text):
                yield statement
        if len(chunk) < SCAN_CHUNK:
            return
        position = (chunk[-1].timestamp, chunk[-1].seq)


@dataclass(frozen=True)
class RecordPage:
    records: list[Record]
    next_cursor: str
    is_first: bool


def record_page(
    qs: QuerySet[Statement],
    filters: RecordFilters,
    cursor: str = "",
    size: int = PAGE_SIZE,
) -> RecordPage:
    """One page of records, newest first, and the cursor of the next (older) page."""
    position = decode_cursor(cursor) if cursor else None
    found: list[Statement] = []
    if filters.text:
        for statement in iter_matching(qs, filters, position):
            found.append(statement)
            if len(found) > size:
                break
    else:
        ordered = _newest_first(_filtered(qs, filters))
        if position is not None:
            ordered = _before(ordered, position)
        found = list(ordered[: size + 1])
    language = _language()
    records = [record_of(s, language) for s in found[:size]]
    next_cursor = records[-1].cursor if len(found) > size else ""
    return RecordPage(records=records, next_cursor=next_cursor, is_first=position is None)


def verb_choices(qs: QuerySet[Statement]) -> list[tuple[str, str]]:
    """The verbs that occur in these records, in the reader's language: one query."""
    verbs = qs.order_by().values_list("verb", flat=True).distinct()
    return sorted(((v, verb_label(v)) for v in verbs), key=lambda c: c[1].casefold())


# --- per month ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    month: dt.date
    total: int
    completed: int
    passed: int


def _month_range(filters: RecordFilters) -> list[dt.date]:
    end_day = filters.until or timezone.localdate()
    end = end_day.replace(day=1)
    if filters.since and filters.since <= end_day:
        start = filters.since.replace(day=1)
    else:
        start = _shift(end, -(MONTHS - 1))
    if _months_between(start, end) >= MAX_MONTHS:
        start = _shift(end, -(MAX_MONTHS - 1))
    months = []
    month = start
    while month <= end:
        months.append(month)
        month = _shift(month, 1)
    return months


def _shift(month: dt.date, by: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + by
    return dt.date(index // 12, index % 12 + 1, 1)


def _months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def monthly_activity(qs: QuerySet[Statement], filters: RecordFilters) -> list[Month]:
    """Records per month over the filtered period (the last twelve months by default): one
    query, or one pass over the matching rows when an activity text is given."""
    months = _month_range(filters)
    if not months:
        return []
    window = RecordFilters(
        since=max(filters.since, months[0]) if filters.since else months[0],
        until=filters.until or (_shift(months[-1], 1) - dt.timedelta(days=1)),
        verb=filters.verb,
        text=filters.text,
    )
    counts: dict[dt.date, list[int]] = {m: [0, 0, 0] for m in months}
    if window.text:
        zone = timezone.get_current_timezone()
        for statement in iter_matching(qs, window):
            key = timezone.localtime(statement.timestamp, zone).date().replace(day=1)
            if key in counts:
                counts[key][0] += 1
                counts[key][1] += statement.verb == COMPLETED
                counts[key][2] += statement.verb == PASSED
    else:
        rows = (
            _filtered(qs, window)
            .order_by()
            .annotate(month=TruncMonth("timestamp", tzinfo=timezone.get_current_timezone()))
            .values("month")
            .annotate(
                total=Count("seq"),
                completed=Count("seq", filter=Q(verb=COMPLETED)),
                passed=Count("seq", filter=Q(verb=PASSED)),
            )
        )
        for row in rows:
            month = row["month"]
            key = (month.date() if isinstance(month, dt.datetime) else month).replace(day=1)
            if key in counts:
                counts[key] = [row["total"], row["completed"], row["passed"]]
    return [Month(m, *counts[m]) for m in months]


# --- the team -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    total: int = 0
    last: dt.datetime | None = None
    completed: int = 0
    passed: int = 0


def summaries(organisation: Any, person_ids: list[int]) -> dict[int, Summary]:
    """Per person: records, last activity, completed and passed, in the organisation's store.
    One query for any number of people."""
    if not person_ids:
        return {}
    return _summaries(Q(store__organisation=organisation, person_id__in=person_ids))


def summaries_in_stores(groups: list[tuple[list[int], QuerySet[Any]]]) -> dict[int, Summary]:
    """The same, for groups of people each with the stores that may be shown of them. One
    query for any number of people."""
    where = Q(pk__in=[])
    for person_ids, stores in groups:
        if person_ids:
            where |= Q(person_id__in=person_ids, store__in=stores.values("pk"))
    return _summaries(where)


def _summaries(where: Q) -> dict[int, Summary]:
    rows = (
        Statement.objects.filter(where, voided=False)
        .exclude(verb=VOIDED)
        .order_by()
        .values("person_id")
        .annotate(
            total=Count("seq"),
            last=Max("timestamp"),
            completed=Count("seq", filter=Q(verb=COMPLETED)),
            passed=Count("seq", filter=Q(verb=PASSED)),
        )
    )
    return {
        row["person_id"]: Summary(row["total"], row["last"], row["completed"], row["passed"])
        for row in rows
    }
