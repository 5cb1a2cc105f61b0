from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from gilde.audit.models import AuditEvent
from gilde.competencies import importing
from gilde.competencies.importing import (
    FrameworkImportError,
    FrameworkImportRejected,
    check_rows,
    import_apply,
    import_check,
    import_upload,
    parse_framework_file,
)
from gilde.competencies.models import (
    Competency,
    Framework,
    FrameworkImport,
    FrameworkImportStatus,
    FrameworkVersion,
    VersionStatus,
)
from gilde.competencies.services import competency_save, version_new_draft
from tests.competencies.conftest import CompetencyWorld
from tests.conftest import World


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


def as_user(person: Any) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(person)
    return client


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


GOOD_CSV = csv_bytes(
    "code;name;category;description;esco_uri;parent;level_1;level_4",
    "CNC-01;CNC-draaien;Vakkennis;Draait onderdelen;;;Zet de machine aan;Programmeert vijfassig",
    "CNC-01a;Opspannen;Vakkennis;;;CNC-01;;",
    "SOFT-01;Samenwerken;Soft skills;;;;;",
)

# A few skills as the ESCO download writes them (skills_nl.csv): comma-separated, quoted,
# the labels in Dutch, alternative labels on several lines.
ESCO_SAMPLE = (
    "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,status,"
    "modifiedDate,scopeNote,definition,inScheme,description\r\n"
    "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab,"
    'skill/competence,sector-specific,"CNC-machines bedienen","CNC-draaibank bedienen\n'
    'CNC-freesmachine bedienen",,released,2023-12-20T10:35:50.146Z,,,'
    "http://data.europa.eu/esco/concept-scheme/skills,"
    '"Een computergestuurde machine instellen met de juiste coördinaten en bedienen, volgens de voorschriften."\r\n'
    "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/0005c151-9e8f-41a2-b0c1-3d4e5f607182,"
    "skill/competence,cross-sector,Technische tekeningen lezen,,,released,"
    "2023-12-20T10:35:50.146Z,,,http://data.europa.eu/esco/concept-scheme/skills,"
    '"Technische tekeningen begrijpen en gebruiken bij het werk."\r\n'
    "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d,"
    "knowledge,sector-specific,meettechniek,,,released,2023-12-20T10:35:50.146Z,,,"
    "http://data.europa.eu/esco/concept-scheme/skills,"
    '"De technieken om lengtes, hoeken en vormen nauwkeurig te meten."\r\n'
).encode()


def upload_new(
    client: Client, world: World, content: bytes, name: str = "kader.csv", **extra: str
) -> Any:
    data = {
        "file": SimpleUploadedFile(name, content),
        "owner": f"network:{world.a.network.slug}",
        "name": "Ingelezen kader",
        **extra,
    }
    return client.post(reverse("competencies:framework-import"), data)


def latest_import() -> FrameworkImport:
    return FrameworkImport.objects.latest("created_at")


def preview_url(batch: FrameworkImport) -> str:
    return reverse("competencies:framework-import-preview", args=[batch.uuid])


# --- through the pages -------------------------------------------------------------------------


def test_a_good_file_is_previewed_then_imported_as_a_new_framework(world: World) -> None:
    client = as_user(world.a.coordinator)
    response = upload_new(client, world, GOOD_CSV)
    batch = latest_import()
    assert response.url == preview_url(batch)  # type: ignore[attr-defined]
    preview = client.get(preview_url(batch)).content.decode()
    assert "Import 3 competencies" in preview
    assert not Framework.objects.filter(name="Ingelezen kader").exists()
    response = client.post(preview_url(batch))
    framework = Framework.objects.get(name="Ingelezen kader")
    version = framework.versions.get()
    assert response.url.endswith(f"?version={version.number}")  # type: ignore[attr-defined]
    assert version.status == VersionStatus.DRAFT
    assert framework.network == world.a.network
    assert list(version.competencies.order_by("position").values_list("code", flat=True)) == [
        "CNC-01",
        "CNC-01a",
        "SOFT-01",
    ]
    cnc = version.competencies.get(code="CNC-01")
    assert dict(cnc.descriptors.values_list("level", "text")) == {
        1: "Zet de machine aan",
        4: "Programmeert vijfassig",
    }
    assert version.competencies.get(code="CNC-01a").parent_code == "CNC-01"
    assert list(version.categories.values_list("name", flat=True)) == ["Vakkennis", "Soft skills"]
    event = AuditEvent.objects.get(action="framework.import")
    assert event.detail["competencies"] == 3
    batch.refresh_from_db()
    assert batch.status == FrameworkImportStatus.IMPORTED and batch.payload == {}
    # A second confirmation imports nothing more.
    client.post(preview_url(batch))
    assert Framework.objects.filter(name="Ingelezen kader").count() == 1


