"""Pick the people the load test logs in as, from the database, for locustfile.py.

    uv run python benchmarks/load/accounts.py accounts.json    # DATABASE_URL: the loaded data

- learners: people with a current membership that has no role but learner (a plain member);
- managers: people with a current membership with the manager role, with that organisation;
- coordinators: current network coordinators, with that network.

Only active accounts. Up to LIMIT of each, chosen at random with a fixed seed. The password is
the one every generated person has (gilde.generator.PASSWORD).
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LIMIT = {"learners": 400, "managers": 100, "coordinators": 20}


def pick_accounts(seed: int = 1) -> dict[str, list[dict[str, str]]]:
    """{persona: [{"email": ..., and "org" or "network": slug}]} from the current database."""
    from django.db.models import Q
    from django.utils import timezone

    from gilde.tenancy.models import (
        Membership,
        MembershipRole,
        NetworkRole,
        NetworkRoleKind,
        Role,
    )

    today = timezone.localdate()
    current = Membership.objects.current().filter(person__is_active=True)
    other_roles = MembershipRole.objects.exclude(role=Role.LEARNER).values("membership_id")
    learners = {
        email: {"email": email}
        for email in current.exclude(id__in=other_roles)
        .order_by("id")
        .values_list("person__email", flat=True)
    }
    managers = {
        email: {"email": email, "org": org}
        for email, org in current.with_role(Role.MANAGER)
        .order_by("id")
        .values_list("person__email", "organisation__slug")
    }
    coordinators = {
        email: {"email": email, "network": network}
        for email, network in NetworkRole.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today),
            role=NetworkRoleKind.COORDINATOR,
            start_date__lte=today,
            person__is_active=True,
        )
        .order_by("id")
        .values_list("person__email", "network__slug")
    }
    rng = random.Random(seed)
    picked: dict[str, list[dict[str, str]]] = {}
    for persona, found in (
        ("learners", learners),
        ("managers", managers),
        ("coordinators", coordinators),
    ):
        accounts = list(found.values())
        picked[persona] = rng.sample(accounts, min(LIMIT[persona], len(accounts)))
    return picked


def main() -> None:
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gilde.settings")
    import django

    django.setup()
    from gilde.generator import PASSWORD

    accounts: dict[str, Any] = {"password": PASSWORD, **pick_accounts()}
    Path(sys.argv[1]).write_text(json.dumps(accounts, indent=2), encoding="utf-8")
    print(", ".join(f"{len(accounts[p])} {p}" for p in ("learners", "managers", "coordinators")))


if __name__ == "__main__":
    main()
