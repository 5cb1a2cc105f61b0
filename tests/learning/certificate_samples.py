"""Home-side (network A) objects for the access matrix: a certificate of A's learner for an item
of Org A, and (added by the path pages) a learning path with a cohort."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gilde.learning import paths_admin, services
from gilde.learning.models import Certificate
from tests.conftest import World
from tests.learning.conftest import make_item


def certificate_samples(world: World) -> dict[str, Any]:
    a = world.a
    item = make_item(
        actor=a.admin, title="Heftruck rijden", organisation=a.org, certificate_enabled=True
    )
    enrolment = services.enrolment_self_create(actor=a.learner, item=item)
    completion = services.external_proof_submit(
        actor=a.learner, enrolment=enrolment, link="https://example.org/heftruck"
    )
    path = paths_admin.path_create(
        actor=a.admin,
        fields={"title": "Inwerkroute A", "completion_rule": "all_required"},
        organisation=a.org,
    )
    paths_admin.path_step_add_checked(actor=a.admin, path=path, item=item)
    path = paths_admin.path_publish(actor=a.admin, path=path)
    owner = paths_admin.cohort_owners_for(a.admin, path)[0]
    cohort = paths_admin.cohort_create(
        actor=a.admin, path=path, owner=owner, name="Groep A", start_date=timezone.localdate()
    )
    paths_admin.cohort_members_add(
        actor=a.admin, cohort=cohort, memberships=[world.a.learner_membership]
    )
    return {
        "certificate": Certificate.objects.get(completion=completion),
        "path": path,
        "cohort": cohort,
    }
