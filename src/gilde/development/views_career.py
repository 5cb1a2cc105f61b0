"""Career plans by a job coach: the caseload, a case opened with consent asked, the plan's parts,
steps, progress notes, closing, and a page to print for the conversation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gilde.development import services_career
from gilde.development.access import CareerAccess, access_career_plan
from gilde.development.forms import (
    CareerCloseForm,
    CareerForm,
    CareerNoteForm,
    CareerStartForm,
    CareerStepForm,
)
from gilde.development.models import CareerPlan, CareerStatus
from gilde.development.monitoring import coach_caseload
from gilde.development.services import DevelopmentError
from gilde.development.services_career import CAREER_FIELDS
from gilde.tenancy.access import standing_of
from gilde.tenancy.models import CoachAssignment


def _parts(plan: CareerPlan) -> list[tuple[Any, str]]:
    """(label, text) of each part of the plan, in the order of the conversation."""
    return [
        (getattr(CareerPlan._meta.get_field(name), "verbose_name", name), getattr(plan, name))
        for name in CAREER_FIELDS
    ]


def _coachees_without_plan(actor: Any) -> list[tuple[str, str, CoachAssignment]]:
    from django.db.models import Q
    from django.utils import timezone

    today = timezone.localdate()
    open_plans = CareerPlan.objects.filter(
        coach=actor, status__in=[CareerStatus.AWAITING_CONSENT, CareerStatus.ACTIVE]
    ).values("person_id")
    assignments = (
        CoachAssignment.objects.filter(
            Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today)
        )
        .filter(coach=actor)
        .exclude(person=actor)
        .exclude(person_id__in=open_plans)
        .select_related("person", "network")
        .order_by("person__sort_key")
    )
    return [(f"{a.pk}", f"{a.person.display_name} ({a.network.name})", a) for a in assignments]


@login_required
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    if not standing_of(request.user).coached_networks():
        raise Http404
    choices = _coachees_without_plan(request.user)
    return render(
        request,
        "development/caseload.html",
        {
            "plans": coach_caseload(request.user),
            "start_form": CareerStartForm(people=[(k, label) for k, label, _a in choices])
            if choices
            else None,
        },
    )


@login_required
@require_POST
def career_start(request: HttpRequest) -> HttpResponse:
    choices = _coachees_without_plan(request.user)
    form = CareerStartForm(request.POST, people=[(k, label) for k, label, _a in choices])
    if not form.is_valid():
        messages.error(request, _("Choose someone from the list."))
        return redirect("development:caseload")
    assignment = next(a for k, _label, a in choices if k == form.cleaned_data["person"])
    try:
        plan = services_career.career_plan_start(
            actor=request.user, person=assignment.person, network=assignment.network
        )
    except DevelopmentError as error:
        messages.error(request, str(error))
        return redirect("development:caseload")
    messages.success(
        request,
        _("%(name)s is asked for consent. You can write the plan once they have said yes.")
        % {"name": assignment.person.display_name},
    )
    return redirect("development:career", plan.uuid)


def _detail(request: HttpRequest, access: CareerAccess, **forms: Any) -> HttpResponse:
    plan = access.plan
    context: dict[str, Any] = {
        "access": access,
        "plan": plan,
        "statuses": CareerStatus,
        "fields": _parts(plan),
    }
    if access.sees_content:
        context["steps"] = list(plan.steps.all())
        context["notes"] = list(plan.notes.all())
    if access.may_write:
        context["form"] = forms.get("form") or CareerForm(
            initial={
                "intake_date": plan.intake_date,
                **{n: getattr(plan, n) for n in CAREER_FIELDS},
            }
        )
        context["step_form"] = forms.get("step_form") or CareerStepForm()
        context["note_form"] = forms.get("note_form") or CareerNoteForm()
    return render(request, "development/career_detail.html", context)


@login_required
@require_GET
def career_detail(request: HttpRequest, career_uuid: str) -> HttpResponse:
    return _detail(request, access_career_plan(request.user, career_uuid))


@login_required
@require_POST
def career_consent(request: HttpRequest, career_uuid: str) -> HttpResponse:
    access = access_career_plan(request.user, career_uuid)
    if not access.as_person:
        raise Http404
    give = request.POST.get("consent") == "give"
    try:
        if give:
            services_career.career_consent_give(actor=request.user, plan=access.plan)
        else:
            services_career.career_consent_withdraw(actor=request.user, plan=access.plan)
    except DevelopmentError as error:
        messages.error(request, str(error))
    else:
        if give:
            messages.success(request, _("Thank you. Your coach can now write the plan with you."))
        else:
            messages.success(
                request,
                _("Your coach no longer sees this plan. What was written stays yours."),
            )
    return redirect("development:career", access.plan.uuid)


@login_required
@require_POST
def career_edit(request: HttpRequest, career_uuid: str) -> HttpResponse:
    access = access_career_plan(request.user, career_uuid, coach=True)
    form = CareerForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services_career.career_plan_update(
                actor=request.user,
                plan=access.plan,
                intake_date=data["intake_date"],
                **{name: data[name] for name in CAREER_FIELDS},
            )
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("development:career", access.plan.uuid)
    return _detail(request, access, form=form)


@login_required
@require_POST
def career_step(request: HttpRequest, career_uuid: str) -> HttpResponse:
    access = access_career_plan(request.user, career_uuid, coach=True)
    form = CareerStepForm(request.POST)
    if form.is_valid():
        try:
            services_career.career_step_add(
                actor=request.user,
                plan=access.plan,
                description=form.cleaned_data["description"],
                due_date=form.cleaned_data["due_date"],
            )
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The step is added."))
            return redirect("development:career", access.plan.uuid)
    return _detail(request, access, step_form=form)


@login_required
@require_POST
def career_step_done(request: HttpRequest, career_uuid: str, step_uuid: str) -> HttpResponse:
    access = access_career_plan(request.user, career_uuid, coach=True)
    step = access.plan.steps.filter(uuid=step_uuid).first()
    if step is None:
        raise Http404
    try:
        services_career.career_step_done(
            actor=request.user, step=step, done=request.POST.get("done") != "0"
        )
    except DevelopmentError as error:
        messages.error(request, str(error))
    return redirect("development:career", access.plan.uuid)


@login_required
@require_POST
def career_note(request: HttpRequest, career_uuid: str) -> HttpResponse:
    access = access_career_plan(request.user, career_uuid, coach=True)
    form = CareerNoteForm(request.POST)
    if form.is_valid():
        try:
            services_career.career_note_add(
                actor=request.user,
                plan=access.plan,
                text=form.cleaned_data["text"],
                written_on=form.cleaned_data["written_on"],
            )
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The note is added."))
            return redirect("development:career", access.plan.uuid)
    return _detail(request, access, note_form=form)


@login_required
def career_close(request: HttpRequest, career_uuid: str) -> HttpResponse:
    access = access_career_plan(request.user, career_uuid, coach=True)
    if not access.may_write:
        return redirect("development:career", access.plan.uuid)
    form = CareerCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services_career.career_plan_close(
                actor=request.user, plan=access.plan, evaluation=form.cleaned_data["evaluation"]
            )
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The plan is closed."))
            return redirect("development:career", access.plan.uuid)
    return render(request, "development/career_close.html", {"plan": access.plan, "form": form})


@login_required
@require_GET
def career_print(request: HttpRequest, career_uuid: str) -> HttpResponse:
    """The plan on paper (or as PDF through the browser's print dialog) for the conversation."""
    access = access_career_plan(request.user, career_uuid)
    if not access.sees_content:
        raise Http404
    plan = access.plan
    return render(
        request,
        "development/career_print.html",
        {
            "plan": plan,
            "fields": _parts(plan),
            "steps": list(plan.steps.all()),
            "notes": list(plan.notes.all()),
        },
    )
