from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gilde.competencies.selectors_assess import assessment_home
from gilde.development.selectors import home_block as development_home
from gilde.learning.selectors import learner_home
from gilde.tenancy.access import memberships_visible_to, standing_of
from gilde.tenancy.models import (
    CoachAssignment,
    Membership,
    Network,
    NetworkMembershipStatus,
)


def home(request: HttpRequest) -> HttpResponse:
    """One home page whose sections follow the person's roles."""
    if not request.user.is_authenticated:
        open_networks = Network.objects.filter(enrolment_open=True).order_by("name")
        return render(request, "core/landing.html", {"open_networks": open_networks})
    user = request.user
    standing = standing_of(user)
    my_memberships = (
        Membership.objects.current()
        .filter(person=user)
        .select_related("organisation", "team", "manager", "mentor", "placed_by")
        .prefetch_related("roles")
        .order_by("organisation__name")
    )
    admin_orgs = []
    for org in standing.admin_organisations():
        current = Membership.objects.current().filter(organisation=org)
        admin_orgs.append(
            {
                "organisation": org,
                "people": current.count(),
                "teams": org.teams.count(),
                "open_invitations": org.invitations.filter(
                    accepted_at__isnull=True, revoked_at__isnull=True
                ).count(),
            }
        )
    manager_orgs = [
        {
            "organisation": org,
            "team": memberships_visible_to(user, org)
            .filter(manager=user)
            .select_related("person", "team")
            .order_by("person__sort_key"),
        }
        for org in standing.manager_organisations()
    ]
    mentor_orgs = [
        {
            "organisation": org,
            "mentees": memberships_visible_to(user, org)
            .filter(mentor=user)
            .select_related("person", "placed_by")
            .order_by("person__sort_key"),
        }
        for org in standing.mentor_organisations()
    ]
    coordinated = (
        Network.objects.filter(pk__in=[n.pk for n in standing.coordinated_networks()])
        .annotate(
            members=Count(
                "memberships", filter=Q(memberships__status=NetworkMembershipStatus.APPROVED)
            ),
            applications=Count(
                "memberships", filter=Q(memberships__status=NetworkMembershipStatus.APPLIED)
            ),
        )
        .order_by("name")
    )
    coachees = (
        CoachAssignment.objects.filter(coach=user, end_date__isnull=True)
        .select_related("person", "network")
        .order_by("person__sort_key")
    )
    my_networks = (
        Network.objects.filter(
            memberships__organisation__in=[m.organisation_id for m in my_memberships],
            memberships__status=NetworkMembershipStatus.APPROVED,
        )
        .distinct()
        .order_by("name")
    )
    return render(
        request,
        "core/home.html",
        {
            "my_memberships": my_memberships,
            "my_networks": my_networks,
            "admin_orgs": admin_orgs,
            "manager_orgs": manager_orgs,
            "mentor_orgs": mentor_orgs,
            "coordinated": coordinated,
            "coachees": coachees,
            "suggest_2fa": bool(admin_orgs or coordinated) and not _has_mfa(user),
            "assessments": assessment_home(user),
            "learning": learner_home(user),
            "development": development_home(user),
        },
    )


def _has_mfa(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
