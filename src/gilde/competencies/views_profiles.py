"""Pages of function profiles: the list, one profile with its chart, making and changing one,
giving a person their function profile, and choosing one's own target profile."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gilde.competencies.access import access_framework, access_profile, profiles_visible_to
from gilde.competencies.forms_frameworks import (
    ProfileChoiceForm,
    ProfileForm,
    VersionChoiceForm,
    editable_owners,
    profile_owners,
)
from gilde.competencies.models import (
    FrameworkVersion,
    FunctionProfile,
    ProfileAssignment,
    Requirement,
    ScaleLevel,
    VersionStatus,
)
from gilde.competencies.selectors_frameworks import (
    function_profiles_of,
    profiles_for_organisation,
    published_versions_for,
    target_profile_of,
)
from gilde.competencies.selectors_frameworks import (
    profile_list as profile_list_selector,
)
from gilde.competencies.services import (
    CompetencyError,
    latest_version,
    profile_assign,
    profile_save,
    target_profile_set,
)
from gilde.tenancy.access import access_managed_membership, access_organisation
from gilde.tenancy.models import Role

# --- the chart of required levels ---------------------------------------------------------------

CHART_WIDTH = 360
BAR_AREA = 310
ROW_HEIGHT = 42
LABEL_CHARS = 42


@dataclass
class Bar:
    text: str
    level: int
    level_label: str
    text_y: int
    bar_y: int
    width: float


@dataclass
class BarChart:
    width: int
    height: int
    bar_area: int
    bars: list[Bar]
    # Where the numbers at the end of the bars go.
    value_x: int


def requirement_chart(
    requirements: Sequence[Requirement], levels: Sequence[ScaleLevel]
) -> BarChart:
    """Horizontal bars, one per requirement, as long as the required level on the scale. Drawn
    for a phone first (360 wide) and scaled up on larger screens; the table beside it holds the
    same numbers."""
    values = sorted(lv.value for lv in levels)
    labels = {lv.value: lv.label for lv in levels}
    low, high = (values[0], values[-1]) if values else (0, 1)
    steps = high - low + 1
    bars = []
    for i, r in enumerate(requirements):
        text = f"{r.competency.code} {r.competency.name}"
        if len(text) > LABEL_CHARS:
            text = text[: LABEL_CHARS - 1] + "…"
        top = i * ROW_HEIGHT
        bars.append(
            Bar(
                text=text,
                level=r.level,
                level_label=labels.get(r.level, ""),
                text_y=top + 15,
                bar_y=top + 21,
                width=round(BAR_AREA * (r.level - low + 1) / steps, 1),
            )
        )
    return BarChart(
        width=CHART_WIDTH,
        height=max(len(bars), 1) * ROW_HEIGHT + 4,
        bar_area=BAR_AREA,
        bars=bars,
        value_x=BAR_AREA + 8,
    )


# --- pages --------------------------------------------------------------------------------------


@login_required
def profile_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "competencies/profile_list.html",
        {
            "profiles": profile_list_selector(request.user),
            "can_create": bool(editable_owners(request.user)),
        },
    )


def _can_edit_profile(actor: Any, profile: FunctionProfile) -> bool:
    try:
        access_profile(actor, profile.slug, edit=True)
    except Http404:
        return False
    return True


@login_required
def profile_detail(request: HttpRequest, profile_slug: str) -> HttpResponse:
    profile = access_profile(request.user, profile_slug)
    version = profile.version
    levels = list(version.levels.all())
    requirements = list(
        profile.requirements.select_related("competency__category").order_by(
            "competency__position", "competency__code"
        )
    )
    newest = latest_version(version.framework, published=True)
    return render(
        request,
        "competencies/profile_detail.html",
        {
            "profile": profile,
            "framework": version.framework,
            "version": version,
            "levels": levels,
            "labels": {lv.value: lv.label for lv in levels},
            "requirements": requirements,
            "chart": requirement_chart(requirements, levels),
            "newer": newest if newest and newest.number > version.number else None,
            "can_edit": _can_edit_profile(request.user, profile),
        },
    )


def _published_version(actor: Any, value: str) -> FrameworkVersion:
    """ "<framework slug>:<number>" of a published version the actor can see; 404 otherwise."""
    slug, _sep, number = value.partition(":")
    if not number.isdigit():
        raise Http404
    framework = access_framework(actor, slug)
    version = framework.versions.filter(number=int(number), status=VersionStatus.PUBLISHED).first()
    if version is None:
        raise Http404
    return version


def _profile_form_page(
    request: HttpRequest,
    version: FrameworkVersion,
    *,
    profile: FunctionProfile | None,
) -> HttpResponse:
    owners = profile_owners(request.user, version) if profile is None else None
    if owners == []:
        return render(
            request,
            "competencies/profile_form.html",
            {"version": version, "form": None, "profile": None, "no_owner": True},
        )
    current: dict[str, Requirement] = {}
    initial: dict[str, Any] = {}
    if profile is not None:
        current = {r.competency.code: r for r in profile.requirements.select_related("competency")}
        initial = {"name": profile.name, "description": profile.description}
    competencies = list(
        version.competencies.select_related("category").order_by("position", "code")
    )
    form = ProfileForm(
        request.POST or None,
        initial=initial,
        competencies=competencies,
        levels=list(version.levels.all()),
        owners=owners,
        current=current,
    )
    if request.method == "POST" and form.is_valid():
        owner = form.cleaned_data.get("owner")
        try:
            saved = profile_save(
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                version=version,
                requirements=form.requirements(),
                network=owner.network if owner else None,
                organisation=owner.organisation if owner else None,
                profile=profile,
            )
        except CompetencyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The function profile has been saved."))
            return redirect("competencies:profile", saved.slug)
    dropped = sorted(set(current) - {c.code for c in competencies})
    return render(
        request,
        "competencies/profile_form.html",
        {"version": version, "form": form, "profile": profile, "dropped": dropped},
    )


@login_required
def profile_create(request: HttpRequest) -> HttpResponse:
    if not editable_owners(request.user):
        raise Http404
    chosen = request.POST.get("version") or request.GET.get("version")
    if not chosen:
        versions = list(published_versions_for(request.user))
        return render(
            request,
            "competencies/profile_choose_version.html",
            {"form": VersionChoiceForm(versions=versions), "versions": versions},
        )
    version = _published_version(request.user, chosen)
    return _profile_form_page(request, version, profile=None)


@login_required
def profile_edit(request: HttpRequest, profile_slug: str) -> HttpResponse:
    profile = access_profile(request.user, profile_slug, edit=True)
    version = profile.version
    requested = request.POST.get("version") or request.GET.get("version")
    if requested:
        newest = latest_version(version.framework, published=True)
        if newest is None or requested not in (str(version.number), str(newest.number)):
            raise Http404
        version = newest if requested == str(newest.number) else version
    return _profile_form_page(request, version, profile=profile)


@login_required
def profile_assign_view(request: HttpRequest, org_slug: str, membership_uuid: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN)
    membership = access_managed_membership(request.user, organisation, membership_uuid)
    current = (
        ProfileAssignment.objects.filter(membership=membership)
        .select_related("profile__version__framework")
        .first()
    )
    form = ProfileChoiceForm(
        request.POST or None,
        profiles=profiles_for_organisation(organisation),
        label=_("Function profile"),
        initial={"profile": current.profile.slug if current else ""},
    )
    if request.method == "POST":
        if membership.end_date is not None:
            messages.error(request, _("This membership has ended; its profile cannot change."))
            return redirect("competencies:profile-assign", organisation.slug, membership.uuid)
        if form.is_valid():
            profile = form.chosen()
            profile_assign(actor=request.user, membership=membership, profile=profile)
            messages.success(
                request,
                _("%(person)s now has the function profile %(profile)s.")
                % {"person": membership.person.display_name, "profile": profile.name}
                if profile
                else _("%(person)s has no function profile now.")
                % {"person": membership.person.display_name},
            )
            return redirect("people:detail", organisation.slug, membership.uuid)
    return render(
        request,
        "competencies/profile_assign.html",
        {
            "organisation": organisation,
            "membership": membership,
            "person": membership.person,
            "current": current,
            "form": form,
        },
    )


@login_required
def target_profile(request: HttpRequest) -> HttpResponse:
    profiles = (
        profiles_visible_to(request.user).select_related("version__framework").order_by("name")
    )
    current = target_profile_of(request.user)
    form = ProfileChoiceForm(
        request.POST or None,
        profiles=profiles,
        label=_("Where do you want to grow?"),
        initial={"profile": current.profile.slug if current else ""},
    )
    if request.method == "POST" and form.is_valid():
        profile = form.chosen()
        target_profile_set(actor=request.user, profile=profile)
        messages.success(
            request,
            _("Your target profile is %(profile)s.") % {"profile": profile.name}
            if profile
            else _("You have no target profile now."),
        )
        return redirect("competencies:target-profile")
    return render(
        request,
        "competencies/profile_target.html",
        {"form": form, "current": current, "functions": function_profiles_of(request.user)},
    )