def test_one_bad_line_means_nothing_is_imported_and_the_report_names_the_line(
    world: World,
) -> None:
    content = csv_bytes(
        "code;name;category",
        "A-01;Goed;Vakkennis",
        "A-02;;Vakkennis",
        "A-03;Ook goed;Vakkennis",
    )
    client = as_user(world.a.coordinator)
    upload_new(client, world, content)
    batch = latest_import()
    preview = client.get(preview_url(batch)).content.decode()
    assert "1 line cannot be imported" in preview
    assert '<th scope="row">3</th>' in preview and "The name is empty." in preview
    assert "Import 3" not in preview
    response = client.post(preview_url(batch))
    assert response.status_code == 200
    assert "Nothing has been imported" in response.content.decode()
    assert not Framework.objects.filter(name="Ingelezen kader").exists()
    assert not Competency.objects.filter(code__startswith="A-0").exists()
    assert not AuditEvent.objects.filter(action="framework.import").exists()


def test_an_admin_imports_into_a_new_draft_of_an_existing_framework(cw: CompetencyWorld) -> None:
    client = as_user(cw.world.a.coordinator)
    content = csv_bytes(
        "code;name;category;level_3",
        "CNC-01;CNC-draaien en frezen;Vakkennis;Werkt zelfstandig",
        "CAM-01;CAM-programmeren;Vakkennis;",
    )
    client.post(
        reverse("competencies:framework-import-into", args=[cw.framework.slug]),
        {"file": SimpleUploadedFile("v2.csv", content), "note": "CAM erbij, meten eruit"},
    )
    batch = latest_import()
    preview = client.get(preview_url(batch)).content.decode()
    assert "New compared with version 1" in preview
    assert "MET-01" in preview and "SOFT-01" in preview  # no longer in it
    client.post(preview_url(batch))
    draft = FrameworkVersion.objects.get(framework=cw.framework, number=2)
    assert draft.status == VersionStatus.DRAFT and draft.note == "CAM erbij, meten eruit"
    assert set(draft.competencies.values_list("code", flat=True)) == {"CNC-01", "CAM-01"}
    # The published version and the profile on it are untouched.
    assert set(cw.version.competencies.values_list("code", flat=True)) == {
        "CNC-01",
        "MET-01",
        "SOFT-01",
    }
    assert cw.profile.version == cw.version
    assert draft.levels.count() == 4


def test_an_import_replaces_the_content_of_an_existing_draft(cw: CompetencyWorld) -> None:
    draft = version_new_draft(actor=cw.world.a.coordinator, framework=cw.framework, note="werk")
    competency_save(actor=None, version=draft, code="OLD-9", name="Weg ermee")
    batch = import_upload(
        actor=cw.world.a.coordinator,
        filename="nieuw.csv",
        content=csv_bytes("code;name", "NEW-1;Nieuw"),
        framework=cw.framework,
    )
    assert import_check(batch).replaces_draft == draft
    version = import_apply(actor=cw.world.a.coordinator, batch=batch)
    assert version == draft
    assert list(draft.competencies.values_list("code", flat=True)) == ["NEW-1"]
    assert cw.framework.versions.count() == 2


def test_an_org_admin_of_a_member_cannot_import_into_the_network_framework(
    cw: CompetencyWorld,
) -> None:
    client = as_user(cw.world.a.admin)
    url = reverse("competencies:framework-import-into", args=[cw.framework.slug])
    assert client.get(url).status_code == 404
    response = client.post(url, {"file": SimpleUploadedFile("x.csv", GOOD_CSV)})
    assert response.status_code == 404
    assert not FrameworkImport.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator", "org_admin", "learner"])
