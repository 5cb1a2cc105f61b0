"""The catalogue kind "package": a SCORM 1.2 / 2004 package or a cmi5 course.

Registered with the catalogue's kinds (learning/kinds.py) when the app starts. The package's own
pages (structure, player, versions, results) live in this app; the item page links there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gilde.learning.kinds import CompletedBy, CompletionFacts, Kind
from gilde.learning.models import CompletionResult, ItemKind

if TYPE_CHECKING:
    from gilde.learning.models import CatalogueItem, Enrolment


class PackageKind(Kind):
    value = ItemKind.PACKAGE
    learner_action = _("Work through the course in Gilde; it keeps your place and your results.")
    completed_by = CompletedBy.LEARNER
    result = CompletionResult.COMPLETED
    page_url_name = "scorm:package"
    page_label = _("Open the course")
    # An item of this kind starts with an upload, not with the item form.
    create_url_name = "scorm:upload"

    def completion_problem(
        self, *, enrolment: Enrolment, facts: CompletionFacts
    ) -> Promise | str | None:
        from gilde.scorm.models import Registration

        done = (
            Registration.objects.filter(enrolment=enrolment, completion_status="completed")
            .exclude(success_status="failed")
            .exists()
        )
        return None if done else _("Finish the course first.")

    def publish_problem(self, item: CatalogueItem) -> Promise | str | None:
        from gilde.scorm.models import Package

        package = Package.objects.filter(item=item).first()
        if package is None or package.current_id is None:
            return _("Upload the package first.")
        return None


def register_package_kind() -> None:
    from gilde.learning.kinds import register

    register(PackageKind)
