"""Who may see and do what with packages (the catalogue's rules, see learning/access.py):

- a package is seen by whoever sees its catalogue item; its versions, structure and the upload
  of a new version by whoever may edit the item (admins and authors of its organisation, the
  coordinators of its network);
- a learner plays a package only through their own enrolment, and a launch (session) is theirs
  alone;
- a learner's results in a package are seen by whoever may see the learner
  (`tenancy.access.can_see_person`: the learner, their manager, mentor or coach, an admin).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from gilde.learning.access import access_item, can_edit_item
from gilde.learning.models import CatalogueItem, ItemKind
from gilde.scorm.models import Package, Session


def access_package(actor: Any, item_uuid: Any, *, edit: bool = False) -> Package | None:
    """The item's package (None when the item is of another kind); 404 for items the actor may
    not see (or not edit, with `edit`)."""
    item = access_item(actor, item_uuid, edit=edit)
    if item.kind != ItemKind.PACKAGE:
        return None
    package = Package.objects.filter(item=item).select_related("current").first()
    if package is None:
        raise Http404
    package.item = item
    return package


def access_package_item(actor: Any, item_uuid: Any, *, edit: bool = False) -> CatalogueItem:
    return access_item(actor, item_uuid, edit=edit)


def can_edit_package(actor: Any, package: Package) -> bool:
    return can_edit_item(actor, package.item)


def access_session(actor: Any, session_uuid: Any) -> Session:
    session = (
        Session.objects.filter(uuid=session_uuid, registration__person=actor)
        .select_related(
            "registration",
            "registration__version",
            "registration__version__package",
            "registration__version__package__item",
            "registration__enrolment",
            "attempt",
        )
        .first()
    )
    if session is None:
        raise Http404
    return session
