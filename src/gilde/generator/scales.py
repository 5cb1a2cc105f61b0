"""How much each scale holds. `country` is documented and runnable on PostgreSQL on a larger
machine; `region` is the size the benchmarks are measured at."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    networks: int
    organisations: int
    people: int
    competencies: int  # across all networks (each network has its own framework)
    assessments: int
    items: int  # catalogue items: half shared by a network, half private to an organisation
    enrolments: int
    records: int  # learning records (xAPI statements), the enrolments' own ones included
    event_series: int = 0  # network events, four weekly sessions each
    registrations: int = 0
    plans: int = 0  # development plans, with goals and actions
    completed_share: float = 0.35  # of enrolments

    def rows(self) -> list[tuple[str, int]]:
        return [
            ("networks", self.networks),
            ("organisations", self.organisations),
            ("people", self.people),
            ("competencies", self.competencies),
            ("assessments", self.assessments),
            ("catalogue items", self.items),
            ("enrolments", self.enrolments),
            ("learning records", self.records),
            ("event series", self.event_series),
            ("registrations", self.registrations),
            ("development plans", self.plans),
        ]


SCALES: dict[str, Scale] = {
    "pilot": Scale(
        name="pilot",
        networks=1,
        organisations=10,
        people=200,
        competencies=40,
        assessments=2_000,
        items=40,
        enrolments=800,
        records=10_000,
        event_series=2,
        registrations=60,
        plans=40,
    ),
    "region": Scale(
        name="region",
        networks=5,
        organisations=500,
        people=5_000,
        competencies=300,
        assessments=50_000,
        items=2_000,
        enrolments=20_000,
        records=500_000,
        event_series=50,
        registrations=2_000,
        plans=1_000,
    ),
    "country": Scale(
        name="country",
        networks=50,
        organisations=5_000,
        people=500_000,
        competencies=3_000,
        assessments=5_000_000,
        items=20_000,
        enrolments=2_000_000,
        records=50_000_000,
        event_series=500,
        registrations=200_000,
        plans=100_000,
    ),
}
