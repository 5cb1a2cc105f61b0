"""Rating one person on one competency, outside a round."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gilde.competencies import services
from gilde.competencies.access import can_see_levels_of
from gilde.competencies.evidence import EvidenceError
from gilde.competencies.forms_assess import RateForm
from gilde.competencies.models import RaterRole
from gilde.competencies.selectors_assess import (
    access_person_to_rate,
    competencies_to_rate,
    competency_by_key,
    competency_choices,
    competency_key,
    competency_levels,
    rating_history,
)


@login_required
def person_rate(request: HttpRequest, person_uuid: str) -> HttpResponse:
    person, role = access_person_to_rate(request.user, person_uuid)
    competencies = competencies_to_rate(request.user, person)
    key = (request.POST.get("competency") or request.GET.get("competency") or "")[:120]
    competency = competency_by_key(competencies, key) if key else None
    context = {"person": person, "role": role, "role_label": RaterRole(role).label}
    if competency is None:
        return render(
            request,
            "competencies/assess_choose.html",
            {
                **context,
                "choices": competency_choices(competencies),
                "unknown": bool(key),
            },
        )
    item = competency_levels(competency)
    form = RateForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        item=item,
    )
    if request.method == "POST" and form.is_valid():
        checked = form.cleaned_data["evidence_file"]
        try:
            services.rating_with_evidence_record(
                actor=request.user,
                person=person,
                competency=competency,
                level=int(form.cleaned_data["level"]),
                assessed_on=form.cleaned_data["assessed_on"],
                comment=form.cleaned_data["comment"],
                upload=checked.upload if checked else None,
                link=form.cleaned_data["evidence_link"],
            )
        except (services.CompetencyError, EvidenceError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your rating of %(name)s on %(competency)s is saved.")
                % {"name": person.display_name, "competency": competency.name},
            )
            url = reverse("competencies:person-rate", args=[person.uuid])
            return redirect(f"{url}?competency={competency_key(competency)}")
    # A peer may rate, but sees the person's levels only if they may see them anyway.
    history = rating_history(person, competency) if can_see_levels_of(request.user, person) else []
    return render(
        request,
        "competencies/assess_person.html",
        {
            **context,
            "competency": competency,
            "key": competency_key(competency),
            "form": form,
            "history": history,
        },
    )
