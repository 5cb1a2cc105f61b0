"""Assessment rounds: a manager or admin asks people to rate themselves on a profile by a date,
the people do so, the manager validates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde.competencies import services
from gilde.competencies.forms_assess import LevelsForm, RoundForm
from gilde.competencies.models import RaterRole
from gilde.competencies.selectors_assess import (
    access_round,
    access_round_participation,
    access_round_person,
    latest_round_ratings,
    profile_levels,
    profiles_for_organisation,
    round_overview,
    round_people_choices,
    rounds_led_by,
)
from gilde.tenancy.access import access_organisation
from gilde.tenancy.models import Role


@login_required
def round_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN, Role.MANAGER)
    return render(
        request,
        "competencies/round_list.html",
        {"organisation": organisation, "rounds": rounds_led_by(request.user, organisation)},
    )


@login_required
def round_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN, Role.MANAGER)
    choices, groups = round_people_choices(request.user, organisation)
    form = RoundForm(
        request.POST if request.method == "POST" else None,
        profiles=profiles_for_organisation(organisation),
        people_choices=choices,
    )
    if request.method == "POST" and form.is_valid():
        team, people = groups[form.cleaned_data["people"]]
        try:
            created = services.round_create(
                actor=request.user,
                organisation=organisation,
                title=form.cleaned_data["title"],
                profile=form.cleaned_data["profile"],
                due_date=form.cleaned_data["due_date"],
                people=people,
                team=team,
            )
        except services.CompetencyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The round has started. The people see it on their home page."),
            )
            return redirect("competencies:round-detail", organisation.slug, created.uuid)
    return render(
        request,
        "competencies/round_form.html",
        {"organisation": organisation, "form": form, "has_people": bool(choices)},
    )


@login_required
def round_detail(request: HttpRequest, org_slug: str, round_uuid: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN, Role.MANAGER)
    access = access_round(request.user, organisation, round_uuid)
    return render(
        request,
        "competencies/round_detail.html",
        {
            "organisation": organisation,
            "round": access.round,
            "access": access,
            "overview": round_overview(request.user, access),
        },
    )


@login_required
@require_POST
def round_close(request: HttpRequest, org_slug: str, round_uuid: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN, Role.MANAGER)
    access = access_round(request.user, organisation, round_uuid)
    if not access.sees_all:
        raise Http404
    try:
        services.round_close(actor=request.user, assessment_round=access.round)
    except services.CompetencyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The round is closed."))
    return redirect("competencies:round-detail", organisation.slug, access.round.uuid)


@login_required
def round_self(request: HttpRequest, org_slug: str, round_uuid: str) -> HttpResponse:
    """A participant rates themselves on every competency of the round's profile."""
    organisation = access_organisation(request.user, org_slug)
    participant = access_round_participation(request.user, organisation, round_uuid)
    assessment_round = participant.round
    items = profile_levels(assessment_round.profile)
    earlier = latest_round_ratings(assessment_round, request.user, RaterRole.SELF)
    is_open = assessment_round.closed_at is None
    form = LevelsForm(
        request.POST if request.method == "POST" and is_open else None,
        items=items,
        initial_levels=earlier,
    )
    if request.method == "POST" and is_open and form.is_valid():
        try:
            services.round_self_assess(
                actor=request.user, assessment_round=assessment_round, ratings=form.ratings()
            )
        except services.CompetencyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your ratings are saved. You can change them until the round is closed."),
            )
            return redirect("competencies:round-self", organisation.slug, assessment_round.uuid)
    return render(
        request,
        "competencies/round_self.html",
        {
            "organisation": organisation,
            "round": assessment_round,
            "participant": participant,
            "form": form,
            "rows": form.rows(),
            "is_open": is_open,
        },
    )


@login_required
def round_validate(
    request: HttpRequest, org_slug: str, round_uuid: str, person_uuid: str
) -> HttpResponse:
    """The manager's form for one participant: their self-rating beside each competency, the
    manager's level prefilled with it."""
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN, Role.MANAGER)
    access = access_round(request.user, organisation, round_uuid)
    participant = access_round_person(access, request.user, person_uuid)
    assessment_round, person = access.round, participant.person
    items = profile_levels(assessment_round.profile)
    self_ratings = latest_round_ratings(assessment_round, person, RaterRole.SELF)
    validated = latest_round_ratings(assessment_round, person, RaterRole.MANAGER)
    is_open = assessment_round.closed_at is None
    form = LevelsForm(
        request.POST if request.method == "POST" and is_open else None,
        items=items,
        initial_levels={**self_ratings, **validated},
    )
    if request.method == "POST" and is_open and form.is_valid():
        try:
            services.round_validate(
                actor=request.user,
                assessment_round=assessment_round,
                person=person,
                ratings=form.ratings(),
            )
        except services.CompetencyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The levels of %(name)s are validated.") % {"name": person.display_name},
            )
            return redirect("competencies:round-detail", organisation.slug, assessment_round.uuid)
    return render(
        request,
        "competencies/round_validate.html",
        {
            "organisation": organisation,
            "round": assessment_round,
            "participant": participant,
            "person": person,
            "form": form,
            "rows": form.rows(self_ratings),
            "is_open": is_open,
        },
    )
