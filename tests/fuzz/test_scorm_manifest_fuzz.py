"""SCORM and cmi5 packages from uploads: any bytes, any damaged zip and any manifest are read or
refused with PackageRefused and a message, never another error; a valid generated manifest is
read with its titles and structure as written; DTDs and entities are refused, never expanded."""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET
import zipfile
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from gilde.scorm.manifest import PackageRefused, ParsedPackage, read_package
from gilde.scorm.models import PackageVersion
from gilde.scorm.services import PackageError, package_upload
from tests.conftest import World
from tests.scorm.packages import fixture_zip, upload, zip_bytes

FIXTURES = {
    name: fixture_zip(name)
    for name in ("scorm12_quiz", "scorm2004_sequential", "scorm2004_global", "cmi5_two_aus")
}
SCORM12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"


def read(content: bytes, filename: str = "package.zip") -> ParsedPackage | None:
    """The package, or None when it is refused with a message."""
    try:
        return read_package(io.BytesIO(content), filename)
    except PackageRefused as error:
        assert str(error)
        return None


@given(content=st.binary(max_size=3000), name=st.sampled_from(["p.zip", "cmi5.xml", "x"]))
@example(content=b"<", name="cmi5.xml")
@example(content=b"\xef\xbb\xbf", name="p.zip")
@example(content=b"PK\x05\x06" + bytes(18), name="p.zip")
def test_any_bytes_are_read_or_refused_with_a_message(content: bytes, name: str) -> None:
    read(content, name)


@given(
    fixture=st.sampled_from(sorted(FIXTURES)),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),
    cut=st.floats(0.5, 1),
)
def test_a_damaged_package_is_read_or_refused_with_a_message(
    fixture: str, flips: list[tuple[float, int]], cut: float
) -> None:
    content = bytearray(FIXTURES[fixture])
    for where, value in flips:
        content[int(where * len(content))] = value
    read(bytes(content[: max(4, int(cut * len(content)))]))


XML_PIECES = [
    "<manifest>",
    "</manifest>",
    f'<manifest xmlns="{SCORM12}" xmlns:adlcp="{ADLCP12}">',
    "<metadata><schemaversion>1.2</schemaversion></metadata>",
    "<metadata><schemaversion>2004 4th Edition</schemaversion></metadata>",
    "<metadata><schema>",
    "<organizations",
    ' default="O"',
    ">",
    "</organizations>",
    '<organization identifier="O">',
    "</organization>",
    "<item",
    ' identifier="I"',
    ' identifier="J"',
    ' identifierref="R"',
    ' isvisible="false"',
    ' parameters="?a=1"',
    "</item>",
    "<title>",
    "</title>",
    "<resources",
    ' xml:base="x/"',
    ' xml:base="https://evil.example/"',
    "</resources>",
    '<resource identifier="R" adlcp:scormtype="sco"',
    ' href="index.html"',
    ' href="../index.html"',
    ' href="index.html?x=1#y"',
    ' href="%2e%2e/index.html"',
    ' href="https://evil.example/"',
    "/>",
    "</resource>",
    "<imsss:sequencing>",
    '<imsss:controlMode flow="true"/>',
    "<adlcp:masteryscore>",
    "</adlcp:masteryscore>",
    "<completionThreshold>0.5</completionThreshold>",
    '<completionThreshold minProgressMeasure="x"/>',
    "<sequencingCollection>",
    "</sequencingCollection>",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&lt;",
    "&#x1;",
    "&#0;",
    "&#65;",
    "<",
    '"',
    "é",
]
xml_text = st.lists(st.sampled_from(XML_PIECES) | st.text(max_size=6), max_size=40).map("".join)


@given(manifest=xml_text, files=st.sets(st.sampled_from(["index.html", "x/index.html", "a.js"])))
@example(
    manifest=(
        f'<manifest xmlns="{SCORM12}"><metadata><schemaversion>1.2</schemaversion></metadata>'
        '<organizations><organization identifier="O"><item identifier="I" identifierref="R">'
        '</item></organization></organizations><resources><resource identifier="R" '
        'adlcp:scormtype="sco" href="index.html"/></resources></manifest>'
    ),
    files={"index.html"},
)
def test_any_manifest_is_read_or_refused_with_a_message(manifest: str, files: set[str]) -> None:
    package = read(zip_bytes({"imsmanifest.xml": manifest, **dict.fromkeys(files, "<html>")}))
    if package is not None:
        assert package.standard in ("scorm12", "scorm2004")


