from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from gilde.audit.models import AuditEvent
from gilde.competencies.models import (
    Competency,
    Framework,
    FrameworkVersion,
    ScaleLevel,
    VersionStatus,
)
from gilde.competencies.services import (
    competency_save,
    framework_create,
    version_new_draft,
)
from tests.competencies.conftest import CompetencyWorld
from tests.conftest import World


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """Pages and messages in English, so that the checks below do not depend on the
    translation catalogue."""
    with translation.override("en"):
        yield


def as_user(person: Any) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(person)
    return client


def framework_url(cw: CompetencyWorld, version: int | None = None) -> str:
    url = reverse("competencies:framework", args=[cw.framework.slug])
    return f"{url}?version={version}" if version else url


def start_draft(cw: CompetencyWorld, note: str = "CAM erbij") -> FrameworkVersion:
    return version_new_draft(actor=cw.world.a.coordinator, framework=cw.framework, note=note)


# --- the list and the framework page ---------------------------------------------------------


def test_the_list_shows_the_network_framework_to_its_members_only(cw: CompetencyWorld) -> None:
    page = as_user(cw.world.a.learner).get(reverse("competencies:framework-list"))
    assert page.status_code == 200
    assert "Verspanen" in page.content.decode()
    foreign = as_user(cw.world.b.admin).get(reverse("competencies:framework-list"))
    assert "Verspanen" not in foreign.content.decode()


def test_the_framework_page_shows_categories_descriptors_scale_and_versions(
    cw: CompetencyWorld,
) -> None:
    page = as_user(cw.world.a.learner).get(framework_url(cw)).content.decode()
    for text in ["Vakkennis", "Soft skills", "CNC-01", "CNC-draaien", "Programmeert vijfassig"]:
        assert text in page
    assert "expert" in page  # the scale
    assert "Change this framework" not in page
    assert "everyone uses this version" in page


def test_an_org_admin_of_a_member_organisation_can_view_but_not_change(
    cw: CompetencyWorld,
) -> None:
    start_draft(cw)
    admin = as_user(cw.world.a.admin)
    page = admin.get(framework_url(cw)).content.decode()
    assert "CNC-draaien" in page and "Change this framework" not in page
    # The draft (version 2) is not shown to people who cannot change the framework.
    assert admin.get(framework_url(cw, 2)).status_code == 404
    slug = cw.framework.slug
    for name, args in [
        ("competencies:framework-new-version", [slug]),
        ("competencies:framework-publish", [slug]),
        ("competencies:framework-scale", [slug]),
        ("competencies:competency-add", [slug]),
        ("competencies:competency-edit", [slug, "CNC-01"]),
        ("competencies:competency-remove", [slug, "CNC-01"]),
        ("competencies:framework-import-into", [slug]),
    ]:
        url = reverse(name, args=args)
        assert admin.get(url).status_code == 404, name
        assert admin.post(url, {"note": "x", "code": "X", "name": "X"}).status_code == 404, name
    assert FrameworkVersion.objects.get(framework=cw.framework, number=2).status == "draft"
    assert Competency.objects.filter(version__framework=cw.framework, code="X").count() == 0


OUTSIDER_PAGES = [
    ("competencies:framework", ["slug"]),
    ("competencies:framework-export", ["slug", "csv"]),
    ("competencies:framework-export", ["slug", "json"]),
    ("competencies:framework-new-version", ["slug"]),
    ("competencies:framework-publish", ["slug"]),
    ("competencies:framework-scale", ["slug"]),
    ("competencies:competency-add", ["slug"]),
    ("competencies:competency-edit", ["slug", "CNC-01"]),
    ("competencies:competency-remove", ["slug", "CNC-01"]),
    ("competencies:framework-import-into", ["slug"]),
]


