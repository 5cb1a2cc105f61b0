"""Recognition of prior learning (EVC): a learner claims a level on a competency with evidence;
the manager, an organisation admin or the coach decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde.competencies import services
from gilde.competencies.evidence import EvidenceError
from gilde.competencies.forms_assess import ClaimForm, DecideForm
from gilde.competencies.models import ClaimStatus, PriorLearningClaim
from gilde.competencies.selectors_assess import (
    access_claim,
    claim_organisations,
    claims_of,
    claims_to_decide,
    competencies_to_claim,
    competency_by_key,
    competency_choices,
    competency_levels,
    decider_role,
)


@login_required
def claim_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "competencies/claim_list.html",
        {
            "claims": claims_of(request.user),
            "to_decide": claims_to_decide(request.user).count(),
        },
    )


@login_required
def claim_review(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "competencies/claim_review.html",
        {"claims": claims_to_decide(request.user)},
    )


@login_required
def claim_create(request: HttpRequest) -> HttpResponse:
    competencies = competencies_to_claim(request.user)
    key = (request.POST.get("competency") or request.GET.get("competency") or "")[:120]
    competency = competency_by_key(competencies, key) if key else None
    if competency is None:
        return render(
            request,
            "competencies/claim_choose.html",
            {"choices": competency_choices(competencies), "unknown": bool(key)},
        )
    organisations = claim_organisations(request.user, competency)
    item = competency_levels(competency)
    form = ClaimForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        item=item,
        organisations=organisations,
    )
    if request.method == "POST" and organisations and form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.claim_submit(
                actor=request.user,
                organisation=data["organisation"],
                competency=competency,
                claimed_level=int(data["claimed_level"]),
                statement=data["statement"],
                uploads=[checked.upload for checked in data["evidence_files"]],
                links=data["links"],
            )
        except (services.CompetencyError, EvidenceError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your claim is sent. You see here when it has been decided.")
            )
            return redirect("competencies:claim-detail", claim.uuid)
    return render(
        request,
        "competencies/claim_form.html",
        {
            "competency": competency,
            "key": key,
            "form": form,
            "organisations": organisations,
        },
    )


def _detail(
    request: HttpRequest, claim: PriorLearningClaim, form: DecideForm | None = None
) -> HttpResponse:
    role = decider_role(request.user, claim) if claim.status == ClaimStatus.SUBMITTED else None
    if role is not None and form is None:
        form = DecideForm(
            item=competency_levels(claim.competency),
            initial={"level": str(claim.claimed_level)},
        )
    return render(
        request,
        "competencies/claim_detail.html",
        {
            "claim": claim,
            "evidence": list(claim.evidence.order_by("created_at")),
            "is_own": claim.person_id == request.user.pk,
            "form": form if role is not None else None,
        },
    )


@login_required
def claim_detail(request: HttpRequest, claim_uuid: str) -> HttpResponse:
    return _detail(request, access_claim(request.user, claim_uuid))


@login_required
@require_POST
def claim_decide(request: HttpRequest, claim_uuid: str) -> HttpResponse:
    claim = access_claim(request.user, claim_uuid)
    if claim.status != ClaimStatus.SUBMITTED or decider_role(request.user, claim) is None:
        raise Http404
    form = DecideForm(request.POST, item=competency_levels(claim.competency))
    if not form.is_valid():
        return _detail(request, claim, form)
    data = form.cleaned_data
    try:
        if data["decision"] == DecideForm.ACCEPT:
            services.claim_accept(
                actor=request.user, claim=claim, level=int(data["level"]), note=data["note"]
            )
            messages.success(request, _("The claim is accepted; the level is recorded."))
        else:
            services.claim_reject(actor=request.user, claim=claim, note=data["note"])
            messages.success(request, _("The claim is not accepted; the person sees your note."))
    except services.CompetencyError as error:
        form.add_error(None, str(error))
        return _detail(request, claim, form)
    return redirect("competencies:claim-review")
