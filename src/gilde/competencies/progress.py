"""Progress over time: the current-level rule replayed month by month over the rating history.

`CurrentLevel` only knows where people stand today. To show where they stood at the end of each
earlier month, the rule of `services` is applied again, in Python, to the ratings dated up to that
month's end: per person and competency the latest validating rating (manager, coach/assessor,
mentor) counts, else the latest self-rating; peer ratings never count. "Latest" is by the date
assessed, then by the moment entered, exactly as the service orders them.

A month's value is the average normalised level (0–1) over the competencies of a profile and the
people in the group, with "not rated yet" counting as the lowest level — the same convention as the
gaps, so that the line rises as people are rated and grow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from gilde.competencies.models import VALIDATING_ROLES, Assessment, Framework, RaterRole
from gilde.people.names import full_name

# At most this many months are charted (two years).
MONTHS = 24
# A group's progress replays every rating of everyone in it. For groups larger than a team the
# page asks to choose a team instead of reading them all; the number of ratings read is capped as
# well (a small group with a very long history).
MAX_GROUP_PEOPLE = 60
MAX_GROUP_RATINGS = 60_000

_VALIDATING = frozenset(str(r) for r in VALIDATING_ROLES)
_SELF = str(RaterRole.SELF)


@dataclass(slots=True)
class Rating:
    """The fields of an assessment the rule needs, in the rule's order."""

    person_id: int
    code: str
    role: str
    normalised: float
    assessed_on: dt.date
    created_at: dt.datetime
    pk: int

    @property
    def order(self) -> tuple[dt.date, dt.datetime, int]:
        return (self.assessed_on, self.created_at, self.pk)


def month_ends(first: dt.date, today: dt.date, *, limit: int = MONTHS) -> list[dt.date]:
    """The last day of every month from `first`'s month up to today's (today stands for the
    running month), at most `limit` months, the latest last."""
    ends: list[dt.date] = []
    year, month = today.year, today.month
    while len(ends) < limit:
        if (year, month) < (first.year, first.month):
            break
        if (year, month) == (today.year, today.month):
            ends.append(today)
        else:
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            ends.append(following - dt.timedelta(days=1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    ends.reverse()
    return ends


def replay(
    ratings: Iterable[Rating], *, ends: Sequence[dt.date], people: int, codes: Sequence[str]
) -> list[float | None]:
    """Average normalised level at each month end. `ratings` may come in any order; `people`
    is the size of the group (people without any rating count at the lowest level)."""
    wanted = set(codes)
    ordered = sorted((r for r in ratings if r.code in wanted), key=lambda r: r.order)
    cells = max(people, 0) * len(wanted)
    if not cells:
        return [None for _ in ends]
    validated: dict[tuple[int, str], float] = {}
    self_rated: dict[tuple[int, str], float] = {}
    values: list[float | None] = []
    i = 0
    for end in ends:
        while i < len(ordered) and ordered[i].assessed_on <= end:
            r = ordered[i]
            key = (r.person_id, r.code)
            if r.role in _VALIDATING:
                validated[key] = r.normalised
            elif r.role == _SELF:
                self_rated[key] = r.normalised
            i += 1
        total = sum(validated.values())
        total += sum(v for k, v in self_rated.items() if k not in validated)
        values.append(total / cells)
    return values


# --- one person -------------------------------------------------------------------------------


@dataclass(slots=True)
class RatingRecord:
    """One rating of a person as their profile page shows it (plain values: a person can have
    hundreds of ratings, and model objects with their related rows cost more to build)."""

    pk: int
    framework_id: int
    framework: str
    code: str
    name: str
    version: int
    level: int
    normalised: float
    role: str
    role_label: str
    assessed_on: dt.date
    created_at: dt.datetime
    comment: str
    rater_name: str


def person_ratings(person: Any) -> list[RatingRecord]:
    """Every rating of one person, oldest first, with what was rated and by whom: one query.
    Feeds the history table and, through `ratings_of`, the monthly replay."""
    labels = {value: str(label) for value, label in RaterRole.choices}
    rows = (
        Assessment.objects.filter(person=person)
        .order_by("assessed_on", "created_at", "pk")
        .values_list(
            "pk",
            "framework_id",
            "competency__version__framework__name",
            "competency__code",
            "competency__name",
            "competency__version__number",
            "level",
            "normalised",
            "rater_role",
            "assessed_on",
            "created_at",
            "comment",
            "rater__given_name",
            "rater__infix",
            "rater__family_name",
            "rater__email",
        )
    )
    records = []
    for (
        pk,
        framework_id,
        framework,
        code,
        name,
        version,
        level,
        normalised,
        role,
        assessed_on,
        created_at,
        comment,
        given,
        infix,
        family,
        email,
    ) in rows:
        rater = full_name(given or "", infix or "", family or "") or email or ""
        records.append(
            RatingRecord(
                pk=pk,
                framework_id=framework_id,
                framework=framework,
                code=code,
                name=name,
                version=version,
                level=level,
                normalised=normalised,
                role=role,
                role_label=labels.get(role, role),
                assessed_on=assessed_on,
                created_at=created_at,
                comment=comment,
                rater_name=rater,
            )
        )
    return records


def ratings_of(records: Iterable[RatingRecord], framework: Framework) -> list[Rating]:
    """The ratings of one framework, in the form the replay reads."""
    return [
        Rating(
            person_id=0,
            code=r.code,
            role=r.role,
            normalised=r.normalised,
            assessed_on=r.assessed_on,
            created_at=r.created_at,
            pk=r.pk,
        )
        for r in records
        if r.framework_id == framework.pk
    ]


@dataclass(frozen=True)
class Progress:
    ends: list[dt.date]
    values: list[float | None]

    @property
    def labels(self) -> list[str]:
        return [date_format(end, "M Y") for end in self.ends]

    @property
    def points(self) -> list[tuple[str, float | None]]:
        return list(zip(self.labels, self.values, strict=True))


def progress_of(
    ratings: Sequence[Rating], *, codes: Sequence[str], people: int = 1
) -> Progress | None:
    """The monthly averages from the month of the first relevant rating until now, or None
    when nobody was rated on these competencies yet."""
    wanted = set(codes)
    dates = [r.assessed_on for r in ratings if r.code in wanted]
    if not dates:
        return None
    ends = month_ends(min(dates), timezone.localdate())
    return Progress(ends=ends, values=replay(ratings, ends=ends, people=people, codes=codes))


# --- a group ----------------------------------------------------------------------------------


def group_ratings(
    *, person_ids: QuerySet[Any], framework: Framework, codes: Sequence[str]
) -> list[Rating] | None:
    """The validating and self ratings of a group on some competencies, in one query; None when
    there are more than MAX_GROUP_RATINGS (choose a smaller group)."""
    # Ratings from before the charted months count too: they decide where people stood when the
    # chart starts.
    rows = list(
        Assessment.objects.filter(
            person_id__in=person_ids,
            framework=framework,
            competency__code__in=list(codes),
            rater_role__in=[*_VALIDATING, _SELF],
        )
        .order_by()
        .values_list(
            "person_id",
            "competency__code",
            "rater_role",
            "normalised",
            "assessed_on",
            "created_at",
            "pk",
        )[: MAX_GROUP_RATINGS + 1]
    )
    if len(rows) > MAX_GROUP_RATINGS:
        return None
    return [Rating(*row) for row in rows]
