"""The reference-data generator: the right amounts, valid data, the same data for the same seed,
and bad input refused before anything is written."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from gilde.competencies.models import VALIDATING_ROLES, Assessment, CurrentLevel, RaterRole
from gilde.development.models import DevelopmentPlan
from gilde.events.models import Registration
from gilde.generator import PASSWORD
from gilde.generator import scales as scales_module
from gilde.generator.scales import SCALES, Scale
from gilde.generator.services import GeneratorError, check_database_fits, generate
from gilde.learning.models import CatalogueItem, Completion, Enrolment, ItemKind
from gilde.lrs.models import Statement
from gilde.people.models import Person
from gilde.tenancy.models import (
    Membership,
    MembershipRole,
    Network,
    NetworkRole,
    Organisation,
    Role,
)

pytestmark = pytest.mark.django_db

TINY = Scale(
    name="tiny",
    networks=2,
    organisations=5,
    people=40,
    competencies=30,
    assessments=200,
    items=12,
    enrolments=60,
    records=400,
    event_series=2,
    registrations=10,
    plans=5,
)


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(SCALES, "tiny", TINY)
    assert scales_module.SCALES["tiny"] is TINY
    return "tiny"


def test_pilot_holds_what_the_scale_promises() -> None:
    size = SCALES["pilot"]
    result = generate(scale="pilot", seed=7)
    assert Network.objects.count() == size.networks
    assert Organisation.objects.count() == size.organisations
    assert Person.objects.count() == size.people
    assert Membership.objects.count() == size.people
    assert Assessment.objects.count() == size.assessments
    assert CatalogueItem.objects.exclude(kind=ItemKind.EVENT).count() == size.items
    assert CatalogueItem.objects.filter(kind=ItemKind.EVENT).count() == size.event_series
    assert Registration.objects.count() == size.registrations
    assert DevelopmentPlan.objects.count() == size.plans
    assert Enrolment.objects.count() == size.enrolments
    assert Statement.objects.count() == size.records
    assert result.counts["people"] == size.people
    assert result.counts["learning records"] == size.records
    # Every organisation has an owner (admin); the network a coordinator.
    admins = MembershipRole.objects.filter(role=Role.ORG_ADMIN).values_list(
        "membership__organisation_id", flat=True
    )
    assert set(admins) == set(Organisation.objects.values_list("pk", flat=True))
    assert NetworkRole.objects.count() == size.networks
    # Generated accounts can log in with the documented password.
    assert Person.objects.order_by("pk").first().check_password(PASSWORD)  # type: ignore[union-attr]


def test_the_data_follows_the_rules_of_the_services(tiny: str) -> None:
    generate(scale=tiny, seed=3)
    # Current levels: the latest validating rating and the latest self-rating, as the single
    # rating service keeps them.
    latest: dict[tuple[int, int, str], dict[str, Any]] = {}
    for a in Assessment.objects.select_related("competency").order_by(
        "assessed_on", "created_at", "pk"
    ):
        slot = latest.setdefault((a.person_id, a.framework_id, a.competency.code), {})
        slot["validated" if a.rater_role in VALIDATING_ROLES else "self"] = a.pk
        assert a.rater_role in (*VALIDATING_ROLES, RaterRole.SELF)
    current = {(c.person_id, c.framework_id, c.code): c for c in CurrentLevel.objects.all()}
    assert set(current) == set(latest)
    for key, slot in latest.items():
        assert current[key].validated_id == slot.get("validated")
        assert current[key].self_rating_id == slot.get("self")
    # Every completion has its enrolment done, and every enrolment its learning record.
    assert Completion.objects.count() > 0
    registered = Statement.objects.filter(verb="http://adlnet.gov/expapi/verbs/registered")
    assert registered.count() == Enrolment.objects.count()
    # Every learning record is linked to the learner's account.
    assert not Statement.objects.filter(person__isnull=True).exists()
    # Nobody is enrolled twice in one item.
    pairs = Counter(Enrolment.objects.values_list("person_id", "item_id"))
    assert max(pairs.values()) == 1


def _snapshot() -> dict[str, list[Any]]:
    return {
        "people": sorted(
            Membership.objects.values_list(
                "person__email", "organisation__name", "team__name", "function_title", "start_date"
            )
        ),
        "ratings": sorted(
            Assessment.objects.values_list(
                "person__email", "competency__code", "level", "assessed_on", "rater_role"
            )
        ),
        "enrolments": sorted(Enrolment.objects.values_list("person__email", "item__title")),
        # The generator's own records (the services' records carry ids of their own rows).
        "records": sorted(
            Statement.objects.exclude(verb__endswith=("/registered"))
            .exclude(verb__endswith="/completed")
            .values_list("statement_id", "verb")
        ),
    }


class _Undo(Exception):
    pass


def _generated(scale: str, seed: int) -> dict[str, list[Any]]:
    try:
        with transaction.atomic():
            generate(scale=scale, seed=seed)
            snapshot = _snapshot()
            raise _Undo
    except _Undo:
        pass
    assert not Organisation.objects.exists()
    return snapshot


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(tiny: str) -> None:
    first, again, other = _generated(tiny, 5), _generated(tiny, 5), _generated(tiny, 6)
    assert first == again
    assert first["people"] != other["people"]
    assert first["ratings"] != other["ratings"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--scale", "continent"], "Unknown scale 'continent'"),
        (["--scale", "pilot", "--seed", "-1"], "The seed must be a whole number of 0 or more"),
        (["--scale", "pilot", "--seed", "twelve"], "The seed must be a whole number"),
    ],
)
def test_bad_arguments_get_a_clear_message_and_change_nothing(
    arguments: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("generate", *arguments)
    assert not Organisation.objects.exists()
    assert not Person.objects.exists()


def test_a_database_with_data_is_refused(tiny: str, world: Any) -> None:
    people = Person.objects.count()
    with pytest.raises(GeneratorError, match="only fills an empty database"):
        generate(scale=tiny, seed=1)
    with pytest.raises(CommandError, match="only fills an empty database"):
        call_command("generate", "--scale", "pilot")
    assert Person.objects.count() == people


def test_the_country_scale_needs_postgresql() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        check_database_fits(SCALES["country"])  # allowed (and far too big for a test run)
        return
    with pytest.raises(CommandError, match=r"The country scale .* needs PostgreSQL"):
        call_command("generate", "--scale", "country")
    assert not Organisation.objects.exists()
