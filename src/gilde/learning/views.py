"""Pages of the catalogue: search, items, enrolment, completion, the team's progress and
proposals of new levels. Every object comes through the access gateway (learning.access,
tenancy.access); every change through learning.services."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde.competencies.selectors_assess import (
    competency_by_key,
    competency_choices,
    competency_key,
)
from gilde.competencies.services import scale_of
from gilde.learning import selectors, services
from gilde.learning.access import (
    access_enrolment,
    access_item,
    item_owners_for,
)
from gilde.learning.forms import (
    CatalogueFilterForm,
    ItemCompetencyForm,
    ItemForm,
    ProofForm,
    ProposalForm,
    SchoolResultForm,
    SelfEnrolForm,
    SignOffForm,
    TeamEnrolForm,
    WithdrawForm,
)
from gilde.learning.kinds import all_kinds, kind_named
from gilde.learning.models import ItemKind, ItemStatus
from gilde.people.models import Person


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- the catalogue ------------------------------------------------------------------------------


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CatalogueFilterForm(
        request.GET or None,
        competencies=selectors.catalogue_competency_choices(user),
        languages=selectors.catalogue_languages(user),
    )
    filters = selectors.CatalogueFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.CatalogueFilters(**form.cleaned_data)
    page = selectors.catalogue_page(user, filters, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query_string": query.urlencode(),
        "filtered": any(vars(filters).values()),
        "can_create": bool(item_owners_for(user)),
    }
    if _is_htmx(request):
        return render(request, "learning/fragment_catalogue_results.html", context)
    return render(request, "learning/catalogue.html", context)


# --- items --------------------------------------------------------------------------------------


@login_required
def item_create(request: HttpRequest) -> HttpResponse:
    owners = item_owners_for(request.user)
    if not owners:
        raise Http404
    kind = request.GET.get("kind") or request.POST.get("kind") or ""
    if kind not in ItemKind.values:
        return render(request, "learning/item_kind_choose.html", {"kinds": all_kinds()})
    # A kind whose items start elsewhere (a package starts with its upload) sends the author there.
    create_url_name = getattr(kind_named(kind), "create_url_name", "")
    if create_url_name:
        return redirect(create_url_name)
    schools = _schools_of_owners(owners)
    form = ItemForm(
        request.POST if request.method == "POST" else None,
        kind=kind,
        owners=owners,
        schools=schools,
    )
    if request.method == "POST" and form.is_valid():
        owner = form.chosen_owner()
        try:
            if owner is None:
                raise services.LearningError(_("Choose for whom the item is."))
            item = services.item_create(
                actor=request.user,
                kind=kind,
                fields=form.item_fields(),
                organisation=owner.organisation,
                network=owner.network,
                tags=form.tags(),
            )
        except services.LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The item is saved as a draft."))
            return redirect("learning:item-detail", item.uuid)
    return render(
        request,
        "learning/item_form.html",
        {"form": form, "kind": form.kind, "item": None},
    )


def _schools_of_owners(owners: list[Any]) -> list[Any]:
    seen: dict[int, Any] = {}
    for owner in owners:
        for school in services.schools_for(organisation=owner.organisation, network=owner.network):
            seen[school.pk] = school
    return sorted(seen.values(), key=lambda s: s.name)


@login_required
def item_detail(request: HttpRequest, item_uuid: str) -> HttpResponse:
    item = access_item(request.user, item_uuid)
    return render(
        request,
        "learning/item_detail.html",
        {
            "item": item,
            "page": selectors.item_page(request.user, item),
            "enrol_form": SelfEnrolForm(),
        },
    )


@login_required
def item_edit(request: HttpRequest, item_uuid: str) -> HttpResponse:
    item = access_item(request.user, item_uuid, edit=True)
    form = ItemForm(
        request.POST if request.method == "POST" else None,
        # A copy: the form writes its input into its instance even when the input is refused.
        instance=copy.copy(item),
        kind=item.kind,
        schools=services.schools_for(organisation=item.organisation, network=item.network),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(
                actor=request.user, item=item, fields=form.item_fields(), tags=form.tags()
            )
        except services.LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("learning:item-detail", item.uuid)
    return render(
        request, "learning/item_form.html", {"form": form, "kind": form.kind, "item": item}
    )


@login_required
@require_POST
def item_publish(request: HttpRequest, item_uuid: str) -> HttpResponse:
    item = access_item(request.user, item_uuid, edit=True)
    try:
        services.item_publish(actor=request.user, item=item)
    except services.LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The item is published: it is in the catalogue now."))
    return redirect("learning:item-detail", item.uuid)


@login_required
@require_POST
def item_archive(request: HttpRequest, item_uuid: str) -> HttpResponse:
    item = access_item(request.user, item_uuid, edit=True)
    try:
        services.item_archive(actor=request.user, item=item)
    except services.LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The item is out of the catalogue. People who are enrolled can still finish it."),
        )
    return redirect("learning:item-detail", item.uuid)


@login_required
def item_competencies(request: HttpRequest, item_uuid: str) -> HttpResponse:
    """The competencies an item helps reach: add one (or change its level), or remove one."""
    item = access_item(request.user, item_uuid, edit=True)
    available = services.competencies_for_item(item)
    form = ItemCompetencyForm(
        request.POST if request.method == "POST" and "remove" not in request.POST else None,
        choices=competency_choices(available),
    )
    if request.method == "POST" and "remove" in request.POST:
        link = next(
            (
                c
                for c in item.competencies.select_related("competency__version__framework")
                if competency_key(c.competency) == request.POST.get("remove")
            ),
            None,
        )
        if link is None:
            messages.error(request, _("This competency is not linked to the item."))
        else:
            services.item_competency_remove(actor=request.user, item=item, link=link)
            messages.success(request, _("The competency is removed."))
        return redirect("learning:item-competencies", item.uuid)
    if request.method == "POST" and form.is_valid():
        competency = competency_by_key(available, form.cleaned_data["competency"])
        if competency is None:
            form.add_error("competency", _("Choose a competency from the list."))
        else:
            try:
                services.item_competency_set(
                    actor=request.user,
                    item=item,
                    competency=competency,
                    level=form.cleaned_data["level"],
                )
            except services.LearningError as error:
                form.add_error("level", str(error))
            else:
                messages.success(request, _("The competency is saved."))
                return redirect("learning:item-competencies", item.uuid)
    links = list(
        item.competencies.select_related("competency__version__framework").order_by(
            "competency__code"
        )
    )
    return render(
        request,
        "learning/item_competencies.html",
        {
            "item": item,
            "form": form,
            "links": [(link, competency_key(link.competency)) for link in links],
        },
    )


# --- enrolment ----------------------------------------------------------------------------------


@login_required
@require_POST
def enrol(request: HttpRequest, item_uuid: str) -> HttpResponse:
    item = access_item(request.user, item_uuid)
    form = SelfEnrolForm(request.POST)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
        return redirect("learning:item-detail", item.uuid)
    try:
        enrolment = services.enrolment_self_create(
            actor=request.user, item=item, due_date=form.cleaned_data["due_date"]
        )
    except services.LearningError as error:
        messages.error(request, str(error))
        return redirect("learning:item-detail", item.uuid)
    messages.success(request, _("You are enrolled. You find it on your home page."))
    return redirect("learning:enrolment", enrolment.uuid)


@login_required
def team_enrol(request: HttpRequest, item_uuid: str, org_slug: str) -> HttpResponse:
    organisation = selectors.access_lead_organisation(request.user, org_slug)
    item = access_item(request.user, item_uuid)
    if item.status != ItemStatus.PUBLISHED:
        raise Http404
    memberships = list(selectors.led_memberships(request.user, organisation))
    by_key = {str(m.uuid): m.person for m in memberships}
    choices = [
        (str(m.uuid), m.person.display_name + (f" — {m.team.name}" if m.team else ""))
        for m in memberships
    ]
    form = TeamEnrolForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        people: list[Person] = [by_key[key] for key in form.cleaned_data["people"]]
        try:
            result = services.enrolments_create_for_team(
                actor=request.user,
                item=item,
                organisation=organisation,
                people=people,
                due_date=form.cleaned_data["due_date"],
            )
        except services.LearningError as error:
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
            return redirect("learning:team", organisation.slug)
    return render(
        request,
        "learning/team_enrol.html",
        {"item": item, "organisation": organisation, "form": form},
    )


@login_required
def enrolment_detail(request: HttpRequest, enrolment_uuid: str) -> HttpResponse:
    enrolment = access_enrolment(request.user, enrolment_uuid)
    return render(
        request,
        "learning/enrolment_detail.html",
        {
            "page": selectors.enrolment_page(request.user, enrolment),
            "enrolment": enrolment,
            "withdraw_form": WithdrawForm(),
            "proof_form": ProofForm(),
            "sign_off_form": SignOffForm(),
            "school_form": SchoolResultForm(),
        },
    )


def _enrolment_form_page(request: HttpRequest, enrolment: Any, **forms: Any) -> HttpResponse:
    """The enrolment page again, with the form that failed and its errors."""
    context = {
        "page": selectors.enrolment_page(request.user, enrolment),
        "enrolment": enrolment,
        "withdraw_form": WithdrawForm(),
        "proof_form": ProofForm(),
        "sign_off_form": SignOffForm(),
        "school_form": SchoolResultForm(),
        **forms,
    }
    return render(request, "learning/enrolment_detail.html", context, status=400)


@login_required
@require_POST
def withdraw(request: HttpRequest, enrolment_uuid: str) -> HttpResponse:
    enrolment = access_enrolment(request.user, enrolment_uuid)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.enrolment_withdraw(
                actor=request.user, enrolment=enrolment, reason=form.cleaned_data["reason"]
            )
        except services.LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The enrolment has ended."))
            return redirect("learning:enrolment", enrolment.uuid)
    return _enrolment_form_page(request, enrolment, withdraw_form=form)


@login_required
@require_POST
def proof_submit(request: HttpRequest, enrolment_uuid: str) -> HttpResponse:
    enrolment = access_enrolment(request.user, enrolment_uuid)
    if enrolment.person_id != request.user.pk:
        raise Http404
    form = ProofForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.external_proof_submit(
                actor=request.user,
                enrolment=enrolment,
                proof=form.checked,
                link=form.cleaned_data["link"],
                note=form.cleaned_data["note"],
            )
        except services.LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Well done! The course is recorded as completed."))
            return redirect("learning:enrolment", enrolment.uuid)
    return _enrolment_form_page(request, enrolment, proof_form=form)


@login_required
@require_POST
def sign_off(request: HttpRequest, enrolment_uuid: str) -> HttpResponse:
    enrolment = access_enrolment(request.user, enrolment_uuid)
    form = SignOffForm(request.POST)
    if form.is_valid():
        try:
            services.on_the_job_sign_off(
                actor=request.user, enrolment=enrolment, note=form.cleaned_data["note"]
            )
        except services.LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Signed off. The assignment is completed."))
            return redirect("learning:enrolment", enrolment.uuid)
    return _enrolment_form_page(request, enrolment, sign_off_form=form)


@login_required
@require_POST
def school_result(request: HttpRequest, enrolment_uuid: str) -> HttpResponse:
    enrolment = access_enrolment(request.user, enrolment_uuid)
    form = SchoolResultForm(request.POST)
    if form.is_valid():
        try:
            services.school_result_record(
                actor=request.user,
                enrolment=enrolment,
                school_result=form.cleaned_data["school_result"],
                note=form.cleaned_data["note"],
            )
        except services.LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The result is recorded."))
            return redirect("learning:enrolment", enrolment.uuid)
    return _enrolment_form_page(request, enrolment, school_form=form)


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "learning/my_learning.html",
        {"groups": selectors.my_enrolments(request.user)},
    )


# --- the team -----------------------------------------------------------------------------------


@login_required
def team(request: HttpRequest, org_slug: str) -> HttpResponse:
    from gilde.learning.charts import completion_chart

    organisation = selectors.access_lead_organisation(request.user, org_slug)
    progress = selectors.team_progress(request.user, organisation, request.GET.get("page"))
    return render(
        request,
        "learning/team_progress.html",
        {
            "organisation": organisation,
            "progress": progress,
            "chart": completion_chart(progress.items) if progress.items else "",
        },
    )


@login_required
def proposals(request: HttpRequest) -> HttpResponse:
    rows = []
    for proposal in selectors.proposals_to_decide(request.user):
        levels = _level_choices(proposal)
        rows.append(
            (
                proposal,
                ProposalForm(
                    levels=levels,
                    initial={"level": proposal.level, "decision": "accept"},
                    prefix=str(proposal.uuid),
                ),
            )
        )
    return render(request, "learning/proposals.html", {"rows": rows})


def _level_choices(proposal: Any) -> list[tuple[int, str]]:
    version = proposal.competency.version
    labels = dict(version.levels.values_list("value", "label"))
    return [
        (value, f"{value} {labels.get(value, '')}".strip()) for value in scale_of(version).values
    ]


@login_required
@require_POST
def proposal_decide(request: HttpRequest, proposal_uuid: str) -> HttpResponse:
    proposal = selectors.access_proposal(request.user, proposal_uuid)
    form = ProposalForm(request.POST, levels=_level_choices(proposal), prefix=str(proposal.uuid))
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                services.proposal_accept(
                    actor=request.user, proposal=proposal, level=form.cleaned_data["level"]
                )
                messages.success(
                    request,
                    _("Recorded: %(name)s is at level %(level)s on %(code)s.")
                    % {
                        "name": proposal.person.display_name,
                        "level": form.cleaned_data["level"],
                        "code": proposal.competency.code,
                    },
                )
            else:
                services.proposal_dismiss(actor=request.user, proposal=proposal)
                messages.success(request, _("The proposal is put aside; levels stay as they are."))
        except services.LearningError as error:
            messages.error(request, str(error))
    else:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
    return redirect("learning:proposals")