def test_an_outsider_cannot_see_or_confirm_an_upload(cw: CompetencyWorld, persona: str) -> None:
    batch = import_upload(
        actor=cw.world.a.coordinator, filename="x.csv", content=GOOD_CSV, framework=cw.framework
    )
    client = as_user(cw.world.b.personas()[persona])
    assert client.get(preview_url(batch)).status_code == 404
    assert client.post(preview_url(batch)).status_code == 404
    batch.refresh_from_db()
    assert batch.status == FrameworkImportStatus.PENDING
    assert cw.framework.versions.count() == 1


def test_an_unreadable_file_gets_a_message_on_the_upload_page(world: World) -> None:
    client = as_user(world.a.coordinator)
    response = upload_new(client, world, b"PK\x03\x04rest of a zip", name="kader.xlsx")
    assert response.status_code == 200
    assert "CSV UTF-8" in response.content.decode()
    assert not FrameworkImport.objects.exists()


# --- the checks --------------------------------------------------------------------------------


def report_for(content: bytes, *, name: str = "x.csv", levels: int | None = None) -> Any:
    parsed = parse_framework_file(name, content)
    scale = [v for v, _l, _d in parsed.scale] if parsed.scale else list(range(1, (levels or 4) + 1))
    return parsed, parsed.problems + check_rows(
        parsed.rows, levels=scale, categories=parsed.categories
    )


