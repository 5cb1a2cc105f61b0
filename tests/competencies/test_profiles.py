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
    FrameworkVersion,
    FunctionProfile,
    ProfileAssignment,
)
from gilde.competencies.services import (
    competency_save,
    framework_create,
    profile_save,
    version_new_draft,
    version_publish,
)
from tests.competencies.conftest import CompetencyWorld


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


def as_user(person: Any) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(person)
    return client


def requirement_data(
    cw: CompetencyWorld, version: FrameworkVersion, **levels: Any
) -> dict[str, Any]:
    """Form data for the requirements table: `levels` maps a code (with _ for -) to
    (level, weight)."""
    data: dict[str, Any] = {}
    for c in version.competencies.all():
        level, weight = levels.get(c.code.replace("-", "_"), ("", 1))
        data[f"level_{c.pk}"] = str(level)
        data[f"weight_{c.pk}"] = str(weight)
    return data


def profile_url(profile: FunctionProfile) -> str:
    return reverse("competencies:profile", args=[profile.slug])


# --- looking at profiles -----------------------------------------------------------------------


def test_the_profile_page_shows_the_requirements_with_level_names_and_a_chart(
    cw: CompetencyWorld,
) -> None:
    page = as_user(cw.world.a.learner).get(profile_url(cw.profile)).content.decode()
    assert "CNC-01 CNC-draaien" in page
    assert "3 competent" in page  # the level with its name
    assert '<svg class="chart-bars"' in page and 'role="img"' in page
    assert '<title id="chart-title">Required levels for Verspaner</title>' in page
    assert "Change this profile" not in page


def test_the_list_shows_profiles_of_my_network_only(cw: CompetencyWorld) -> None:
    mine = as_user(cw.world.a.manager).get(reverse("competencies:profile-list")).content.decode()
    assert "Verspaner" in mine
    theirs = as_user(cw.world.b.admin).get(reverse("competencies:profile-list")).content.decode()
    assert "Verspaner" not in theirs


@pytest.mark.parametrize("persona", ["coordinator", "org_admin", "manager", "learner"])
def test_an_outsider_gets_404_on_the_profile_pages(cw: CompetencyWorld, persona: str) -> None:
    client = as_user(cw.world.b.personas()[persona])
    a = cw.world.a
    for url in [
        profile_url(cw.profile),
        reverse("competencies:profile-edit", args=[cw.profile.slug]),
        reverse("competencies:profile-create") + f"?version={cw.framework.slug}:1",
        reverse("competencies:profile-assign", args=[a.org.slug, a.learner_membership.uuid]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "x", "profile": cw.profile.slug}).status_code == 404, url
    assert ProfileAssignment.objects.get(membership=a.learner_membership).profile == cw.profile
    assert FunctionProfile.objects.count() == 1