cmi5_pieces = [
    '<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">',
    "</courseStructure>",
    '<course id="https://x.test/c">',
    "</course>",
    '<block id="https://x.test/b">',
    "</block>",
    '<au id="https://x.test/a"',
    ' moveOn="Passed"',
    ' masteryScore="0.8"',
    ' masteryScore="x"',
    ' launchMethod="OwnWindow"',
    ">",
    "</au>",
    "<title>",
    "</title>",
    '<langstring lang="nl">',
    "</langstring>",
    "<url>",
    "</url>",
    "https://x.test/au",
    "au/index.html",
    "javascript:alert(1)",
    "<objectives>",
    '<objective id="https://x.test/o">',
    '<objective idref="https://x.test/o"/>',
    "</objective>",
    "</objectives>",
    "<launchParameters>",
    "</launchParameters>",
]
cmi5_text = st.lists(st.sampled_from(cmi5_pieces) | st.text(max_size=6), max_size=40).map("".join)


@given(document=cmi5_text, zipped=st.booleans())
def test_any_cmi5_course_structure_is_read_or_refused(document: str, zipped: bool) -> None:
    if zipped:
        package = read(zip_bytes({"cmi5.xml": document, "au/index.html": "<html>"}))
    else:
        package = read(document.encode(), "cmi5.xml")
    if package is not None:
        assert package.standard == "cmi5"


# --- entities are never expanded ------------------------------------------------------------

entity_names = st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True)
entity_values = st.from_regex(r"[A-Za-z0-9 ]{1,30}", fullmatch=True).map(lambda v: f"SECRET{v}")


@given(
    name=entity_names,
    value=entity_values,
    kind=st.sampled_from(["internal", "external", "parameter", "laughs", "dtd only"]),
    where=st.sampled_from(["title", "attribute", "nowhere"]),
    cmi5=st.booleans(),
)
def test_a_manifest_with_entities_is_refused_and_nothing_is_expanded(
    name: str, value: str, kind: str, where: str, cmi5: bool
) -> None:
    declarations = {
        "internal": f'<!ENTITY {name} "{value}">',
        "external": f'<!ENTITY {name} SYSTEM "file:///etc/passwd">',
        "parameter": f'<!ENTITY % {name} "{value}"> %{name};',
        "laughs": f'<!ENTITY {name}0 "{value}"><!ENTITY {name} "&{name}0;&{name}0;&{name}0;">',
        "dtd only": "",
    }[kind]
    use = f"&{name};"
    root = "courseStructure" if cmi5 else "manifest"
    title = use if where == "title" else "Titel"
    attribute = f' identifier="{use}"' if where == "attribute" else ""
    document = (
        f'<?xml version="1.0"?>\n<!DOCTYPE {root} [{declarations}]>\n'
        f'<{root} xmlns="{SCORM12}"{attribute}><metadata><schemaversion>1.2</schemaversion>'
        f"</metadata><organizations><organization identifier='O'><title>{title}</title>"
        f"<item identifier='I' identifierref='R'/></organization></organizations><resources>"
        f"<resource identifier='R' adlcp:scormtype='sco' href='index.html'/></resources></{root}>"
    )
    for content, filename in [
        (zip_bytes({"cmi5.xml" if cmi5 else "imsmanifest.xml": document, "index.html": "x"}), "p"),
        (document.encode(), "cmi5.xml"),
    ]:
        try:
            read_package(io.BytesIO(content), filename)
        except PackageRefused as error:
            assert "SECRET" not in str(error)
        else:
            raise AssertionError("a document with a DTD was accepted")


# --- a valid manifest round-trips -----------------------------------------------------------

# Text that XML 1.0 can hold, without the carriage return (XML reads it as a line feed).
xml_chars = st.characters(
    exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff"
) | st.sampled_from(["\n", "\t", "<", "&", '"', "]", ">"])
titles = st.text(xml_chars, max_size=80)
identifiers = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,20}", fullmatch=True)
paths = st.from_regex(r"[a-z0-9_\-]{1,10}(/[a-z0-9_\-]{1,10}){0,2}\.html", fullmatch=True)


