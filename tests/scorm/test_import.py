"""Importing packages: real ones become catalogue items with their structure; hostile or broken
ones are refused with a message that names the problem, and nothing is stored."""

from __future__ import annotations

import io
import os
import zipfile
from typing import Any

import pytest
from django.core.files.storage import default_storage

from gilde.audit.models import AuditEvent
from gilde.learning.models import CatalogueItem, ItemKind, ItemStatus
from gilde.scorm import services
from gilde.scorm.cmi5_manifest import iter_aus
from gilde.scorm.models import Package, PackageVersion
from tests.conftest import World
from tests.scorm.packages import fixture_files, fixture_zip, upload, zip_bytes

MANIFEST_12 = """<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
 xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
 <metadata><schema>ADL SCORM</schema><schemaversion>{version}</schemaversion></metadata>
 <organizations default="{default}"><organization identifier="ORG"><title>T</title>
 <item identifier="I1" identifierref="R1"><title>One</title></item></organization></organizations>
 <resources><resource identifier="{res}" type="webcontent" adlcp:scormtype="sco" href="{href}"/>
 </resources></manifest>"""


def manifest(**kw: str) -> str:
    values = {"version": "1.2", "default": "ORG", "res": "R1", "href": "index.html", **kw}
    return MANIFEST_12.format(**values)


def _import(world: World, content: bytes, name: str = "p.zip") -> Any:
    return services.package_upload(
        actor=world.a.admin, upload=upload(content, name), filename=name, organisation=world.a.org
    )


def _stored_files() -> int:
    root = default_storage.path("scorm") if default_storage.exists("scorm") else ""
    return sum(len(files) for _d, _s, files in os.walk(root)) if root else 0


@pytest.mark.parametrize(
    ("name", "standard", "edition", "parts"),
    [
        ("scorm12_quiz", "scorm12", "1.2", 1),
        ("scorm2004_sequential", "scorm2004", "2004 3rd Edition", 3),
        ("scorm2004_global", "scorm2004", "2004 4th Edition", 2),
        ("cmi5_two_aus", "cmi5", "cmi5", 2),
    ],
)
def test_a_package_becomes_a_draft_item_with_its_structure(
    world: World, name: str, standard: str, edition: str, parts: int
) -> None:
    version = _import(world, fixture_zip(name))
    assert (version.standard, version.edition) == (standard, edition)
    item = version.package.item
    assert item.kind == ItemKind.PACKAGE and item.status == ItemStatus.DRAFT
    assert item.organisation == world.a.org
    if standard == "cmi5":
        assert len(iter_aus(version.structure["children"])) == parts
    else:
        leaves = list(version.structure["tree"]["children"])
        assert len(leaves) == parts
    for path in fixture_files(name):
        assert default_storage.exists(version.storage_prefix + path)
    assert AuditEvent.objects.filter(action="scorm.package_upload").count() == 1


def test_the_launch_address_keeps_the_items_parameters(world: World) -> None:
    version = _import(world, fixture_zip("scorm2004_sequential"))
    first = version.structure["tree"]["children"][0]
    assert first["href"] == "shared/part.html"
    assert first["parameters"] == "?part=voorbereiden"
    assert version.structure["tree"]["seq"]["choice"] is False


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", manifest())
        archive.writestr("index.html", "<p>hi</p>")
        archive.writestr("padding.bin", b"\0" * (20 * 1024 * 1024))
    return buffer.getvalue()


def _symlink() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", manifest())
        archive.writestr("index.html", "<p>hi</p>")
        link = zipfile.ZipInfo("secrets")
        link.create_system = 3
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/passwd")
    return buffer.getvalue()


XXE = """<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<manifest identifier="m"><metadata><schemaversion>&xxe;</schemaversion></metadata></manifest>"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<manifest identifier="&lol2;"/>"""

