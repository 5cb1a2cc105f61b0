"""Check-ins: planning a conversation, the questions that support it, notes with explicit
visibility, follow-up actions that land in the plan; an organisation's own questions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gilde.development import services
from gilde.development.access import access_check_in, led_people, partners_of
from gilde.development.forms import CheckInForm, FollowUpForm, NoteForm, PromptsForm
from gilde.development.models import CheckIn, CheckInPrompt, CheckInStatus
from gilde.development.prompts import DEFAULT_PROMPTS
from gilde.development.selectors import check_in_page
from gilde.tenancy.access import access_organisation
from gilde.tenancy.models import Network, Organisation, Role

DevelopmentError = services.DevelopmentError


@dataclass(frozen=True)
class Pair:
    person: Any
    leader: Any
    organisation: Organisation | None
    network: Network | None


def _pairs(actor: Any) -> list[tuple[str, str, Pair]]:
    """Everyone the actor can hold a check-in with, as (key, label, pair): their managers and
    coaches, and the people they manage or coach."""
    pairs: list[tuple[str, str, Pair]] = []
    for p in partners_of(actor):
        if p.organisation is not None:
            label = _("%(name)s, your manager at %(org)s") % {
                "name": p.leader.display_name,
                "org": p.organisation.name,
            }
        else:
            label = _("%(name)s, your coach in %(network)s") % {
                "name": p.leader.display_name,
                "network": p.network.name if p.network else "",
            }
        pairs.append((f"with-{p.key}", label, Pair(actor, p.leader, p.organisation, p.network)))
    for p in led_people(actor):
        if p.organisation is not None:
            label = _("%(name)s, whom you manage at %(org)s") % {
                "name": p.leader.display_name,
                "org": p.organisation.name,
            }
        else:
            label = _("%(name)s, whom you coach in %(network)s") % {
                "name": p.leader.display_name,
                "network": p.network.name if p.network else "",
            }
        pairs.append((f"lead-{p.key}", label, Pair(p.leader, actor, p.organisation, p.network)))
    return pairs


@login_required
def check_in_create(request: HttpRequest) -> HttpResponse:
    pairs = _pairs(request.user)
    initial: dict[str, Any] = {}
    wanted = request.GET.get("person", "")
    for key, _label, pair in pairs:
        if wanted and str(pair.person.uuid) == wanted:
            initial["partner"] = key
            break
    form = CheckInForm(
        request.POST if request.method == "POST" else None, pairs=pairs, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        pair = form.cleaned_data["pair"]
        try:
            check_in = services.check_in_plan(
                actor=request.user,
                person=pair.person,
                leader=pair.leader,
                organisation=pair.organisation,
                network=pair.network,
                scheduled_for=form.cleaned_data.get("scheduled_for"),
                ad_hoc=form.cleaned_data["ad_hoc"],
            )
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            if check_in.ad_hoc:
                messages.success(request, _("The check-in is recorded. Write your notes below."))
            else:
                messages.success(
                    request, _("The check-in is planned. The other person gets an e-mail.")
                )
            return redirect("development:check-in", check_in.uuid)
    return render(
        request, "development/check_in_form.html", {"form": form, "has_pairs": bool(pairs)}
    )


def _page(request: HttpRequest, check_in: CheckIn, **extra: Any) -> HttpResponse:
    page = check_in_page(request.user, check_in)
    context = {
        "check_in": check_in,
        "page": page,
        "is_leader": request.user.pk == check_in.leader_id,
        "other": check_in.person if request.user.pk == check_in.leader_id else check_in.leader,
        "note_form": NoteForm(),
        "follow_up_form": FollowUpForm(goals=page.goals) if page.goals else None,
        "statuses": CheckInStatus,
        **extra,
    }
    return render(request, "development/check_in_detail.html", context)


@login_required
@require_GET
def check_in_detail(request: HttpRequest, check_in_uuid: str) -> HttpResponse:
    return _page(request, access_check_in(request.user, check_in_uuid))


@login_required
@require_POST
def check_in_note(request: HttpRequest, check_in_uuid: str) -> HttpResponse:
    check_in = access_check_in(request.user, check_in_uuid)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note = services.check_in_note_add(
                actor=request.user,
                check_in=check_in,
                text=form.cleaned_data["text"],
                visibility=form.cleaned_data["visibility"],
            )
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            if note.visibility == "private":
                messages.success(request, _("Your private note is saved. Only you can read it."))
            else:
                messages.success(
                    request, _("Your note is saved. You and the other person can read it.")
                )
            return redirect("development:check-in", check_in.uuid)
    return _page(request, check_in, note_form=form)


@login_required
@require_POST
def check_in_held(request: HttpRequest, check_in_uuid: str) -> HttpResponse:
    check_in = access_check_in(request.user, check_in_uuid)
    try:
        services.check_in_mark_held(actor=request.user, check_in=check_in)
    except DevelopmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The check-in is marked as held."))
    return redirect("development:check-in", check_in.uuid)


@login_required
@require_POST
def check_in_cancel(request: HttpRequest, check_in_uuid: str) -> HttpResponse:
    check_in = access_check_in(request.user, check_in_uuid)
    try:
        services.check_in_cancel(actor=request.user, check_in=check_in)
    except DevelopmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The check-in is cancelled."))
    return redirect("development:check-in", check_in.uuid)


@login_required
@require_POST
def check_in_follow_up(request: HttpRequest, check_in_uuid: str) -> HttpResponse:
    check_in = access_check_in(request.user, check_in_uuid)
    page = check_in_page(request.user, check_in)
    form = FollowUpForm(request.POST, goals=page.goals)
    if form.is_valid():
        goal = form.goals.get(form.cleaned_data["goal"])
        if goal is None:
            raise Http404
        try:
            services.check_in_follow_up(
                actor=request.user,
                check_in=check_in,
                goal=goal,
                description=form.cleaned_data["description"],
                due_date=form.cleaned_data["due_date"],
            )
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The action is added to the plan."))
            return redirect("development:check-in", check_in.uuid)
    return _page(request, check_in, follow_up_form=form)


@login_required
def prompts_edit(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN)
    current = list(
        CheckInPrompt.objects.filter(organisation=organisation).values_list("text", flat=True)
    )
    form = PromptsForm(
        request.POST if request.method == "POST" else None,
        initial={"questions": "\n".join(current)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.prompts_save(actor=request.user, organisation=organisation, texts=form.texts())
        except DevelopmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The questions are saved. New check-ins use them."))
            return redirect("development:prompts", organisation.slug)
    return render(
        request,
        "development/prompts_form.html",
        {
            "organisation": organisation,
            "form": form,
            "defaults": [str(p) for p in DEFAULT_PROMPTS],
            "uses_defaults": not current,
        },
    )