@st.composite
def scorm12_packages(draw: Any) -> tuple[dict[str, Any], bytes]:
    ids = draw(st.lists(identifiers, min_size=3, max_size=12, unique=True))
    org_id, *rest = ids
    count = len(rest) // 2
    items = [
        {
            "id": rest[2 * i],
            "res": rest[2 * i + 1],
            "title": draw(titles),
            "href": draw(paths),
            "sco": draw(st.booleans()),
        }
        for i in range(count)
    ]
    spec = {"org": org_id, "title": draw(titles), "items": items}
    ET.register_namespace("", SCORM12)
    ET.register_namespace("adlcp", ADLCP12)
    manifest = ET.Element(f"{{{SCORM12}}}manifest", identifier=draw(identifiers))
    metadata = ET.SubElement(manifest, f"{{{SCORM12}}}metadata")
    ET.SubElement(metadata, f"{{{SCORM12}}}schemaversion").text = "1.2"
    orgs = ET.SubElement(manifest, f"{{{SCORM12}}}organizations", default=org_id)
    org = ET.SubElement(orgs, f"{{{SCORM12}}}organization", identifier=org_id)
    ET.SubElement(org, f"{{{SCORM12}}}title").text = spec["title"]
    resources = ET.SubElement(manifest, f"{{{SCORM12}}}resources")
    for item in items:
        node = ET.SubElement(
            org, f"{{{SCORM12}}}item", identifier=item["id"], identifierref=item["res"]
        )
        ET.SubElement(node, f"{{{SCORM12}}}title").text = item["title"]
        ET.SubElement(
            resources,
            f"{{{SCORM12}}}resource",
            {
                "identifier": item["res"],
                "href": item["href"],
                f"{{{ADLCP12}}}scormtype": "sco" if item["sco"] else "asset",
                "type": "webcontent",
            },
        )
    files: dict[str, bytes | str] = {"imsmanifest.xml": ET.tostring(manifest, "utf-8")}
    files.update({item["href"]: "<html></html>" for item in items})
    return spec, zip_bytes(files)


@given(package=scorm12_packages())
def test_a_valid_scorm_manifest_is_read_as_written(package: tuple[dict[str, Any], bytes]) -> None:
    spec, content = package
    if not spec["items"]:
        assert read(content) is None  # nothing to launch: refused with a message
        return
    parsed = read_package(io.BytesIO(content), "p.zip")
    assert (parsed.standard, parsed.edition) == ("scorm12", "1.2")
    tree = parsed.structure["tree"]
    assert tree["id"] == spec["org"]
    assert tree["title"] == (spec["title"].strip() or spec["org"])
    assert parsed.title == tree["title"][:200]
    assert [
        (node["id"], node["title"], node["href"], node["sco"]) for node in tree["children"]
    ] == [
        (item["id"], item["title"].strip() or item["id"], item["href"], item["sco"])
        for item in spec["items"]
    ]


# --- what the fuzzing found, kept as plain tests ----------------------------------------------


def corrupted(content: bytes, name: str) -> bytes:
    """The zip with the first byte of `name`'s deflate data set to a block type that does not
    exist: reading it raises zlib.error."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo(name)
    data = bytearray(content)
    name_length, extra_length = struct.unpack(
        "<HH", data[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_length + extra_length
    data[start] = 0xFF
    return bytes(data)


def test_a_zip_whose_manifest_data_is_damaged_is_refused_with_a_message() -> None:
    # zlib.error came through as a server error (a bad CRC was caught one level up, in services).
    damaged = corrupted(FIXTURES["scorm12_quiz"], "imsmanifest.xml")
    with pytest.raises(PackageRefused, match="beschadigd"):
        read_package(io.BytesIO(damaged), "p.zip")


@pytest.mark.django_db
def test_a_zip_whose_content_file_is_damaged_is_refused_when_stored(world: World) -> None:
    big = "".join(f"<p>regel {n} van de les</p>\n" for n in range(2000))
    content = fixture_zip("scorm12_quiz", **{"quiz/index.html": big})
    damaged = corrupted(content, "quiz/index.html")
    with pytest.raises(PackageError, match="beschadigd"):
        package_upload(
            actor=world.a.admin,
            upload=upload(damaged),
            filename="p.zip",
            organisation=world.a.org,
        )
    assert not PackageVersion.objects.exists()
