"""Reads for competencies that are more than one line: levels, gaps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gilde.competencies.models import Competency, CurrentLevel, Framework, FunctionProfile
from gilde.competencies.services import Scale, scale_of


def current_levels(
    *, person_ids: Iterable[int], framework: Framework, codes: Iterable[str] | None = None
) -> dict[tuple[int, str], CurrentLevel]:
    """Current levels of many people in one query, keyed by (person id, competency code)."""
    rows = CurrentLevel.objects.filter(framework=framework, person_id__in=list(person_ids))
    if codes is not None:
        rows = rows.filter(code__in=list(codes))
    return {(row.person_id, row.code): row for row in rows}


@dataclass
class GapRow:
    competency: Competency
    required: int
    weight: int
    required_normalised: float
    current: CurrentLevel | None
    scale: Scale

    @property
    def current_normalised(self) -> float | None:
        return self.current.normalised if self.current else None

    @property
    def current_level(self) -> int | None:
        value = self.current_normalised
        return None if value is None else self.scale.from_normalised(value)

    @property
    def validated(self) -> bool:
        return bool(self.current and self.current.validated_normalised is not None)

    @property
    def gap(self) -> float:
        """How far below the requirement, on the 0–1 range (0 when met; unknown counts as the
        lowest level)."""
        return max(0.0, self.required_normalised - (self.current_normalised or 0.0))

    @property
    def weighted_gap(self) -> float:
        return self.gap * self.weight


def profile_gaps(*, person: Any, profile: FunctionProfile) -> list[GapRow]:
    """Required against current level for every competency of the profile, biggest weighted gap
    first. Three queries."""
    scale = scale_of(profile.version)
    requirements = list(profile.requirements.select_related("competency__category"))
    levels = current_levels(
        person_ids=[person.pk],
        framework=profile.version.framework,
        codes=[r.competency.code for r in requirements],
    )
    rows = [
        GapRow(
            competency=r.competency,
            required=r.level,
            weight=r.weight,
            required_normalised=scale.normalise(r.level),
            current=levels.get((person.pk, r.competency.code)),
            scale=scale,
        )
        for r in requirements
    ]
    rows.sort(key=lambda g: (-g.weighted_gap, g.competency.position, g.competency.code))
    return rows


def gap_score(rows: list[GapRow]) -> float:
    """Weighted gap of a profile as a share of the largest possible (0 = all met, 1 = nothing)."""
    total = sum(r.weight * r.required_normalised for r in rows)
    return sum(r.weighted_gap for r in rows) / total if total else 0.0