@pytest.mark.parametrize("persona", ["coordinator", "org_admin", "manager", "learner"])
def test_an_outsider_of_network_b_gets_404_on_every_framework_page(
    cw: CompetencyWorld, persona: str
) -> None:
    start_draft(cw)
    client = as_user(cw.world.b.personas()[persona])
    for name, args in OUTSIDER_PAGES:
        url = reverse(name, args=[cw.framework.slug if a == "slug" else a for a in args])
        assert client.get(url).status_code == 404, name
        # The download answers GET only: 405 to anyone's POST, also for a missing framework.
        assert client.post(url, {"note": "x"}).status_code in (404, 405), name
    assert FrameworkVersion.objects.filter(framework=cw.framework).count() == 2


# --- making and changing a framework ---------------------------------------------------------


def test_a_coordinator_makes_a_network_framework_with_the_default_scale(world: World) -> None:
    client = as_user(world.a.coordinator)
    response = client.post(
        reverse("competencies:framework-create"),
        {
            "name": "Retail digitaal",
            "description": "E-commerce en data",
            "owner": f"network:{world.a.network.slug}",
            "scale": "default",
            "levels": "5",
        },
    )
    framework = Framework.objects.get(name="Retail digitaal")
    assert framework.network == world.a.network
    version = framework.versions.get()
    assert response.url == framework_url_for(framework, 1)  # type: ignore[attr-defined]
    assert list(version.levels.values_list("value", "label")) == [
        (1, "beginner"),
        (2, "advanced beginner"),
        (3, "competent"),
        (4, "expert"),
    ]
    assert AuditEvent.objects.filter(action="framework.create").exists()


def framework_url_for(framework: Framework, number: int) -> str:
    return reverse("competencies:framework", args=[framework.slug]) + f"?version={number}"


def test_a_custom_scale_gets_the_number_of_levels_chosen(world: World) -> None:
    as_user(world.a.admin).post(
        reverse("competencies:framework-create"),
        {
            "name": "Eigen kader",
            "owner": f"org:{world.a.org.slug}",
            "scale": "custom",
            "levels": "6",
        },
    )
    framework = Framework.objects.get(name="Eigen kader")
    assert framework.organisation == world.a.org
    assert list(framework.versions.get().levels.values_list("value", flat=True)) == [
        1, 2, 3, 4, 5, 6,
    ]  # fmt: skip


def test_the_number_of_levels_is_asked_only_for_a_custom_scale(world: World) -> None:
    client = as_user(world.a.admin)
    url = reverse("competencies:framework-create")
    owner = f"org:{world.a.org.slug}"
    client.post(url, {"name": "Standaard", "owner": owner, "scale": "default"})
    assert Framework.objects.filter(name="Standaard").exists()
    response = client.post(url, {"name": "Zonder aantal", "owner": owner, "scale": "custom"})
    assert response.status_code == 200
    assert not Framework.objects.filter(name="Zonder aantal").exists()


def test_an_org_admin_cannot_make_a_framework_for_the_network(world: World) -> None:
    response = as_user(world.a.admin).post(
        reverse("competencies:framework-create"),
        {"name": "Netwerkkader", "owner": f"network:{world.a.network.slug}", "scale": "default"},
    )
    assert response.status_code == 200
    assert not Framework.objects.filter(name="Netwerkkader").exists()


def test_a_learner_cannot_open_the_page_to_make_a_framework(world: World) -> None:
    client = as_user(world.a.learner)
    assert client.get(reverse("competencies:framework-create")).status_code == 404
    assert client.get(reverse("competencies:framework-import")).status_code == 404


