"""Gilde's side of the ADL CATAPULT LMS test suite (cmi5): what its LMS adapter needs, as one
command per call. Used by lms.custom.js (the adapter) through `uv run python`; prints JSON.

    setup                                   organisation, learner and an LRS client for reading
    import FILE CONTENT-TYPE                {"id": item uuid} or {"invalid": message}
    launch ITEM AU-INDEX [REGISTRATION] [MODE]   {"url": launch URL}
    waive REGISTRATION AU-INDEX REASON
    abandon SESSION

The site address comes from GILDE_LTS_SITE (e.g. http://localhost:8765); content plays from the
other loopback name, as on a laptop.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gilde.settings")
django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from gilde.learning.models import Enrolment, EnrolmentStatus  # noqa: E402
from gilde.learning.services import enrolment_self_create, item_publish  # noqa: E402
from gilde.people.models import Person  # noqa: E402
from gilde.scorm import cmi5, origins, services  # noqa: E402
from gilde.scorm.models import Package, Registration, Session  # noqa: E402
from gilde.tenancy.models import Membership, Organisation, OrganisationKind, Role  # noqa: E402
from gilde.tenancy.services import membership_create, organisation_create  # noqa: E402

ORG = "CATAPULT test LMS"
EMAIL = "cmi5-learner@catapult.test"
ADMIN = "cmi5-admin@catapult.test"


def _org() -> Organisation:
    found = Organisation.objects.filter(name=ORG).first()
    if found is not None:
        return found
    return organisation_create(actor=None, name=ORG, kind=OrganisationKind.COMPANY)


def _person(email: str, role: str) -> Person:
    person = Person.objects.filter(email=email).first()
    if person is None:
        person = Person.objects.create_user(
            email, "catapult-not-a-secret", given_name="Cmi5", family_name="Tester"
        )
    org = _org()
    if not Membership.objects.filter(person=person, organisation=org).exists():
        membership_create(actor=None, person=person, organisation=org, roles=[role])
    return person


def setup() -> dict[str, Any]:
    from gilde.lrs.models import Scope
    from gilde.lrs.services import client_create, store_for

    _person(EMAIL, Role.LEARNER)
    _person(ADMIN, Role.ORG_ADMIN)
    new = client_create(
        actor=None,
        store=store_for(organisation=_org()),
        name="CATAPULT test suite",
        scopes=[Scope.ALL_READ],
        xapi_version="1.0.3",
    )
    site = os.environ["GILDE_LTS_SITE"].rstrip("/")
    # The suite adds "/statements" itself.
    return {"endpoint": site + "/xapi", "key": new.key, "secret": new.secret}


def import_package(path: str, content_type: str) -> dict[str, Any]:
    data = Path(path).read_bytes()
    try:
        version = services.package_upload(
            actor=_person(ADMIN, Role.ORG_ADMIN),
            upload=SimpleUploadedFile(Path(path).name, data, content_type=content_type),
            filename=Path(path).name,
            organisation=_org(),
        )
    except services.PackageError as refused:
        return {"invalid": str(refused)}
    item = item_publish(actor=_person(ADMIN, Role.ORG_ADMIN), item=version.package.item)
    return {"id": str(item.uuid)}


def launch(item_uuid: str, au_index: str, registration: str = "", mode: str = "") -> dict[str, Any]:
    learner = _person(EMAIL, Role.LEARNER)
    package = Package.objects.select_related("item", "current").get(item__uuid=item_uuid)
    found = None
    if registration:
        found = Registration.objects.filter(uuid=registration).first()
    enrolment = (
        found.enrolment
        if found
        else Enrolment.objects.filter(
            person=learner, item=package.item, status=EnrolmentStatus.ACTIVE
        ).first()
    )
    if enrolment is None:
        enrolment = enrolment_self_create(actor=learner, item=package.item)
    if found is None and registration:
        found = Registration.objects.create(
            uuid=registration, version=package.current, enrolment=enrolment, person=learner
        )
    request = RequestFactory().get("/", HTTP_HOST=os.environ["GILDE_LTS_SITE"].split("://")[1])
    page_origin = os.environ["GILDE_LTS_SITE"].rstrip("/")
    content_origin = origins.content_origin_for(request) or page_origin
    session = cmi5.au_launch(
        actor=learner,
        enrolment=enrolment,
        package=package,
        au_index=int(au_index),
        page_origin=page_origin,
        content_origin=content_origin,
        launch_mode=mode or "Normal",
        registration=found,
    )
    return {"url": session.launch_url, "session": str(session.uuid)}


def waive(registration: str, au_index: str, reason: str) -> dict[str, Any]:
    found = Registration.objects.get(uuid=registration)
    cmi5.au_waive(
        actor=_person(ADMIN, Role.ORG_ADMIN),
        registration=found,
        au_index=int(au_index),
        reason=reason,
    )
    return {"ok": True}


def abandon(session: str) -> dict[str, Any]:
    cmi5.session_abandon(
        actor=_person(ADMIN, Role.ORG_ADMIN), session=Session.objects.get(uuid=session)
    )
    return {"ok": True}


if __name__ == "__main__":
    action, *arguments = sys.argv[1:]
    handlers = {
        "setup": setup,
        "import": import_package,
        "launch": launch,
        "waive": waive,
        "abandon": abandon,
    }
    print(json.dumps(handlers[action](*arguments)))
