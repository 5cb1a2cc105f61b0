"""Development plans: the learner's own page, writing a plan with goals and actions, asking for
agreement, the manager's comments and agreement, agreed versions, closing with a look back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gilde.development import services
from gilde.development.access import PlanAccess, access_plan
from gilde.development.forms import (
    ActionForm,
    ActionProgressForm,
    CloseForm,
    CommentForm,
    GoalForm,
    GoalStatusForm,
    PlanForm,
)
from gilde.development.models import Goal, PlanAction, PlanStatus
from gilde.development.selectors import (
    ActionRow,
    catalogue_items_for,
    competencies_for,
    competency_choices,
    gap_suggestions,
    my_development,
    plan_page,
)
from gilde.tenancy.access import standing_of

DevelopmentError = services.DevelopmentError


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "development/mine.html",
        {"data": my_development(request.user), "now": timezone.now()},
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    organisations = sorted(standing_of(request.user).organisations.values(), key=lambda o: o.name)
    if not organisations:
        raise Http404
    today = timezone.localdate()
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations,
        initial={
            "period_start": today,
            "period_end": today + dt.timedelta(days=365),
            "title": _("My development plan %(year)s") % {"year": today.year},
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=request.user,
                organisation=data["organisation"],
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                learning_question=data["learning_question"],
            )
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your plan is started. Now add one to five goals."))
            return redirect("development:plan", plan.uuid)
    return render(request, "development/plan_form.html", {"form": form, "plan": None})


@login_required
@require_GET
def plan_detail(request: HttpRequest, plan_uuid: str) -> HttpResponse:
    access = access_plan(request.user, plan_uuid)
    page = plan_page(request.user, access.plan)
    suggestions = []
    if access.may_write:
        suggestions = gap_suggestions(access.plan.person)
    return render(
        request,
        "development/plan_detail.html",
        {
            "access": access,
            "plan": access.plan,
            "page": page,
            "suggestions": suggestions,
            "comment_form": CommentForm(),
            "statuses": PlanStatus,
            "progress_choices": ActionProgressForm().fields["status"].choices,  # type: ignore[attr-defined]
            "goal_choices": GoalStatusForm().fields["status"].choices,  # type: ignore[attr-defined]
        },
    )


def _back(access: PlanAccess) -> HttpResponse:
    return redirect("development:plan", access.plan.uuid)


@login_required
def plan_edit(request: HttpRequest, plan_uuid: str) -> HttpResponse:
    access = access_plan(request.user, plan_uuid, own=True)
    plan = access.plan
    if plan.is_closed:
        messages.error(request, _("This plan is closed; it can no longer be changed."))
        return _back(access)
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        initial={
            "title": plan.title,
            "period_start": plan.period_start,
            "period_end": plan.period_end,
            "learning_question": plan.learning_question,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        was = plan.status
        try:
            services.plan_update(
                actor=request.user,
                plan=plan,
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                learning_question=data["learning_question"],
            )
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            _saved(request, was)
            return _back(access)
    return render(request, "development/plan_form.html", {"form": form, "plan": plan})


def _saved(request: HttpRequest, was: str) -> None:
    if was in (PlanStatus.SUBMITTED, PlanStatus.AGREED):
        messages.success(
            request,
            _(
                "Saved. Because the plan changed, it is a draft again: ask for agreement when "
                "you are ready. The agreed version stays in the history."
            ),
        )
    else:
        messages.success(request, _("Saved."))


def _goal_of(access: PlanAccess, goal_uuid: str) -> Goal:
    goal = access.plan.goals.filter(uuid=goal_uuid).first()
    if goal is None:
        raise Http404
    return goal


def _goal_form(request: HttpRequest, access: PlanAccess, goal: Goal | None) -> HttpResponse:
    plan = access.plan
    person = plan.person
    initial: dict[str, Any] = {"due_date": plan.period_end}
    if goal is not None:
        initial = {
            "what": goal.what,
            "why": goal.why,
            "how_i_know": goal.how_i_know,
            "due_date": goal.due_date,
        }
        for i, gc in enumerate(goal.competencies.all()[:3], start=1):
            initial[f"competency_{i}"] = gc.competency_id
            initial[f"level_{i}"] = gc.target_level
    else:
        competency = request.GET.get("competency", "")
        level = request.GET.get("level", "")
        if competency.isdigit():
            initial["competency_1"] = int(competency)
        if level.isdigit():
            initial["level_1"] = int(level)
        initial["what"] = request.GET.get("what", "")[:300]
    form = GoalForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        choices=competency_choices(person),
        competencies=competencies_for(person),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        was = plan.status
        try:
            services.goal_save(
                actor=request.user,
                plan=plan,
                goal=goal,
                what=data["what"],
                why=data["why"],
                how_i_know=data["how_i_know"],
                due_date=data["due_date"],
                competencies=data["competencies"],
            )
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            _saved(request, was)
            return _back(access)
    return render(request, "development/goal_form.html", {"form": form, "plan": plan, "goal": goal})


@login_required
def goal_create(request: HttpRequest, plan_uuid: str) -> HttpResponse:
    access = access_plan(request.user, plan_uuid, own=True)
    if not access.may_write:
        raise Http404
    return _goal_form(request, access, None)


@login_required
def goal_edit(request: HttpRequest, plan_uuid: str, goal_uuid: str) -> HttpResponse:
    access = access_plan(request.user, plan_uuid, own=True)
    if not access.may_write:
        raise Http404
    return _goal_form(request, access, _goal_of(access, goal_uuid))


@login_required
@require_POST
def goal_delete(request: HttpRequest, plan_uuid: str, goal_uuid: str) -> HttpResponse:
    access = access_plan(request.user, plan_uuid, own=True)
    goal = _goal_of(access, goal_uuid)
    was = access.plan.status
    try:
        services.goal_delete(actor=request.user, goal=goal)
    except DevelopmentError as error:
        messages.error(request, str(error))
    else:
        _saved(request, was)
    return _back(access)


@login_required
@require_POST
def goal_status(request: HttpRequest, plan_uuid: str, goal_uuid: str) -> HttpResponse:
    access = access_plan(request.user, plan_uuid, own=True)
    goal = _goal_of(access, goal_uuid)
    form = GoalStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return _back(access)
    try:
        services.goal_status_set(actor=request.user, goal=goal, status=form.cleaned_data["status"])
    except DevelopmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The goal's status is saved."))
    return _back(access)


def _action_of(access: PlanAccess, action_uuid: str) -> PlanAction:
    action = (
        PlanAction.objects.filter(goal__plan=access.plan, uuid=action_uuid)
        .select_related("goal", "catalogue_item")
        .first()
    )
    if action is None:
        raise Http404
    return action


def _action_form(
    request: HttpRequest, access: PlanAccess, goal: Goal, action: PlanAction | None
) -> HttpResponse:
    initial: dict[str, Any] = {}
    if action is not None:
        initial = {
            "kind": action.kind,
            "description": action.description,
            "catalogue_item": action.catalogue_item_id,
            "due_date": action.due_date,
        }
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        items=catalogue_items_for(access.plan.person),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        was = access.plan.status
        try:
            services.action_save(
                actor=request.user,
                goal=goal,
                action=action,
                kind=data["kind"],
                description=data["description"],
                catalogue_item=data["catalogue_item"],
                due_date=data["due_date"],
            )
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            _saved(request, was)
            return _back(access)
    return render(
        request,
        "development/action_form.html",
        {"form": form, "plan": access.plan, "goal": goal, "action": action},
    )


@login_required
def action_create(request: HttpRequest, plan_uuid: str, goal_uuid: str) -> HttpResponse:
    access = access_plan(request.user, plan_uuid, own=True)
    if not access.may_write:
        raise Http404
    return _action_form(request, access, _goal_of(access, goal_uuid), None)


@login_required
def action_edit(request: HttpRequest, plan_uuid: str, action_uuid: str) -> HttpResponse:
    access = access_plan(request.user, plan_uuid, own=True)
    if not access.may_write:
        raise Http404
    action = _action_of(access, action_uuid)
    return _action_form(request, access, action.goal, action)


@login_required
@require_POST
def action_delete(request: HttpRequest, plan_uuid: str, action_uuid: str) -> HttpResponse:
    access = access_plan(request.user, plan_uuid, own=True)
    action = _action_of(access, action_uuid)
    was = access.plan.status
    try:
        services.action_delete(actor=request.user, action=action)
    except DevelopmentError as error:
        messages.error(request, str(error))
    else:
        _saved(request, was)
    return _back(access)


@login_required
@require_POST
def action_progress(request: HttpRequest, plan_uuid: str, action_uuid: str) -> HttpResponse:
    """Progress of one action. An htmx request gets the row back; a normal one a redirect."""
    access = access_plan(request.user, plan_uuid, own=True)
    action = _action_of(access, action_uuid)
    form = ActionProgressForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            action = services.action_progress_set(
                actor=request.user, action=action, status=form.cleaned_data["status"]
            )
        except DevelopmentError as problem:
            error = str(problem)
    else:
        error = _("Choose how far you are.")
    if _is_htmx(request):
        row = ActionRow(action=action, enrolment=None, today=timezone.localdate())
        return render(
            request,
            "development/fragment_action_progress.html",
            {
                "row": row,
                "plan": access.plan,
                "access": access,
                "error": error,
                "progress_choices": ActionProgressForm().fields["status"].choices,  # type: ignore[attr-defined]
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Progress saved."))
    return _back(access)


@login_required
@require_POST
def plan_submit(request: HttpRequest, plan_uuid: str) -> HttpResponse:
    access = access_plan(request.user, plan_uuid, own=True)
    try:
        services.plan_submit(actor=request.user, plan=access.plan)
    except DevelopmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your plan is sent to your manager, who reads it, may comment and agrees it."),
        )
    return _back(access)


@login_required
@require_POST
def plan_comment(request: HttpRequest, plan_uuid: str) -> HttpResponse:
    access = access_plan(request.user, plan_uuid)
    if not (access.own or access.leads):
        raise Http404
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment first."))
        return _back(access)
    try:
        services.plan_comment_add(
            actor=request.user, plan=access.plan, text=form.cleaned_data["text"]
        )
    except DevelopmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your comment is added."))
    return _back(access)


@login_required
@require_POST
def plan_agree(request: HttpRequest, plan_uuid: str) -> HttpResponse:
    access = access_plan(request.user, plan_uuid, lead=True)
    try:
        revision = services.plan_agree(actor=request.user, plan=access.plan)
    except DevelopmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The plan is agreed. This version is kept as version %(n)s.")
            % {"n": revision.number},
        )
    return _back(access)


@login_required
def plan_close(request: HttpRequest, plan_uuid: str) -> HttpResponse:
    access = access_plan(request.user, plan_uuid, own=True)
    if access.plan.is_closed:
        return _back(access)
    form = CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_close(
                actor=request.user, plan=access.plan, reflection=form.cleaned_data["reflection"]
            )
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The plan is closed. Well done for looking back."))
            return _back(access)
    return render(request, "development/plan_close.html", {"form": form, "plan": access.plan})


@login_required
@require_GET
def plan_revision(request: HttpRequest, plan_uuid: str, revision_number: int) -> HttpResponse:
    access = access_plan(request.user, plan_uuid)
    revision = (
        access.plan.revisions.filter(number=revision_number).select_related("agreed_by").first()
    )
    if revision is None:
        raise Http404
    return render(
        request,
        "development/plan_revision.html",
        {"plan": access.plan, "revision": revision, "snapshot": revision.snapshot},
    )
