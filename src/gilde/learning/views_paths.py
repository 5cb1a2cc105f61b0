"""Pages of learning paths and cohorts. Objects come through paths_admin's gateway functions
(access_path, access_cohort) and tenancy.access; changes go through paths_admin's services."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde.learning import paths_admin, selectors, selectors_paths
from gilde.learning.access import item_owners_for
from gilde.learning.charts import completion_chart
from gilde.learning.forms import SelfEnrolForm
from gilde.learning.forms_paths import (
    CohortForm,
    CohortMembersForm,
    PacingForm,
    PathForm,
    StepAddForm,
    TeamPathEnrolForm,
)
from gilde.learning.models import ItemStatus, LearningPath, PathStep
from gilde.learning.services import LearningError

# --- paths --------------------------------------------------------------------------------------


@login_required
def path_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "learning/path_list.html",
        {
            "paths": selectors_paths.path_list(request.user),
            "can_create": bool(item_owners_for(request.user)),
        },
    )


@login_required
def path_create(request: HttpRequest) -> HttpResponse:
    owners = item_owners_for(request.user)
    if not owners:
        raise Http404
    form = PathForm(request.POST if request.method == "POST" else None, owners=owners)
    if request.method == "POST" and form.is_valid():
        owner = form.chosen_owner()
        try:
            if owner is None:
                raise LearningError(_("Choose for whom the path is."))
            path = paths_admin.path_create(
                actor=request.user,
                fields=form.path_fields(),
                organisation=owner.organisation,
                network=owner.network,
            )
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The path is saved as a draft. Now add its steps."))
            return redirect("learning:path-steps", path.uuid)
    return render(request, "learning/path_form.html", {"form": form, "path": None})


@login_required
def path_edit(request: HttpRequest, path_uuid: str) -> HttpResponse:
    path = paths_admin.access_path(request.user, path_uuid, edit=True)
    original = LearningPath.objects.get(pk=path.pk)
    form = PathForm(request.POST if request.method == "POST" else None, instance=original)
    if request.method == "POST" and form.is_valid():
        try:
            paths_admin.path_update(actor=request.user, path=path, fields=form.path_fields())
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("learning:path-detail", path.uuid)
    return render(request, "learning/path_form.html", {"form": form, "path": path})


@login_required
def path_detail(request: HttpRequest, path_uuid: str) -> HttpResponse:
    path = paths_admin.access_path(request.user, path_uuid)
    return render(
        request,
        "learning/path_detail.html",
        {
            "path": path,
            "page": selectors_paths.path_page(request.user, path),
            "enrol_form": SelfEnrolForm(),
        },
    )


def _step_choices(path: LearningPath) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    items = paths_admin.step_items_for(path).exclude(status=ItemStatus.ARCHIVED).order_by("title")
    paths = paths_admin.step_paths_for(path).exclude(status=ItemStatus.ARCHIVED).order_by("title")
    return (
        [(f"item:{i.uuid}", f"{i.title} ({i.get_kind_display()})") for i in items],
        [(f"path:{p.uuid}", p.title) for p in paths],
    )


def _step_of(path: LearningPath, key: str) -> PathStep | None:
    try:
        return PathStep.objects.filter(path=path, uuid=uuid.UUID(key)).first()
    except ValueError:
        return None


@login_required
def path_steps(request: HttpRequest, path_uuid: str) -> HttpResponse:
    """The step editor: add an item or a path, make a step required or optional, move it,
    remove it. Every action is a POST with a clear message; a refused one changes nothing."""
    path = paths_admin.access_path(request.user, path_uuid, edit=True)
    items, paths = _step_choices(path)
    adding = request.method == "POST" and request.POST.get("action") == "add"
    form = StepAddForm(request.POST if adding else None, items=items, paths=paths)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add":
                if form.is_valid():
                    kind, _sep, key = form.cleaned_data["step"].partition(":")
                    item = (
                        paths_admin.step_items_for(path).filter(uuid=key).first()
                        if kind == "item"
                        else None
                    )
                    included = (
                        paths_admin.step_paths_for(path).filter(uuid=key).first()
                        if kind == "path"
                        else None
                    )
                    if item is None and included is None:
                        raise LearningError(_("Choose an item or a path from the list."))
                    paths_admin.path_step_add_checked(
                        actor=request.user,
                        path=path,
                        item=item,
                        included_path=included,
                        required=form.cleaned_data["required"],
                    )
                    messages.success(request, _("The step is added."))
                    return redirect("learning:path-steps", path.uuid)
            else:
                step = _step_of(path, request.POST.get("step", ""))
                if step is None:
                    raise LearningError(_("This step is not part of the path."))
                if action == "remove":
                    paths_admin.path_step_remove(actor=request.user, path=path, step=step)
                    messages.success(request, _("The step is removed."))
                elif action in ("required", "optional"):
                    paths_admin.path_step_change(
                        actor=request.user, path=path, step=step, required=action == "required"
                    )
                    messages.success(request, _("The step is changed."))
                elif action in ("up", "down"):
                    paths_admin.path_step_change(
                        actor=request.user, path=path, step=step, move=-1 if action == "up" else 1
                    )
                else:
                    raise LearningError(_("Choose what to do with the step."))
                return redirect("learning:path-steps", path.uuid)
        except LearningError as error:
            form.add_error(None, str(error))
    return render(
        request,
        "learning/path_steps.html",
        {"path": path, "form": form, "steps": selectors_paths.steps_of(path)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def path_publish(request: HttpRequest, path_uuid: str) -> HttpResponse:
    path = paths_admin.access_path(request.user, path_uuid, edit=True)
    try:
        paths_admin.path_publish(actor=request.user, path=path)
    except LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The path is published: people can follow it now."))
    return redirect("learning:path-detail", path.uuid)


@login_required
@require_POST
def path_enrol(request: HttpRequest, path_uuid: str) -> HttpResponse:
    path = paths_admin.access_path(request.user, path_uuid)
    form = SelfEnrolForm(request.POST)
    try:
        if not form.is_valid():
            raise LearningError(_("Give a valid date, or leave it empty."))
        paths_admin.path_enrol_self(
            actor=request.user, path=path, due_date=form.cleaned_data["due_date"]
        )
    except LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("You are enrolled in the path. Its steps are on your home page.")
        )
    return redirect("learning:path-detail", path.uuid)


@login_required
def path_team_enrol(request: HttpRequest, path_uuid: str, org_slug: str) -> HttpResponse:
    organisation = selectors.access_lead_organisation(request.user, org_slug)
    path = paths_admin.access_path(request.user, path_uuid)
    if path.status != ItemStatus.PUBLISHED or not paths_admin.path_reaches_organisation(
        path, organisation
    ):
        raise Http404
    memberships = list(selectors.led_memberships(request.user, organisation))
    by_key = {str(m.uuid): m.person for m in memberships}
    choices = [
        (str(m.uuid), m.person.display_name + (f" — {m.team.name}" if m.team else ""))
        for m in memberships
    ]
    form = TeamPathEnrolForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            result = paths_admin.path_enrol_team(
                actor=request.user,
                path=path,
                organisation=organisation,
                people=[by_key[key] for key in form.cleaned_data["people"]],
                due_date=form.cleaned_data["due_date"],
            )
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            if result.enrolled:
                messages.success(
                    request,
                    _("%(n)d people enrolled.") % {"n": len(result.enrolled)}
                    if len(result.enrolled) != 1
                    else _("1 person enrolled."),
                )
            if result.already:
                messages.info(
                    request,
                    _("Enrolled already: %(names)s.")
                    % {"names": ", ".join(p.display_name for p in result.already)},
                )
            return redirect("learning:path-team", path.uuid, organisation.slug)
    return render(
        request,
        "learning/path_team_enrol.html",
        {"path": path, "organisation": organisation, "form": form},
    )


@login_required
def path_team(request: HttpRequest, path_uuid: str, org_slug: str) -> HttpResponse:
    organisation = selectors.access_lead_organisation(request.user, org_slug)
    path = paths_admin.access_path(request.user, path_uuid)
    if not paths_admin.path_reaches_organisation(path, organisation):
        raise Http404
    progress = selectors_paths.path_team_progress(request.user, path, organisation)
    return render(
        request,
        "learning/path_team.html",
        {
            "path": path,
            "organisation": organisation,
            "progress": progress,
            "chart": _chart(progress.steps, progress.rows, "path-chart"),
        },
    )


def _chart(steps: list[Any], rows: list[Any], chart_id: str) -> str:
    return completion_chart(steps, chart_id=chart_id) if steps and rows else ""


# --- cohorts ------------------------------------------------------------------------------------


def _staff_key(person: Any) -> str:
    return str(person.uuid)


@login_required
def cohort_create(request: HttpRequest, path_uuid: str) -> HttpResponse:
    path = paths_admin.access_path(request.user, path_uuid)
    owners = paths_admin.cohort_owners_for(request.user, path)
    if path.status != ItemStatus.PUBLISHED or not owners:
        raise Http404
    chosen_key = request.POST.get("owner") if request.method == "POST" else owners[0].key
    owner = next((o for o in owners if o.key == chosen_key), owners[0])
    staff = paths_admin.cohort_staff_choices(owner)
    by_key = {_staff_key(p): p for p in staff}
    form = CohortForm(
        request.POST if request.method == "POST" else None,
        owners=[(o.key, o.label) for o in owners],
        staff=[(_staff_key(p), p.display_name) for p in staff],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cohort = paths_admin.cohort_create(
                actor=request.user,
                path=path,
                owner=owner,
                name=data["name"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                coordinator=by_key.get(data["coordinator"] or ""),
                mentors=[by_key[k] for k in data["mentors"]],
            )
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The cohort is made, with a date per step. Now add its members.")
            )
            return redirect("learning:cohort", cohort.uuid)
    return render(request, "learning/cohort_form.html", {"path": path, "form": form})


@login_required
def cohort_detail(request: HttpRequest, cohort_uuid: str) -> HttpResponse:
    cohort = paths_admin.access_cohort(request.user, cohort_uuid)
    sees = paths_admin.sees_cohort_progress(request.user, cohort)
    progress = selectors_paths.cohort_progress(cohort) if sees else None
    return render(
        request,
        "learning/cohort_detail.html",
        {
            "cohort": cohort,
            "progress": progress,
            "can_manage": paths_admin.can_manage_cohort(request.user, cohort),
            "can_add": bool(paths_admin.member_organisations(request.user, cohort)),
            "chart": _chart(progress.steps, progress.rows, "cohort-chart") if progress else "",
        },
    )


@login_required
def cohort_pacing(request: HttpRequest, cohort_uuid: str) -> HttpResponse:
    cohort = paths_admin.access_cohort(request.user, cohort_uuid, manage=True)
    steps = selectors_paths.steps_of(cohort.path, cohort)
    form = PacingForm(
        request.POST if request.method == "POST" else None,
        steps=[(s.step.pk, s.title, s.pacing) for s in steps],
    )
    if request.method == "POST" and form.is_valid():
        try:
            paths_admin.cohort_pacing_set(actor=request.user, cohort=cohort, dates=form.dates())
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The dates are saved."))
            return redirect("learning:cohort", cohort.uuid)
    return render(request, "learning/cohort_pacing.html", {"cohort": cohort, "form": form})


@login_required
def cohort_members(request: HttpRequest, cohort_uuid: str) -> HttpResponse:
    cohort = paths_admin.access_cohort(request.user, cohort_uuid)
    organisations = paths_admin.member_organisations(request.user, cohort)
    if not organisations:
        raise Http404
    memberships = [m for org in organisations for m in selectors.led_memberships(request.user, org)]
    by_key = {str(m.uuid): m for m in memberships}
    several = len(organisations) > 1
    choices = [
        (
            str(m.uuid),
            m.person.display_name + (f" — {m.organisation.name}" if several else ""),
        )
        for m in memberships
    ]
    form = CohortMembersForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            result = paths_admin.cohort_members_add(
                actor=request.user,
                cohort=cohort,
                memberships=[by_key[k] for k in form.cleaned_data["people"]],
            )
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            if result.added:
                messages.success(
                    request,
                    _("%(n)d people added and enrolled in the path.") % {"n": len(result.added)},
                )
            if result.already:
                messages.info(
                    request,
                    _("In the cohort already: %(names)s.")
                    % {"names": ", ".join(p.display_name for p in result.already)},
                )
            return redirect("learning:cohort", cohort.uuid)
    return render(request, "learning/cohort_members.html", {"cohort": cohort, "form": form})
