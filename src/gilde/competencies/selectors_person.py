"""One person's competency profile: per function profile (and target profile) where they stand,
what is required, when and by whom it was last rated, the top gaps, the progress per month, and
the history of every rating."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import Http404

from gilde.competencies.access import can_see_levels_of
from gilde.competencies.matrix import (
    Cell,
    Column,
    ColumnSource,
    gap_of,
    make_cell,
    source_for_profile,
)
from gilde.competencies.models import CurrentLevel, ProfileAssignment
from gilde.competencies.progress import Progress, RatingRecord, progress_of, ratings_of
from gilde.people.models import Person
from gilde.tenancy.access import standing_of
from gilde.tenancy.models import Membership


def access_person(actor: Any, person_uuid: Any) -> Person:
    """A person whose levels the actor may see (themselves, their manager or mentor, an admin of
    their organisation, their coach, an organisation they consented to); 404 otherwise."""
    person = Person.objects.filter(uuid=person_uuid).first()
    if person is None or not can_see_levels_of(actor, person):
        raise Http404
    return person


def rater_names_visible(actor: Any, person: Any) -> bool:
    """Who rated is shown by name only to others in the person's own organisation(s). The
    person themselves sees roles ("manager", "coach"); so does anyone from outside."""
    if actor.pk == person.pk:
        return False
    shared = set(standing_of(actor).organisations)
    return (
        Membership.objects.current()
        .filter(person=person, organisation_id__in=list(shared))
        .exists()
    )


def profile_assignments(actor: Any, person: Any) -> list[ProfileAssignment]:
    """The person's function profiles (of current memberships) and target profile. Someone
    from the same organisation sees the profiles of that organisation; the person themselves and
    people with a cross-organisation right (coach, consent) see all of them."""
    current = Membership.objects.current().filter(person=person)
    if actor.pk != person.pk:
        shared = [
            pk
            for pk in standing_of(actor).organisations
            if pk in set(current.values_list("organisation_id", flat=True))
        ]
        if shared:
            current = current.filter(organisation_id__in=shared)
    return list(
        ProfileAssignment.objects.filter(person=person)
        .filter(Q(is_target=True) | Q(membership__in=current.values("pk")))
        .select_related("profile__version__framework", "membership__organisation")
        .order_by("is_target", "created_at", "pk")
    )


@dataclass
class LevelRow:
    column: Column
    cell: Cell
    validated: RatingRecord | None
    self_rating: RatingRecord | None
    target: int | None = None

    @property
    def last(self) -> RatingRecord | None:
        """The rating that decides the level shown."""
        return self.validated or self.self_rating


@dataclass
class ProfileSection:
    assignment: ProfileAssignment
    source: ColumnSource
    rows: list[LevelRow]
    gap: float | None
    progress: Progress | None
    top_gaps: list[LevelRow] = field(default_factory=list)

    @property
    def profile(self) -> Any:
        return self.assignment.profile


def profile_section(
    assignment: ProfileAssignment,
    *,
    person: Any,
    ratings: list[RatingRecord],
    target: ProfileAssignment | None = None,
) -> ProfileSection:
    """Three queries: the scale, the requirements and the person's current levels."""
    source = source_for_profile(assignment.profile)
    by_pk = {r.pk: r for r in ratings}
    codes = [c.code for c in source.all_columns]
    found = CurrentLevel.objects.filter(
        person=person, framework=source.framework, code__in=codes
    ).values_list(
        "code",
        "validated_normalised",
        "self_normalised",
        "disagreement",
        "validated_id",
        "self_rating_id",
    )
    levels = {code: (v, s, d, vid, sid) for code, v, s, d, vid, sid in found}
    target_levels: dict[str, int] = {}
    if target is not None and target.profile.version.framework_id == source.framework.pk:
        target_levels = dict(target.profile.requirements.values_list("competency__code", "level"))
    rows = []
    for column in source.all_columns:
        found_row = levels.get(column.code)
        cell = make_cell(source, column, found_row[:3] if found_row else None)
        rows.append(
            LevelRow(
                column=column,
                cell=cell,
                validated=by_pk.get(found_row[3]) if found_row and found_row[3] else None,
                self_rating=by_pk.get(found_row[4]) if found_row and found_row[4] else None,
                target=target_levels.get(column.code),
            )
        )
    replayed = ratings_of(ratings, source.framework)
    top = sorted(
        (r for r in rows if r.cell.weighted_gap > 0),
        key=lambda r: (-r.cell.weighted_gap, r.column.code),
    )[:3]
    return ProfileSection(
        assignment=assignment,
        source=source,
        rows=rows,
        gap=gap_of([r.cell for r in rows]),
        progress=progress_of(replayed, codes=codes),
        top_gaps=top,
    )


@dataclass
class HistoryGroup:
    framework: str
    code: str
    name: str
    ratings: list[RatingRecord]


def rating_history(ratings: list[RatingRecord]) -> list[HistoryGroup]:
    """Every rating, grouped by competency (framework and code), newest first within a group."""
    groups: dict[tuple[int, str], HistoryGroup] = {}
    for r in reversed(ratings):
        group = groups.get((r.framework_id, r.code))
        if group is None:
            group = groups[(r.framework_id, r.code)] = HistoryGroup(
                framework=r.framework, code=r.code, name=r.name, ratings=[]
            )
        group.ratings.append(r)
    return sorted(groups.values(), key=lambda g: (g.framework, g.code))
