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

# At most this many months are charted (two years).
MONTHS = 24
# A group's progress replays every rating of everyone in it; above this many ratings the page asks
# to choose a smaller group instead of reading them all.
MAX_GROUP_RATINGS = 50_000

_VALIDATING = frozenset(str(r) for r in VALIDATING_ROLES)
_SELF = str(RaterRole.SELF)


@dataclass(frozen=True)
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


def latest_by_rule(ratings: Iterable[Rating]) -> dict[str, tuple[Rating | None, Rating | None]]:
    """Per code: (latest validating rating, latest self-rating) — the rule applied to all."""
    found: dict[str, tuple[Rating | None, Rating | None]] = {}
    for r in sorted(ratings, key=lambda r: r.order):
        validated, self_rated = found.get(r.code, (None, None))
        if r.role in _VALIDATING:
            validated = r
        elif r.role == _SELF:
            self_rated = r
        found[r.code] = (validated, self_rated)
    return found


# --- one person -------------------------------------------------------------------------------


def person_assessments(person: Any) -> list[Assessment]:
    """Every rating of one person, oldest first, with what was rated and by whom: one query.
    Feeds the history table and, through `ratings_of`, the monthly replay."""
    return list(
        Assessment.objects.filter(person=person)
        .select_related("competency__version__framework", "rater")
        .order_by("assessed_on", "created_at", "pk")
    )


def ratings_of(assessments: Iterable[Assessment], framework: Framework) -> list[Rating]:
    return [
        Rating(
            person_id=a.person_id,
            code=a.competency.code,
            role=a.rater_role,
            normalised=a.normalised,
            assessed_on=a.assessed_on,
            created_at=a.created_at,
            pk=a.pk,
        )
        for a in assessments
        if a.framework_id == framework.pk
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
