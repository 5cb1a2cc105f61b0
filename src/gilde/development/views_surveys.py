"""Needs analysis: making and sending a survey, answering it (in the app, or with the e-mailed
link on a phone without logging in for an anonymous survey), the report with its heatmap and
export, and needs turned into proposals for a shared offering."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gilde.development import charts, services_surveys
from gilde.development.access import (
    access_offering_proposal,
    access_own_invitation,
    access_survey,
    invitation_by_token,
    surveys_run_by,
)
from gilde.development.forms import (
    AnswerForm,
    LaunchForm,
    ProposalForm,
    ProposalLinkForm,
    SurveyForm,
)
from gilde.development.models import Survey, SurveyInvitation, SurveyStatus
from gilde.development.selectors import framework_categories, frameworks_for_survey
from gilde.development.services import DevelopmentError
from gilde.development.survey_report import EXPORT_FORMATS, report_export, survey_report
from gilde.learning.access import items_visible_to
from gilde.learning.models import ItemStatus
from gilde.tenancy.access import access_network, access_organisation
from gilde.tenancy.models import NetworkMembership, NetworkMembershipStatus, Organisation, Role


@login_required
@require_GET
def organisation_surveys(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN)
    return render(
        request,
        "development/survey_list.html",
        {
            "organisation": organisation,
            "surveys": surveys_run_by(request.user).filter(organisation=organisation),
        },
    )


@login_required
@require_GET
def network_surveys(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = access_network(request.user, network_slug, coordinator=True)
    return render(
        request,
        "development/survey_list.html",
        {"network": network, "surveys": surveys_run_by(request.user).filter(network=network)},
    )


def _create(request: HttpRequest, *, organisation: Any = None, network: Any = None) -> HttpResponse:
    frameworks = frameworks_for_survey(request.user, organisation=organisation, network=network)
    form = SurveyForm(request.POST if request.method == "POST" else None, frameworks=frameworks)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services_surveys.survey_create(
                actor=request.user,
                title=data["title"],
                introduction=data["introduction"],
                framework=data["framework"],
                category=data["category"].strip(),
                mode=data["mode"],
                closes_on=data["closes_on"],
                open_questions=form.questions(),
                organisation=organisation,
                network=network,
            )
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The survey is ready. Check it, then send it."))
            return redirect("development:survey", survey.uuid)
    categories = {f.name: framework_categories(f) for f in frameworks}
    return render(
        request,
        "development/survey_form.html",
        {
            "form": form,
            "organisation": organisation,
            "network": network,
            "categories": categories,
            "has_frameworks": frameworks.exists(),
        },
    )


@login_required
def organisation_survey_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN)
    return _create(request, organisation=organisation)


@login_required
def network_survey_create(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = access_network(request.user, network_slug, coordinator=True)
    return _create(request, network=network)


def _launch_form(survey: Survey, data: Any = None) -> LaunchForm:
    if survey.network_id is not None:
        members = NetworkMembership.objects.filter(
            network_id=survey.network_id, status=NetworkMembershipStatus.APPROVED
        ).values("organisation_id")
        return LaunchForm(
            data, organisations=Organisation.objects.filter(pk__in=members).order_by("name")
        )
    assert survey.organisation is not None
    return LaunchForm(data, teams=survey.organisation.teams.order_by("name"))


@login_required
@require_GET
def survey_detail(request: HttpRequest, survey_uuid: str) -> HttpResponse:
    survey = access_survey(request.user, survey_uuid)
    invited = SurveyInvitation.objects.filter(survey=survey)
    return render(
        request,
        "development/survey_detail.html",
        {
            "survey": survey,
            "competencies": services_surveys.survey_competencies(survey),
            "invited": invited.count(),
            "answered": invited.filter(answered=True).count(),
            "launch_form": _launch_form(survey) if survey.status == SurveyStatus.DRAFT else None,
            "proposals": survey.proposals.select_related("catalogue_item"),
        },
    )


@login_required
@require_POST
def survey_launch(request: HttpRequest, survey_uuid: str) -> HttpResponse:
    survey = access_survey(request.user, survey_uuid)
    form = _launch_form(survey, request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose from the lists."))
        return redirect("development:survey", survey.uuid)
    invitees = services_surveys.survey_audience(
        survey,
        organisations=form.cleaned_data.get("organisations") or [],
        team=form.cleaned_data.get("team"),
    )
    try:
        count = services_surveys.survey_launch(actor=request.user, survey=survey, invitees=invitees)
    except DevelopmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The survey is sent to %(n)s people.") % {"n": count},
        )
    return redirect("development:survey", survey.uuid)


@login_required
@require_POST
def survey_remind(request: HttpRequest, survey_uuid: str) -> HttpResponse:
    survey = access_survey(request.user, survey_uuid)
    try:
        count = services_surveys.survey_remind(actor=request.user, survey=survey)
    except DevelopmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("A reminder is sent to %(n)s people.") % {"n": count})
    return redirect("development:survey", survey.uuid)


@login_required
@require_POST
def survey_close(request: HttpRequest, survey_uuid: str) -> HttpResponse:
    survey = access_survey(request.user, survey_uuid)
    try:
        services_surveys.survey_close(actor=request.user, survey=survey)
    except DevelopmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The survey is closed. The report is final."))
    return redirect("development:survey", survey.uuid)


@login_required
@require_GET
def survey_report_view(request: HttpRequest, survey_uuid: str) -> HttpResponse:
    survey = access_survey(request.user, survey_uuid)
    report = survey_report(survey, viewer_sees_names=not survey.is_anonymous)
    context: dict[str, Any] = {"survey": survey, "report": report}
    if not report.too_small:
        context["heatmap"] = charts.heatmap(chart_id="needs-heatmap", report=report)
        context["ways_chart"] = charts.count_bars(
            chart_id="ways-chart",
            title=_("How people like to learn"),
            rows=[(label, n) for _code, label, n in report.ways],
            total=report.responses,
        )
        context["hours_chart"] = charts.count_bars(
            chart_id="hours-chart",
            title=_("Time a week for learning"),
            rows=[(label, n) for _code, label, n in report.hours],
            total=report.responses,
        )
        context["proposal_form"] = ProposalForm(
            codes=[(c.code, f"{c.code} {c.name}") for c in report.competencies]
        )
    return render(request, "development/survey_report.html", context)


@login_required
@require_GET
def survey_export(request: HttpRequest, survey_uuid: str, fmt: str) -> HttpResponse:
    survey = access_survey(request.user, survey_uuid)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    report = survey_report(survey)
    content, content_type, filename = report_export(report, fmt)
    services_surveys.survey_export_record(actor=request.user, survey=survey, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- answering ------------------------------------------------------------------------------------


def _answer(request: HttpRequest, invitation: SurveyInvitation, *, public: bool) -> HttpResponse:
    survey = invitation.survey
    template = "development/survey_answer.html"
    closed = services_surveys.survey_closed_message(survey)
    if closed:
        return render(request, template, {"survey": survey, "closed": closed}, status=410)
    if invitation.answered:
        return render(
            request,
            template,
            {"survey": survey, "done": str(services_surveys.ALREADY_ANSWERED)},
        )
    competencies = services_surveys.survey_competencies(survey)
    levels = list(survey.version.levels.order_by("value").values_list("value", "label"))
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        competencies=competencies,
        levels=levels,
        open_questions=list(survey.open_questions),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_surveys.survey_answer(invitation=invitation, answers=form.answers())
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            return render(
                request,
                template,
                {"survey": survey, "thanks": True, "public": public},
            )
    return render(
        request,
        template,
        {"survey": survey, "form": form, "public": public, "levels": levels},
    )


@login_required
def survey_answer(request: HttpRequest, survey_uuid: str) -> HttpResponse:
    return _answer(request, access_own_invitation(request.user, survey_uuid), public=False)


def survey_link(request: HttpRequest, survey_token: str) -> HttpResponse:
    """The e-mailed link of an anonymous survey: the token is the key, no log-in needed."""
    return _answer(request, invitation_by_token(survey_token), public=True)


# --- proposals for a shared offering --------------------------------------------------------------


@login_required
@require_POST
def offering_create(request: HttpRequest, survey_uuid: str) -> HttpResponse:
    survey = access_survey(request.user, survey_uuid)
    form = ProposalForm(
        request.POST,
        codes=[(c, c) for c in survey.codes],
    )
    if not form.is_valid():
        messages.error(request, _("Choose a competency and say what could be offered."))
        return redirect("development:survey-report", survey.uuid)
    try:
        services_surveys.offering_propose(
            actor=request.user,
            survey=survey,
            code=form.cleaned_data["code"],
            title=form.cleaned_data["title"],
            note=form.cleaned_data["note"],
        )
    except DevelopmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The proposal is added to the survey's page."))
    return redirect("development:survey", survey.uuid)


@login_required
def offering_link(request: HttpRequest, offering_uuid: str) -> HttpResponse:
    proposal = access_offering_proposal(request.user, offering_uuid)
    items = items_visible_to(request.user).filter(status=ItemStatus.PUBLISHED).order_by("title")
    form = ProposalLinkForm(request.POST if request.method == "POST" else None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            services_surveys.offering_link(
                actor=request.user,
                proposal=proposal,
                item=form.cleaned_data["item"],
                drop=form.cleaned_data["drop"],
            )
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The proposal is saved."))
            return redirect("development:survey", proposal.survey.uuid)
    return render(request, "development/offering_link.html", {"proposal": proposal, "form": form})
