from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde.people.models import Person
from gilde.people.services import application_decide as application_decide_service
from gilde.people.services import organisation_admit
from gilde.tenancy.access import (
    access_network,
    access_network_membership,
    access_open_network,
    networks_visible_to,
    standing_of,
)
from gilde.tenancy.forms import AddOrganisationForm, ApplicationForm, NetworkForm, NetworkRoleForm
from gilde.tenancy.models import NetworkMembershipStatus, Role
from gilde.tenancy.selectors import (
    network_member_list,
    network_person_by_email,
    network_role_list,
    organisation_headcounts,
)
from gilde.tenancy.services import (
    TenancyError,
    network_apply,
    network_role_grant,
    network_update,
)
from gilde.tenancy.services import network_role_end as network_role_end_service

PAGE_SIZE = 50
MEMBERS_SHOWN = 100


@login_required
def network_list(request: HttpRequest) -> HttpResponse:
    networks = networks_visible_to(request.user).order_by("name")
    return render(request, "tenancy/network_list.html", {"networks": networks})


@login_required
def network_detail(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = access_network(request.user, network_slug)
    standing = standing_of(request.user)
    is_coordinator = standing.is_coordinator(network.pk)
    members = network_member_list(network=network)
    member_count = members.count()
    context = {
        "network": network,
        "is_coordinator": is_coordinator,
        "member_count": member_count,
        "application_count": network.memberships.filter(
            status=NetworkMembershipStatus.APPLIED
        ).count(),
        "coordinators": network.roles.filter(role="coordinator").select_related("person"),
    }
    if not is_coordinator:
        # Members of the network see which firms take part, not their people.
        context["members"] = members[:MEMBERS_SHOWN]
        context["more_members"] = max(0, member_count - MEMBERS_SHOWN)
    return render(request, "tenancy/network_detail.html", context)


@login_required
def network_edit(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = access_network(request.user, network_slug, coordinator=True)
    if request.method == "POST":
        form = NetworkForm(request.POST)
        if form.is_valid():
            network_update(actor=request.user, network=network, **form.cleaned_data)
            messages.success(request, _("The network has been saved."))
            return redirect("tenancy:network", network.slug)
    else:
        form = NetworkForm(
            initial={
                "name": network.name,
                "description": network.description,
                "enrolment_open": network.enrolment_open,
            }
        )
    return render(request, "tenancy/network_edit.html", {"network": network, "form": form})


@login_required
def organisation_list(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = access_network(request.user, network_slug, coordinator=True)
    query = request.GET.get("q", "").strip()[:100]
    places = network_member_list(network=network, query=query)
    page = Paginator(places, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = organisation_headcounts(place.organisation_id for place in page)
    for place in page:
        place.people = counts.get(place.organisation_id, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "tenancy/organisation_list.html",
        {"network": network, "page": page, "query": query},
    )


@login_required
def organisation_add(request: HttpRequest, network_slug: str) -> HttpResponse:
    """A coordinator admits an organisation directly (a founding member) and invites its admin."""
    network = access_network(request.user, network_slug, coordinator=True)
    if request.method == "POST":
        form = AddOrganisationForm(request.POST)
        if form.is_valid():
            try:
                organisation = organisation_admit(
                    actor=request.user, network=network, **form.cleaned_data
                )
            except TenancyError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(org)s is now a member of %(network)s.")
                    % {"org": organisation.name, "network": network.name},
                )
                return redirect("tenancy:organisations", network.slug)
    else:
        form = AddOrganisationForm()
    return render(request, "tenancy/organisation_add.html", {"network": network, "form": form})


@login_required
def application_list(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = access_network(request.user, network_slug, coordinator=True)
    applications = network_member_list(
        network=network, status=NetworkMembershipStatus.APPLIED
    ).order_by("applied_at")
    decided = (
        network.memberships.filter(status=NetworkMembershipStatus.REJECTED)
        .select_related("organisation")
        .order_by("-decided_at")[:20]
    )
    return render(
        request,
        "tenancy/application_list.html",
        {"network": network, "applications": applications, "rejected": decided},
    )


@login_required
@require_POST
def application_decide(
    request: HttpRequest, network_slug: str, application_uuid: str
) -> HttpResponse:
    network = access_network(request.user, network_slug, coordinator=True)
    application = access_network_membership(request.user, network, application_uuid)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose approve or reject."))
        return redirect("tenancy:applications", network.slug)
    try:
        application_decide_service(
            actor=request.user, application=application, approve=decision == "approve"
        )
    except TenancyError as error:
        messages.error(request, str(error))
    else:
        if decision == "approve":
            messages.success(
                request,
                _("%(org)s is now a member of %(network)s.")
                % {"org": application.organisation.name, "network": network.name},
            )
        else:
            messages.success(
                request,
                _("The application of %(org)s has been rejected.")
                % {"org": application.organisation.name},
            )
    return redirect("tenancy:applications", network.slug)


def apply(request: HttpRequest, network_slug: str) -> HttpResponse:
    """Public: a firm applies to an open network (the seed's community opened to the region)."""
    network = access_open_network(network_slug)
    standing = standing_of(request.user)
    own_orgs = standing.admin_organisations() if request.user.is_authenticated else []
    if request.method == "POST":
        form = ApplicationForm(request.POST)
        existing_slug = request.POST.get("existing_organisation", "")
        if existing_slug:
            chosen = [o for o in own_orgs if o.slug == existing_slug]
            person = request.user
            if not chosen or not isinstance(person, Person):
                messages.error(request, _("You can only apply for an organisation you manage."))
                return redirect("tenancy:apply", network.slug)
            try:
                network_apply(
                    actor=request.user,
                    network=network,
                    organisation=chosen[0],
                    contact_name=person.get_full_name(),
                    contact_email=person.email,
                    motivation=request.POST.get("motivation", "")[:2000],
                )
            except TenancyError as error:
                messages.error(request, str(error))
                return redirect("tenancy:apply", network.slug)
            return render(request, "tenancy/apply_done.html", {"network": network})
        if form.is_valid():
            try:
                network_apply(actor=request.user, network=network, **form.cleaned_data)
            except TenancyError as error:
                form.add_error(None, str(error))
            else:
                return render(request, "tenancy/apply_done.html", {"network": network})
    else:
        form = ApplicationForm()
    return render(
        request,
        "tenancy/apply.html",
        {"network": network, "form": form, "own_orgs": own_orgs, "roles": Role},
    )


@login_required
def network_roles(request: HttpRequest, network_slug: str) -> HttpResponse:
    """Coordinators appoint other coordinators and coaches/facilitators of the network."""
    network = access_network(request.user, network_slug, coordinator=True)
    if request.method == "POST":
        form = NetworkRoleForm(request.POST)
        if form.is_valid():
            person = network_person_by_email(network=network, email=form.cleaned_data["email"])
            if person is None:
                form.add_error(
                    "email",
                    _(
                        "Nobody with this e-mail address works at a member organisation of this network."
                    ),
                )
            else:
                network_role_grant(
                    actor=request.user,
                    network=network,
                    person=person,
                    role=form.cleaned_data["role"],
                )
                messages.success(
                    request,
                    _("%(name)s now has this role in the network.") % {"name": person.display_name},
                )
                return redirect("tenancy:roles", network.slug)
    else:
        form = NetworkRoleForm()
    return render(
        request,
        "tenancy/network_roles.html",
        {"network": network, "roles": network_role_list(network=network), "form": form},
    )


@login_required
@require_POST
def network_role_end(request: HttpRequest, network_slug: str, role_id: int) -> HttpResponse:
    network = access_network(request.user, network_slug, coordinator=True)
    held = network_role_list(network=network).filter(pk=role_id).first()
    if held is None:
        raise Http404
    try:
        network_role_end_service(actor=request.user, held=held)
    except TenancyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The role has been ended."))
    return redirect("tenancy:roles", network.slug)