HOSTILE = {
    "traversal": (
        {"imsmanifest.xml": manifest(), "index.html": "x", "../../evil.html": "x"},
        "outside the package",
    ),
    "absolute path": (
        {"imsmanifest.xml": manifest(), "index.html": "x", "/etc/cron.d/evil": "x"},
        "absolute path",
    ),
    "backslashes": (
        {"imsmanifest.xml": manifest(), "index.html": "x", "..\\evil.html": "x"},
        "backslashes",
    ),
    "xxe": ({"imsmanifest.xml": XXE}, "DTD, entities or external references"),
    "billion laughs": ({"imsmanifest.xml": LAUGHS}, "DTD, entities or external references"),
    "missing launch file": (
        {"imsmanifest.xml": manifest(href="start.html"), "index.html": "x"},
        "The launch file 'start.html' of resource 'R1' is missing",
    ),
    "bad default organization": (
        {"imsmanifest.xml": manifest(default="NOPE"), "index.html": "x"},
        "The default organization 'NOPE' does not exist",
    ),
    "unknown resource": (
        {"imsmanifest.xml": manifest(res="R2"), "index.html": "x"},
        "refers to resource 'R1', which does not exist",
    ),
    "duplicate identifiers": (
        {"imsmanifest.xml": manifest(res="I1"), "index.html": "x"},
        "The identifier 'I1' is used twice",
    ),
    "unknown schema version": (
        {"imsmanifest.xml": manifest(version="2004 9th Edition"), "index.html": "x"},
        "schema version '2004 9th Edition'",
    ),
    "no manifest": ({"index.html": "x"}, "no imsmanifest.xml"),
    "manifest in a folder": (
        {"course/imsmanifest.xml": manifest(), "course/index.html": "x"},
        "in a folder",
    ),
    "broken xml": ({"imsmanifest.xml": "<manifest><oops></manifest>"}, "not valid XML"),
    "launch outside the package": (
        {"imsmanifest.xml": manifest(href="https://example.org/x.html"), "index.html": "x"},
        "outside the package",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_or_broken_package_is_refused_and_nothing_is_stored(
    world: World, case: str
) -> None:
    files, message = HOSTILE[case]
    before = _stored_files()
    with pytest.raises(services.PackageError) as refused:
        _import(world, zip_bytes(files))
    assert message in str(refused.value)
    assert not CatalogueItem.objects.filter(kind=ItemKind.PACKAGE).exists()
    assert not PackageVersion.objects.exists()
    assert _stored_files() == before


def test_a_zip_bomb_is_refused(world: World) -> None:
    with pytest.raises(services.PackageError, match="zip bomb"):
        _import(world, _bomb())
    assert not Package.objects.exists()


def test_a_symbolic_link_is_refused(world: World) -> None:
    with pytest.raises(services.PackageError, match="symbolic link"):
        _import(world, _symlink())


def test_too_many_files_or_too_large_unpacked_is_refused(world: World, settings: Any) -> None:
    settings.SCORM_MAX_FILES = 3
    files = {"imsmanifest.xml": manifest(), "index.html": "x", "a.js": "1", "b.js": "2"}
    with pytest.raises(services.PackageError, match="at most 3"):
        _import(world, zip_bytes(files))
    settings.SCORM_MAX_FILES = 100
    settings.SCORM_MAX_UNPACKED_BYTES = 1000
    files = {"imsmanifest.xml": manifest(), "index.html": "x" * 2000}
    with pytest.raises(services.PackageError, match="larger than"):
        _import(world, zip_bytes(files))


def test_a_file_that_is_not_a_zip_is_refused(world: World) -> None:
    with pytest.raises(services.PackageError, match="not a zip file"):
        _import(world, b"# just some markdown\n", "readme.md")


def test_a_failure_after_files_were_stored_removes_them(world: World, monkeypatch: Any) -> None:
    before = _stored_files()

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("database down")

    monkeypatch.setattr(services, "_version_create", broken)
    with pytest.raises(RuntimeError):
        _import(world, fixture_zip("scorm12_quiz"))
    assert _stored_files() == before


def test_a_new_version_keeps_learners_on_theirs(world: World, quiz12: Any) -> None:
    version, enrolment = quiz12
    package = version.package
    launch = services.scorm_launch(actor=world.a.learner, enrolment=enrolment, package=package)
    services.attempt_commit(
        session=launch.session,
        seq=1,
        cmi={"core": {"lesson_location": "page-2", "lesson_status": "incomplete"}},
        terminate=False,
    )
    second = services.package_upload(
        actor=world.a.admin,
        upload=upload(fixture_zip("scorm12_quiz")),
        filename="v2.zip",
        item=package.item,
    )
    package.refresh_from_db()
    assert second.number == 2 and package.current == second
    again = services.scorm_launch(actor=world.a.learner, enrolment=enrolment, package=package)
    assert again.session.registration.version == version
    assert services.launch_data(again.session)["cmi"]["core"]["lesson_location"] == "page-2"
    assert default_storage.exists(version.storage_prefix + "quiz/index.html")
    assert AuditEvent.objects.filter(action="scorm.version_upload").count() == 1