def messages_by_line(problems: list[Any]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for p in problems:
        found.setdefault(p.line, []).append(p.message)
    return found


def test_duplicate_codes_are_reported_on_the_second_line() -> None:
    _parsed, problems = report_for(
        csv_bytes("code;name", "CNC-01;Draaien", "MET-01;Meten", "cnc-01;Nog eens draaien")
    )
    assert messages_by_line(problems) == {4: ["The code cnc-01 is also on line 2."]}


def test_a_descriptor_for_a_level_not_on_the_scale_is_reported() -> None:
    _parsed, problems = report_for(
        csv_bytes("code;name;level_1;level_5", "A;Een;begin;", "B;Twee;begin;meester")
    )
    assert messages_by_line(problems) == {3: ["Level 5 is not on the scale (1 to 4)."]}


def test_unknown_parents_and_circles_are_reported() -> None:
    _parsed, problems = report_for(
        csv_bytes(
            "code;name;parent",
            "A;Een;B",
            "B;Twee;C",
            "C;Drie;A",
            "D;Vier;ONBEKEND",
            "E;Vijf;E",
            "F;Zes;A",
        )
    )
    found = messages_by_line(problems)
    assert found[2] == ["The parent codes go round in a circle: A → B → C → A."]
    assert found[3] == ["The parent codes go round in a circle: B → C → A → B."]
    assert found[4] == ["The parent codes go round in a circle: C → A → B → C."]
    assert found[5] == ["The parent code ONBEKEND is not in the file."]
    assert found[6] == ["The parent codes go round in a circle: E → E."]
    assert 7 not in found  # F hangs under the circle but is not part of it


def test_broken_esco_uris_and_bad_codes_are_reported() -> None:
    _parsed, problems = report_for(
        csv_bytes(
            "code;name;esco_uri",
            "A;Een;http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab",
            "B;Twee;htp://data.europa.eu/esco/skill/x",
            "C;Drie;https://example.org/skill/1",
            "D/E;Vier;",
            ";Vijf;",
        )
    )
    found = messages_by_line(problems)
    assert set(found) == {3, 4, 5, 6}
    assert "is not an ESCO URI" in found[3][0] and "is not an ESCO URI" in found[4][0]
    assert "no slashes" in found[5][0]
    assert found[6] == ["The code is empty."]


def test_a_json_file_may_only_name_categories_it_lists() -> None:
    data = {
        "scale": [{"value": v, "label": f"N{v}"} for v in (1, 2, 3)],
        "categories": ["Vakkennis"],
        "competencies": [
            {"code": "A", "name": "Een", "category": "Vakkennis", "descriptors": {"3": "top"}},
            {"code": "B", "name": "Twee", "category": "Onbekend"},
            {"code": "C", "name": "Drie", "descriptors": {"4": "te hoog", "x": "geen niveau"}},
            "geen object",
            {"code": ["lijst"], "name": "Vijf"},
        ],
    }
    _parsed, problems = report_for(json.dumps(data).encode(), name="kader.json")
    found = messages_by_line(problems)
    assert found[2] == ["The category “Onbekend” is not in the list of categories."]
    assert sorted(found[3]) == sorted(
        ["“x” is not a level number.", "Level 4 is not on the scale (1 to 3)."]
    )
    assert found[4] == ["A competency must be an object."]
    assert "“code” must be text." in found[5]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"naam;omschrijving\nDraaien;iets\n", "at least “code” and “name”"),
        (b"code;name\n", "no competencies below them"),
        (b'{"competencies": 3}', "a list “competencies”"),
        (b"{not json", "cannot be read"),
        (b'{"competencies": [{"code": "A", "name": "B"}], "scale": [{"value": 1}]}', "scale"),
        (b"code;name;Code\nA;B;C\n", "appears twice"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message(content: bytes, message: str) -> None:
    with pytest.raises(FrameworkImportError) as refused:
        parse_framework_file("kader.csv", content)
    assert message in str(refused.value)


# --- formats and encodings ---------------------------------------------------------------------


def test_the_official_esco_skills_file_imports_with_its_uris(world: World) -> None:
    batch = import_upload(
        actor=world.a.coordinator,
        filename="skills_nl.csv",
        content=ESCO_SAMPLE,
        network=world.a.network,
        name="ESCO vaardigheden",
    )
    assert batch.file_format == "esco"
    version = import_apply(actor=world.a.coordinator, batch=batch)
    rows = {c.code: c for c in version.competencies.select_related("category")}
    # Two URIs share their first eight characters: the second gets a longer code.
    assert set(rows) == {"0005c151", "0005c151-9e8", "7a8b9c0d"}
    machine = rows["0005c151"]
    assert machine.name == "CNC-machines bedienen"
    assert machine.esco_uri == (
        "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"
    )
    assert machine.description.startswith("Een computergestuurde machine")
    assert machine.category is not None and machine.category.name == "Skills and competences"
    assert rows["7a8b9c0d"].category.name == "Knowledge"  # type: ignore[union-attr]
    assert version.levels.count() == 4


def test_an_esco_line_with_a_broken_uri_stops_the_whole_import(world: World) -> None:
    broken = ESCO_SAMPLE.replace(b"http://data.europa.eu/esco/skill/7a8b", b"data.europa.eu/7a8b")
    batch = import_upload(
        actor=world.a.coordinator,
        filename="skills_nl.csv",
        content=broken,
        network=world.a.network,
        name="ESCO",
    )
    report = import_check(batch)
    assert [line for line, _code, _reasons in report.problem_lines()] == [5]
    with pytest.raises(FrameworkImportRejected):
        import_apply(actor=world.a.coordinator, batch=batch)
    assert not Framework.objects.filter(name="ESCO").exists()


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8", "utf-8-sig"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_windows_and_utf8_files_with_either_delimiter_are_read(
    encoding: str, delimiter: str
) -> None:
    lines = [
        ["code", "name", "category", "description"],
        ["VEI-01", "Veiligheid én hygiëne", "Vakkennis", "Werkt volgens de VCA-regels"],
        ["COM-01", "Communiceren met collega’s", "Soft skills", "Geeft feedback; luistert"],
    ]
    text = "\r\n".join(
        delimiter.join(f'"{c}"' if delimiter in c else c for c in line) for line in lines
    )
    parsed = parse_framework_file("kader.csv", (text + "\r\n").encode(encoding))
    assert [(r.code, r.name, r.description) for r in parsed.rows] == [
        ("VEI-01", "Veiligheid én hygiëne", "Werkt volgens de VCA-regels"),
        ("COM-01", "Communiceren met collega’s", "Geeft feedback; luistert"),
    ]