def test_the_profile_list_runs_the_same_queries_for_more_profiles(cw: CompetencyWorld) -> None:
    client = as_user(cw.world.a.coordinator)
    url = reverse("competencies:profile-list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        profile_save(
            actor=None,
            name=f"Profiel {n}",
            version=cw.version,
            network=cw.world.a.network,
            requirements={"CNC-01": (2, 1)},
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


# --- making and changing profiles ------------------------------------------------------------


def test_a_coordinator_makes_a_network_profile_in_two_steps(cw: CompetencyWorld) -> None:
    client = as_user(cw.world.a.coordinator)
    step_one = client.get(reverse("competencies:profile-create")).content.decode()
    assert "Verspanen, version 1" in step_one
    url = reverse("competencies:profile-create") + f"?version={cw.framework.slug}:1"
    step_two = client.get(url).content.decode()
    assert "Required level per competency" in step_two and "not needed" in step_two
    data = {
        "version": f"{cw.framework.slug}:1",
        "name": "Instelmonteur",
        "description": "Stelt machines in",
        "owner": f"network:{cw.world.a.network.slug}",
        **requirement_data(cw, cw.version, CNC_01=(4, 5), SOFT_01=(2, 1)),
    }
    response = client.post(reverse("competencies:profile-create"), data)
    profile = FunctionProfile.objects.get(name="Instelmonteur")
    assert response.url == profile_url(profile)  # type: ignore[attr-defined]
    assert profile.network == cw.world.a.network and profile.version == cw.version
    assert sorted(profile.requirements.values_list("competency__code", "level", "weight")) == [
        ("CNC-01", 4, 5),
        ("SOFT-01", 2, 1),
    ]


def test_an_org_admin_makes_a_profile_for_the_own_organisation_only(cw: CompetencyWorld) -> None:
    a = cw.world.a
    client = as_user(a.admin)
    base = {
        "version": f"{cw.framework.slug}:1",
        "name": "Winkelmedewerker",
        **requirement_data(cw, cw.version, MET_01=(2, 1)),
    }
    client.post(
        reverse("competencies:profile-create"), {**base, "owner": f"network:{a.network.slug}"}
    )
    assert not FunctionProfile.objects.filter(name="Winkelmedewerker").exists()
    client.post(reverse("competencies:profile-create"), {**base, "owner": f"org:{a.org.slug}"})
    assert FunctionProfile.objects.get(name="Winkelmedewerker").organisation == a.org


def test_an_org_admin_can_view_but_not_change_a_network_profile(cw: CompetencyWorld) -> None:
    client = as_user(cw.world.a.admin)
    assert client.get(profile_url(cw.profile)).status_code == 200
    edit = reverse("competencies:profile-edit", args=[cw.profile.slug])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"name": "Anders"}).status_code == 404
    cw.profile.refresh_from_db()
    assert cw.profile.name == "Verspaner"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weight": "11"}, "less than or equal to 10"),
        ({"weight": "0"}, "greater than or equal to 1"),
        ({"level": "7"}, "Select a valid choice"),
        ({"level": "", "all_empty": True}, "at least one competency"),
    ],
)
def test_bad_requirements_get_a_message_and_change_nothing(
    cw: CompetencyWorld, change: dict[str, Any], message: str
) -> None:
    data: dict[str, Any] = {"version": "1", "name": "Verspaner", "description": ""}
    for c in cw.version.competencies.all():
        data[f"level_{c.pk}"] = "" if change.get("all_empty") else "2"
        data[f"weight_{c.pk}"] = "1"
    if "weight" in change:
        data[f"weight_{cw.cnc.pk}"] = change["weight"]
    if "level" in change and not change.get("all_empty"):
        data[f"level_{cw.cnc.pk}"] = change["level"]
    before = sorted(cw.profile.requirements.values_list("competency__code", "level", "weight"))
    response = as_user(cw.world.a.coordinator).post(
        reverse("competencies:profile-edit", args=[cw.profile.slug]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    after = sorted(cw.profile.requirements.values_list("competency__code", "level", "weight"))
    assert after == before


def test_a_profile_moves_to_the_newer_version_keeping_its_requirements_by_code(
    cw: CompetencyWorld,
) -> None:
    draft = version_new_draft(actor=None, framework=cw.framework, note="v2")
    competency_save(actor=None, version=draft, code="CAM-01", name="CAM-programmeren")
    version_publish(actor=None, version=draft)
    client = as_user(cw.world.a.coordinator)
    page = client.get(profile_url(cw.profile)).content.decode()
    assert "Move this profile to version 2" in page
    edit = reverse("competencies:profile-edit", args=[cw.profile.slug])
    form = client.get(edit + "?version=2").content.decode()
    assert "saving moves the profile to this version" in form
    draft.refresh_from_db()
    data = {
        "version": "2",
        "name": "Verspaner",
        **requirement_data(cw, draft, CNC_01=(3, 3), MET_01=(3, 1), CAM_01=(2, 2)),
    }
    client.post(edit, data)
    cw.profile.refresh_from_db()
    assert cw.profile.version == draft
    assert sorted(
        cw.profile.requirements.values_list("competency__code", "competency__version")
    ) == [
        ("CAM-01", draft.pk),
        ("CNC-01", draft.pk),
        ("MET-01", draft.pk),
    ]
    # An old or made-up version number is not offered.
    assert client.get(edit + "?version=7").status_code == 404


def test_a_profile_cannot_use_a_framework_of_another_organisation(cw: CompetencyWorld) -> None:
    b = cw.world.b
    other = framework_create(actor=None, name="Kader B", organisation=b.org)
    competency_save(actor=None, version=other.versions.get(), code="B-1", name="B")
    version_publish(actor=None, version=other.versions.get())
    client = as_user(cw.world.a.admin)
    url = reverse("competencies:profile-create") + f"?version={other.slug}:1"
    assert client.get(url).status_code == 404


# --- a person's function profile and target profile ------------------------------------------


def test_an_admin_gives_a_person_a_function_profile(cw: CompetencyWorld) -> None:
    a = cw.world.a
    other = profile_save(
        actor=None,
        name="Instelmonteur",
        version=cw.version,
        organisation=a.org,
        requirements={"CNC-01": (4, 1)},
    )
    client = as_user(a.admin)
    detail = client.get(reverse("people:detail", args=[a.org.slug, a.learner_membership.uuid]))
    url = reverse("competencies:profile-assign", args=[a.org.slug, a.learner_membership.uuid])
    assert url in detail.content.decode()
    page = client.get(url).content.decode()
    assert "Now: Verspaner." in page
    client.post(url, {"profile": other.slug})
    assert ProfileAssignment.objects.get(membership=a.learner_membership).profile == other
    assert AuditEvent.objects.filter(action="profile.assign", subject=a.learner).exists()
    client.post(url, {"profile": ""})
    assert not ProfileAssignment.objects.filter(membership=a.learner_membership).exists()


def test_a_manager_cannot_give_a_function_profile(cw: CompetencyWorld) -> None:
    a = cw.world.a
    url = reverse("competencies:profile-assign", args=[a.org.slug, a.learner_membership.uuid])
    client = as_user(a.manager)
    assert client.get(url).status_code == 404
    assert client.post(url, {"profile": ""}).status_code == 404
    assert ProfileAssignment.objects.filter(membership=a.learner_membership).exists()
    detail = client.get(reverse("people:detail", args=[a.org.slug, a.learner_membership.uuid]))
    assert url not in detail.content.decode()


def test_a_profile_of_another_network_cannot_be_given(cw: CompetencyWorld) -> None:
    b = cw.world.b
    foreign_framework = framework_create(actor=None, name="Kader B", network=b.network)
    version = foreign_framework.versions.get()
    competency_save(actor=None, version=version, code="B-1", name="B")
    published = version_publish(actor=None, version=version)
    foreign = profile_save(
        actor=None, name="Profiel B", version=published, network=b.network, requirements={}
    )
    a = cw.world.a
    url = reverse("competencies:profile-assign", args=[a.org.slug, a.learner_membership.uuid])
    response = as_user(a.admin).post(url, {"profile": foreign.slug})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert ProfileAssignment.objects.get(membership=a.learner_membership).profile == cw.profile


def test_a_learner_picks_a_target_profile(cw: CompetencyWorld) -> None:
    a = cw.world.a
    goal = profile_save(
        actor=None,
        name="Meester-verspaner",
        version=cw.version,
        network=a.network,
        requirements={"CNC-01": (4, 2)},
    )
    client = as_user(a.learner)
    url = reverse("competencies:target-profile")
    page = client.get(url).content.decode()
    assert "Your function profile now:" in page and "Verspaner" in page
    assert "You have no target profile yet." in page
    client.post(url, {"profile": goal.slug})
    target = ProfileAssignment.objects.get(person=a.learner, is_target=True)
    assert target.profile == goal
    # The function profile stays as it was.
    assert ProfileAssignment.objects.get(membership=a.learner_membership).profile == cw.profile
    assert "Meester-verspaner" in client.get(url).content.decode()
    # Someone of network B cannot pick it: it is not one of their choices.
    response = as_user(cw.world.b.learner).post(url, {"profile": goal.slug})
    assert "Select a valid choice" in response.content.decode()
    assert not ProfileAssignment.objects.filter(person=cw.world.b.learner).exists()
