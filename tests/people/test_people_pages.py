from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from gilde.audit.models import AuditEvent
from gilde.people.models import Invitation, Person
from gilde.tenancy.access import can_see_person
from gilde.tenancy.models import Consent, Membership, Role
from gilde.tenancy.services import membership_create
from tests.conftest import World, make_person


def as_user(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def edit_learner(client: Client, world: World, **changes: Any) -> Any:
    """POST the edit form of organisation A's learner: her current values, with `changes`."""
    person = world.a.learner
    data = {
        "given_name": person.given_name,
        "infix": person.infix,
        "family_name": person.family_name,
        "email": person.email,
        "function_title": "",
        "team": "",
        "manager": "",
        "mentor": "",
        "roles": ["learner"],
        **changes,
    }
    url = reverse("people:edit", args=[world.a.org.slug, world.a.learner_membership.uuid])
    return client.post(url, data)


def test_the_admin_sees_everyone_sorted_by_family_name(world: World) -> None:
    page = (
        as_user(world.a.admin).get(reverse("people:list", args=[world.a.org.slug])).content.decode()
    )
    names = [escape(p.display_name) for p in (world.a.admin, world.a.learner, world.a.manager)]
    positions = [page.index(n) for n in names]
    # BeheerA < LeerlingA < LeiderA: the tussenvoegsel ("van", "van 't", "de") is ignored.
    assert positions == sorted(positions)
    assert world.temp_worker.email in page  # placed at this organisation


def test_the_people_list_runs_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = as_user(world.a.admin)
    url = reverse("people:list", args=[world.a.org.slug])
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for i in range(45):
        person = make_person(f"extra{i}@example.org", "Extra", f"Persoon{i:02d}")
        membership_create(
            actor=None,
            person=person,
            organisation=world.a.org,
            roles=[Role.LEARNER, Role.AUTHOR],
            team=world.a.team,
            manager=world.a.manager,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert "extra0@example.org" in response.content.decode()


@pytest.mark.parametrize("persona", ["manager", "mentor", "author", "learner", "coordinator"])
def test_only_admins_open_the_people_list(world: World, persona: str) -> None:
    client = as_user(world.a.personas()[persona])
    assert client.get(reverse("people:list", args=[world.a.org.slug])).status_code == 404


def test_a_manager_sees_their_own_team_and_nobody_else(world: World) -> None:
    client = as_user(world.a.manager)
    page = client.get(reverse("people:team", args=[world.a.org.slug])).content.decode()
    assert escape(world.a.learner.display_name) in page
    assert world.a.author.email not in page
    author_membership = Membership.objects.get(person=world.a.author, organisation=world.a.org)
    assert (
        client.get(
            reverse("people:detail", args=[world.a.org.slug, author_membership.uuid])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("people:detail", args=[world.a.org.slug, world.a.learner_membership.uuid])
        ).status_code
        == 200
    )


def test_a_learner_sees_only_themselves(world: World) -> None:
    client = as_user(world.a.learner)
    own = client.get(
        reverse("people:detail", args=[world.a.org.slug, world.a.learner_membership.uuid])
    )
    assert own.status_code == 200
    admin_membership = Membership.objects.get(person=world.a.admin, organisation=world.a.org)
    assert (
        client.get(
            reverse("people:detail", args=[world.a.org.slug, admin_membership.uuid])
        ).status_code
        == 404
    )


def test_the_host_mentor_sees_the_placed_temp_worker_but_the_agency_data_stays_apart(
    world: World,
) -> None:
    client = as_user(world.a.mentor)
    page = client.get(reverse("people:detail", args=[world.a.org.slug, world.placement.uuid]))
    assert page.status_code == 200
    assert world.agency.name in page.content.decode()  # "placed by ..."
    # The agency's own record of the worker is not reachable from the host side.
    assert (
        client.get(
            reverse("people:detail", args=[world.agency.slug, world.agency_membership.uuid])
        ).status_code
        == 404
    )


def test_the_cross_organisation_rules_are_explicit(world: World) -> None:
    assert can_see_person(world.a.mentor, world.temp_worker)  # host mentor
    assert can_see_person(world.a.coach, world.a.learner)  # assigned coach
    assert not can_see_person(world.a.coach, world.a.author)
    assert not can_see_person(world.b.admin, world.a.learner)
    assert not can_see_person(world.a.coordinator, world.b.learner)
    Consent.objects.create(person=world.a.learner, organisation=world.b.org, purpose="CPD")
    assert can_see_person(world.b.admin, world.a.learner)  # consent to B
    assert not can_see_person(world.b.manager, world.a.learner)  # consent is to B's admins
    Consent.objects.filter(person=world.a.learner).update(withdrawn_at=timezone.now())
    assert not can_see_person(world.b.admin, world.a.learner)


def test_a_forged_team_of_another_organisation_is_refused_and_changes_nothing(world: World) -> None:
    client = as_user(world.a.admin)
    before = AuditEvent.objects.count()
    response = edit_learner(
        client, world, family_name="Gewijzigd", function_title="x", team=world.b.team.pk
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    world.a.learner.refresh_from_db()
    assert world.a.learner.family_name == "LeerlingA"
    assert AuditEvent.objects.count() == before


def test_a_forged_manager_from_another_organisation_is_refused(world: World) -> None:
    client = as_user(world.a.admin)
    response = edit_learner(client, world, manager=str(world.b.manager.uuid))
    assert response.status_code == 200
    world.a.learner_membership.refresh_from_db()
    assert world.a.learner_membership.manager == world.a.manager


def test_the_admin_edits_team_manager_and_roles(world: World) -> None:
    client = as_user(world.a.admin)
    response = edit_learner(
        client,
        world,
        function_title="Eerste monteur",
        team=world.a.team.pk,
        manager=str(world.a.admin.uuid),
        mentor=str(world.a.mentor.uuid),
        roles=["learner", "author"],
    )
    assert response.status_code == 302
    m = world.a.learner_membership
    m.refresh_from_db()
    assert (m.function_title, m.manager, m.mentor) == (
        "Eerste monteur",
        world.a.admin,
        world.a.mentor,
    )
    assert set(m.roles.values_list("role", flat=True)) == {"learner", "author"}
    assert AuditEvent.objects.filter(action="membership.roles", subject=world.a.learner).exists()


def test_an_admin_cannot_take_away_their_own_admin_role(world: World) -> None:
    client = as_user(world.a.admin)
    own = Membership.objects.get(person=world.a.admin, organisation=world.a.org)
    response = client.post(
        reverse("people:edit", args=[world.a.org.slug, own.uuid]),
        {
            "given_name": "Anne",
            "infix": "van",
            "family_name": "BeheerA",
            "email": world.a.admin.email,
            "function_title": "",
            "team": "",
            "manager": "",
            "mentor": "",
            "roles": ["learner"],
        },
    )
    assert response.status_code == 200
    assert own.roles.filter(role="org_admin").exists()


def test_changing_an_email_to_one_already_used_is_refused(world: World) -> None:
    client = as_user(world.a.admin)
    response = edit_learner(client, world, family_name="X", email=world.b.admin.email)
    assert response.status_code == 200
    world.a.learner.refresh_from_db()
    assert world.a.learner.email == "learner-a@example.org"


def test_ending_a_membership_keeps_the_person_and_hides_them_from_the_manager(world: World) -> None:
    client = as_user(world.a.admin)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(
        reverse("people:end", args=[world.a.org.slug, world.a.learner_membership.uuid]),
        {"end_date": yesterday.isoformat()},
    )
    assert response.status_code == 302
    assert Person.objects.filter(pk=world.a.learner.pk, is_active=True).exists()
    manager = as_user(world.a.manager)
    assert (
        escape(world.a.learner.display_name)
        not in manager.get(reverse("people:team", args=[world.a.org.slug])).content.decode()
    )
    former = client.get(
        reverse("people:list", args=[world.a.org.slug]) + "?status=ended"
    ).content.decode()
    assert world.a.learner.email in former


def test_an_end_date_before_the_start_is_refused(world: World) -> None:
    client = as_user(world.a.admin)
    response = client.post(
        reverse("people:end", args=[world.a.org.slug, world.a.learner_membership.uuid]),
        {"end_date": "2001-01-01"},
    )
    assert response.status_code == 200
    world.a.learner_membership.refresh_from_db()
    assert world.a.learner_membership.end_date is None


def test_invite_accept_and_log_in(world: World, django_capture_on_commit_callbacks: Any) -> None:
    admin = as_user(world.a.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("people:invite", args=[world.a.org.slug]),
            {
                "email": "Nieuw@Example.org",
                "given_name": "Noor",
                "infix": "van der",
                "family_name": "Berg",
                "function_title": "Verkoper",
                "team": world.a.team.pk,
                "roles": ["learner"],
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nieuw@example.org")
    assert len(mail.outbox) == 1 and invitation.token in mail.outbox[0].body
    guest = Client()
    url = reverse("people:invitation-accept", args=[invitation.token])
    weak = guest.post(
        url,
        {
            "given_name": "Noor",
            "infix": "van der",
            "family_name": "Berg",
            "password1": "123",
            "password2": "123",
        },
    )
    assert weak.status_code == 200 and not Person.objects.filter(email="nieuw@example.org").exists()
    good = guest.post(
        url,
        {
            "given_name": "Noor",
            "infix": "van der",
            "family_name": "Berg",
            "password1": "lang-genoeg-wachtwoord",
            "password2": "lang-genoeg-wachtwoord",
        },
    )
    assert good.status_code == 302
    person = Person.objects.get(email="nieuw@example.org")
    assert person.display_name == "Noor van der Berg"
    membership = Membership.objects.get(person=person, organisation=world.a.org)
    assert membership.team == world.a.team and membership.function_title == "Verkoper"
    assert guest.get(reverse("core:home")).status_code == 200
    assert guest.post(url, {}).status_code == 410  # used


def test_inviting_a_current_member_is_refused(world: World) -> None:
    admin = as_user(world.a.admin)
    response = admin.post(
        reverse("people:invite", args=[world.a.org.slug]),
        {
            "email": world.a.learner.email,
            "given_name": "L",
            "family_name": "L",
            "roles": ["learner"],
        },
    )
    assert response.status_code == 200
    assert not Invitation.objects.filter(email=world.a.learner.email).exists()


def test_a_person_with_an_account_joins_a_second_organisation_with_the_same_account(
    world: World,
) -> None:
    from gilde.people.services import invitation_create

    invitation = invitation_create(
        actor=world.b.admin, organisation=world.b.org, email=world.a.learner.email
    )
    client = as_user(world.a.learner)
    response = client.post(reverse("people:invitation-accept", args=[invitation.token]))
    assert response.status_code == 302
    assert set(
        Membership.objects.filter(person=world.a.learner).values_list(
            "organisation__name", flat=True
        )
    ) == {"Bedrijf A", "Bedrijf B"}
    # Organisation A can no longer rename the shared account.
    admin = as_user(world.a.admin)
    form = admin.get(
        reverse("people:edit", args=[world.a.org.slug, world.a.learner_membership.uuid])
    ).content.decode()
    assert "disabled" in form


def test_teams_are_added_and_renamed_and_duplicates_refused(world: World) -> None:
    admin = as_user(world.a.admin)
    url = reverse("people:teams", args=[world.a.org.slug])
    assert admin.post(url, {"name": "Verkoop"}).status_code == 302
    assert admin.post(url, {"name": "verkoop"}).status_code == 200
    assert world.a.org.teams.filter(name__iexact="verkoop").count() == 1
    team = world.a.org.teams.get(name="Verkoop")
    admin.post(reverse("people:team-edit", args=[world.a.org.slug, team.slug]), {"name": "Winkel"})
    team.refresh_from_db()
    assert team.name == "Winkel"
