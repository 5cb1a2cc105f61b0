"""Reads for packaged e-learning pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gilde.learning.models import Enrolment, EnrolmentStatus
from gilde.scorm import sequencing
from gilde.scorm.cmi5_manifest import iter_aus
from gilde.scorm.models import ActivityAttempt, Package, PackageVersion, Registration, Standard
from gilde.tenancy.access import can_see_person


@dataclass
class Row:
    """One line of the course structure as the learner sees it."""

    id: str
    title: str
    depth: int
    launchable: bool
    can_choose: bool
    completed: bool | None = None
    satisfied: bool | None = None
    score: float | None = None
    current: bool = False


@dataclass
class PackagePage:
    package: Package
    enrolment: Enrolment | None
    registration: Registration | None
    rows: list[Row] = field(default_factory=list)
    versions: list[PackageVersion] = field(default_factory=list)
    on_old_version: bool = False


def my_enrolment(actor: Any, package: Package) -> Enrolment | None:
    return (
        Enrolment.objects.filter(person=actor, item_id=package.item_id)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .order_by("-enrolled_at", "-pk")
        .first()
    )


def structure_rows(version: PackageVersion, registration: Registration | None) -> list[Row]:
    state = (registration.state if registration else None) or {}
    activities = state.get("activities", {})
    rows: list[Row] = []
    if version.standard == Standard.CMI5:
        aus_state = state.get("aus", {})
        for au in iter_aus(version.structure.get("children", [])):
            own = aus_state.get(str(au["index"]), {})
            rows.append(
                Row(
                    id=str(au["index"]),
                    title=au["title"],
                    depth=1,
                    launchable=True,
                    can_choose=True,
                    completed=own.get("completed"),
                    satisfied=own.get("satisfied"),
                    score=own.get("score"),
                )
            )
        return rows
    tree = sequencing.Tree(version.structure)
    current = registration.current_activity if registration else ""
    for activity in tree.walk():
        if activity is tree.root or not activity.visible:
            continue
        own = activities.get(activity.id, {})
        rows.append(
            Row(
                id=activity.id,
                title=activity.title,
                depth=activity.depth,
                launchable=bool(activity.node.get("href")) or not activity.is_leaf,
                can_choose=sequencing.choice_allowed(tree, dict(state), activity.id),
                completed=own.get("completed"),
                satisfied=own.get("satisfied"),
                score=own.get("measure"),
                current=activity.id == current,
            )
        )
    return rows


def package_page(actor: Any, package: Package, *, editor: bool) -> PackagePage:
    enrolment = my_enrolment(actor, package)
    registration = None
    if enrolment is not None:
        registration = (
            Registration.objects.filter(enrolment=enrolment, version__package=package)
            .select_related("version")
            .order_by("-created_at", "-pk")
            .first()
        )
    version = registration.version if registration else package.current
    page = PackagePage(package=package, enrolment=enrolment, registration=registration)
    if version is not None:
        page.rows = structure_rows(version, registration)
    if registration is not None and package.current_id not in (None, registration.version_id):
        page.on_old_version = True
    if editor:
        page.versions = list(package.versions.select_related("uploaded_by").order_by("-number"))
    return page


@dataclass
class ResultRow:
    registration: Registration
    attempts: list[ActivityAttempt]


def package_results(actor: Any, package: Package) -> list[ResultRow]:
    """Each learner's registration the actor may see, with their data per SCO or AU."""
    registrations = (
        Registration.objects.filter(version__package=package)
        .select_related("person", "version", "enrolment")
        .order_by("person__family_name", "person__given_name", "-created_at")
    )
    visible = [r for r in registrations if can_see_person(actor, r.person)]
    attempts: dict[int, list[ActivityAttempt]] = {}
    for attempt in ActivityAttempt.objects.filter(
        registration__in=[r.pk for r in visible]
    ).order_by("activity_id", "number"):
        attempts.setdefault(attempt.registration_id, []).append(attempt)
    return [ResultRow(r, attempts.get(r.pk, [])) for r in visible]