def test_new_version_publish_and_the_old_version_stays_viewable(cw: CompetencyWorld) -> None:
    client = as_user(cw.world.a.coordinator)
    response = client.post(
        reverse("competencies:framework-new-version", args=[cw.framework.slug]),
        {"note": "Nieuw: CAM"},
    )
    assert response.url == framework_url(cw, 2)  # type: ignore[attr-defined]
    page = client.get(framework_url(cw, 2)).content.decode()
    assert "Nieuw: CAM" in page and "Add a competency" in page
    client.post(
        reverse("competencies:competency-add", args=[cw.framework.slug]),
        {
            "code": "CAM-01",
            "name": "CAM-programmeren",
            "category": "Vakkennis",
            "esco_uri": "http://data.europa.eu/esco/skill/8c5e9f1a-2b3c-4d5e-9f00-112233445566",
            "level_1": "Opent een CAM-programma",
            "level_4": "Programmeert complexe vijfassige banen",
        },
    )
    draft = FrameworkVersion.objects.get(framework=cw.framework, number=2)
    cam = draft.competencies.get(code="CAM-01")
    assert cam.category is not None and cam.category.name == "Vakkennis"
    assert dict(cam.descriptors.values_list("level", "text"))[4].startswith("Programmeert")
    publish_page = client.get(reverse("competencies:framework-publish", args=[cw.framework.slug]))
    assert "can no longer be changed" in publish_page.content.decode()
    client.post(reverse("competencies:framework-publish", args=[cw.framework.slug]))
    draft.refresh_from_db()
    cw.version.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert cw.version.status == VersionStatus.RETIRED
    # Everyone now sees version 2; version 1 is still there, without CAM-01.
    admin = as_user(cw.world.a.admin)
    assert "CAM-programmeren" in admin.get(framework_url(cw)).content.decode()
    old = admin.get(framework_url(cw, 1)).content.decode()
    assert "CNC-draaien" in old and "CAM-programmeren" not in old
    assert "old version" in old


def test_an_unknown_version_number_is_not_found(cw: CompetencyWorld) -> None:
    client = as_user(cw.world.a.learner)
    assert client.get(framework_url(cw, 9)).status_code == 404
    assert client.get(framework_url(cw) + "?version=abc").status_code == 404


def test_a_second_draft_cannot_be_started(cw: CompetencyWorld) -> None:
    start_draft(cw)
    client = as_user(cw.world.a.coordinator)
    client.post(
        reverse("competencies:framework-new-version", args=[cw.framework.slug]), {"note": "nog een"}
    )
    assert cw.framework.versions.count() == 2


def test_a_competency_is_changed_and_its_code_change_follows_to_its_parts(
    cw: CompetencyWorld,
) -> None:
    draft = start_draft(cw)
    competency_save(
        actor=None, version=draft, code="CNC-01a", name="Draaien: opspannen", parent="CNC-01"
    )
    client = as_user(cw.world.a.coordinator)
    client.post(
        reverse("competencies:competency-edit", args=[cw.framework.slug, "CNC-01"]),
        {"code": "CNC-10", "name": "CNC-draaien en frezen", "category": "Vakkennis"},
    )
    assert draft.competencies.filter(code="CNC-10").exists()
    assert draft.competencies.get(code="CNC-01a").parent_code == "CNC-10"
    # The published version is untouched.
    assert cw.version.competencies.filter(code="CNC-01", name="CNC-draaien").exists()
    page = client.get(framework_url(cw, 2)).content.decode()
    assert "Part of CNC-10 CNC-draaien en frezen" in page