def test_dutch_column_names_are_understood() -> None:
    parsed = parse_framework_file(
        "kader.csv",
        csv_bytes(
            "Code;Naam;Categorie;Omschrijving;Onderdeel van;Niveau 1", "A;Een;Cat;Tekst;;Begin"
        ),
    )
    row = parsed.rows[0]
    assert (row.name, row.category, row.description, row.descriptors) == (
        "Een",
        "Cat",
        "Tekst",
        {1: "Begin"},
    )


def test_the_number_of_levels_follows_the_level_columns_unless_chosen(world: World) -> None:
    content = csv_bytes("code;name;level_1;level_5", "A;Een;begin;meester")
    as_file = import_upload(
        actor=world.a.coordinator,
        filename="x.csv",
        content=content,
        network=world.a.network,
        name="Vijf",
    )
    assert as_file.levels == 5 and import_check(as_file).can_apply
    chosen = import_upload(
        actor=world.a.coordinator,
        filename="x.csv",
        content=content,
        network=world.a.network,
        name="Vier",
        levels=4,
    )
    assert not import_check(chosen).can_apply


# --- export and import agree -------------------------------------------------------------------


def _content_of(version: FrameworkVersion) -> list[tuple[Any, ...]]:
    return [
        (
            c.code,
            c.name,
            c.category.name if c.category else "",
            c.description,
            c.esco_uri,
            c.parent_code,
            tuple((d.level, d.text) for d in c.descriptors.order_by("level")),
        )
        for c in version.competencies.select_related("category").order_by("position")
    ]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_then_import_gives_the_same_competencies(cw: CompetencyWorld, fmt: str) -> None:
    draft = version_new_draft(actor=None, framework=cw.framework, note="rijker")
    competency_save(
        actor=None,
        version=draft,
        code="CNC-01a",
        name="Opspannen; klemmen",
        description='=Formule? Nee: "tekst"\nmet een tweede regel',
        category="Vakkennis",
        esco_uri="http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab",
        parent="CNC-01",
        descriptors={2: "-zelfstandig", 3: "@collega's"},
    )
    export = importing.framework_export(draft, fmt)
    batch = import_upload(
        actor=cw.world.a.coordinator,
        filename=export.filename,
        content=export.content,
        network=cw.world.a.network,
        name="Kopie",
    )
    version = import_apply(actor=cw.world.a.coordinator, batch=batch)
    assert _content_of(version) == _content_of(draft)
    assert list(version.levels.values_list("value", "label")) == list(
        draft.levels.values_list("value", "label")
    )


# --- the parser never breaks -------------------------------------------------------------------


@hypothesis_settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(["x.csv", "x.json", "x.txt"]), content=st.binary(max_size=2000))
def test_any_bytes_are_read_or_refused_with_a_message(name: str, content: bytes) -> None:
    try:
        parsed = parse_framework_file(name, content)
    except FrameworkImportError as error:
        assert str(error)
    else:
        check_rows(parsed.rows, levels=[1, 2, 3, 4], categories=parsed.categories)


CELL = st.text(alphabet=st.sampled_from("abAB01-/;,\"\n\r\t '=é…"), max_size=12)


@hypothesis_settings(max_examples=150, deadline=None)
@given(
    header=st.lists(
        st.sampled_from(
            ["code", "name", "category", "esco_uri", "parent", "level_1", "level_9", ""]
        ),
        min_size=1,
        max_size=6,
    ),
    rows=st.lists(st.lists(CELL, max_size=7), max_size=6),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_any_csv_with_known_columns_is_read_or_refused_with_a_message(
    header: list[str], rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    text = "\r\n".join(delimiter.join(line) for line in [header, *rows])
    content = text.encode(encoding, errors="replace")
    try:
        parsed = parse_framework_file("x.csv", content)
    except FrameworkImportError as error:
        assert str(error)
        return
    problems = check_rows(parsed.rows, levels=[1, 2, 3, 4], categories=None)
    lines = {r.line for r in parsed.rows}
    assert all(p.line in lines for p in problems)