def test_a_parent_cannot_be_removed_before_its_parts(cw: CompetencyWorld) -> None:
    draft = start_draft(cw)
    competency_save(actor=None, version=draft, code="MET-01a", name="Schuifmaat", parent="MET-01")
    client = as_user(cw.world.a.coordinator)
    url = reverse("competencies:competency-remove", args=[cw.framework.slug, "MET-01"])
    page = client.post(url).content.decode()
    assert "MET-01a" in page and "First remove" in page
    assert draft.competencies.filter(code="MET-01").exists()
    client.post(reverse("competencies:competency-remove", args=[cw.framework.slug, "MET-01a"]))
    client.post(url)
    assert not draft.competencies.filter(code__startswith="MET").exists()
    assert AuditEvent.objects.filter(action="framework.competency_delete").count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "MET-01", "name": "Dubbel"}, "is used already"),
        ({"code": "met-01", "name": "Dubbel"}, "is used already"),
        ({"code": "A/B", "name": "Schuine streep"}, "no slashes"),
        ({"code": "X-1", "name": "Fout", "esco_uri": "https://example.org/x"}, "not an ESCO URI"),
        ({"code": "X-2", "name": "Rondje", "parent": "X-2"}, ""),
    ],
)
def test_bad_competency_input_gets_a_message_and_changes_nothing(
    cw: CompetencyWorld, data: dict[str, str], message: str
) -> None:
    draft = start_draft(cw)
    before = list(draft.competencies.values_list("code", "name", "parent_code"))
    response = as_user(cw.world.a.coordinator).post(
        reverse("competencies:competency-add", args=[cw.framework.slug]), data
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert message in response.content.decode()
    assert list(draft.competencies.values_list("code", "name", "parent_code")) == before


def test_a_circle_of_parts_is_refused(cw: CompetencyWorld) -> None:
    draft = start_draft(cw)
    competency_save(actor=None, version=draft, code="A-1", name="A", parent="CNC-01")
    response = as_user(cw.world.a.coordinator).post(
        reverse("competencies:competency-edit", args=[cw.framework.slug, "CNC-01"]),
        {"code": "CNC-01", "name": "CNC-draaien", "parent": "A-1"},
    )
    assert "circle" in response.content.decode()
    assert draft.competencies.get(code="CNC-01").parent_code == ""


def test_a_published_version_is_not_changed_through_the_pages(cw: CompetencyWorld) -> None:
    client = as_user(cw.world.a.coordinator)
    response = client.post(
        reverse("competencies:competency-add", args=[cw.framework.slug]),
        {"code": "NEW-01", "name": "Nieuw"},
    )
    assert response.status_code == 302
    assert not Competency.objects.filter(code="NEW-01").exists()
    assert (
        client.get(
            reverse("competencies:competency-edit", args=[cw.framework.slug, "CNC-01"])
        ).status_code
        == 404
    )


def test_the_scale_of_a_draft_gets_new_names(cw: CompetencyWorld) -> None:
    draft = start_draft(cw)
    client = as_user(cw.world.a.coordinator)
    url = reverse("competencies:framework-scale", args=[cw.framework.slug])
    data = {f"label_{n}": f"Stap {n}" for n in range(1, 5)}
    data["description_4"] = "Leert het anderen"
    client.post(url, data)
    assert list(draft.levels.values_list("label", flat=True)) == [
        "Stap 1",
        "Stap 2",
        "Stap 3",
        "Stap 4",
    ]
    assert cw.version.levels.get(value=4).label == "expert"
    # An empty name is refused; nothing changes.
    client.post(url, {**data, "label_2": ""})
    assert draft.levels.get(value=2).label == "Stap 2"
    assert AuditEvent.objects.filter(action="framework.scale_update").count() == 1


def test_the_export_downloads_the_version_asked_for(cw: CompetencyWorld) -> None:
    client = as_user(cw.world.a.learner)
    response = client.get(
        reverse("competencies:framework-export", args=[cw.framework.slug, "csv"]) + "?version=1"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-v1.csv"')
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("code;name;category;description;esco_uri;parent")
    assert "CNC-01;CNC-draaien;Vakkennis" in text
    assert (
        client.get(
            reverse("competencies:framework-export", args=[cw.framework.slug, "xml"])
        ).status_code
        == 404
    )


# --- query counts -----------------------------------------------------------------------------


def _framework_with(world: World, n: int) -> Framework:
    framework = framework_create(actor=None, name=f"Kader {n}", network=world.a.network)
    version = framework.versions.get()
    for i in range(n):
        competency_save(
            actor=None,
            version=version,
            code=f"C-{i:02d}",
            name=f"Competentie {i}",
            category=f"Categorie {i % 3}",
            parent="C-00" if i % 5 == 4 else "",
            descriptors={1: "begin", 2: "verder", 4: "expert"},
        )
    return framework


def _queries_for(client: Client, framework: Framework) -> int:
    url = reverse("competencies:framework", args=[framework.slug]) + "?version=1"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_framework_page_runs_as_many_queries_for_40_competencies_as_for_10(
    world: World,
) -> None:
    small, large = _framework_with(world, 10), _framework_with(world, 40)
    client = as_user(world.a.coordinator)
    client.get(reverse("competencies:framework-list"))  # warm the session
    assert _queries_for(client, small) == _queries_for(client, large)
    assert ScaleLevel.objects.filter(version__framework=large).count() == 4
