from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde.audit.models import AuditEvent
from gilde.people.forms import (
    AcceptInvitationForm,
    EndMembershipForm,
    InviteForm,
    MembershipForm,
    TeamForm,
)
from gilde.people.models import Invitation, Person
from gilde.people.selectors import membership_list
from gilde.people.services import (
    PeopleError,
    invitation_create,
    person_update,
)
from gilde.people.services import (
    invitation_accept as invitation_accept_service,
)
from gilde.people.services import (
    invitation_revoke as invitation_revoke_service,
)
from gilde.tenancy.access import (
    access_managed_membership,
    access_membership,
    access_organisation,
    access_team,
    standing_of,
)
from gilde.tenancy.models import Role
from gilde.tenancy.services import (
    TenancyError,
    membership_update,
    team_create,
    team_rename,
)
from gilde.tenancy.services import (
    membership_end as membership_end_service,
)

PAGE_SIZE = 50


@login_required
def people_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN)
    query = request.GET.get("q", "").strip()[:100]
    team = request.GET.get("team", "")[:60]
    status = request.GET.get("status", "current")
    if status not in ("current", "ended", "all"):
        status = "current"
    rows = membership_list(
        actor=request.user, organisation=organisation, query=query, team=team, status=status
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/people_list.html",
        {
            "organisation": organisation,
            "page": page,
            "query": query,
            "team": team,
            "status": status,
            "teams": organisation.teams.all(),
        },
    )


@login_required
def my_team(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.MANAGER)
    rows = membership_list(actor=request.user, organisation=organisation).filter(
        manager_id=request.user.pk
    )
    return render(request, "people/my_team.html", {"organisation": organisation, "rows": rows})


@login_required
def person_detail(request: HttpRequest, org_slug: str, membership_uuid: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug)
    membership = access_membership(request.user, organisation, membership_uuid)
    is_admin = standing_of(request.user).has_org_role(organisation.pk, Role.ORG_ADMIN)
    history = (
        AuditEvent.objects.filter(
            organisation=organisation, subject=membership.person
        ).select_related("actor")[:20]
        if is_admin
        else []
    )
    return render(
        request,
        "people/person_detail.html",
        {
            "organisation": organisation,
            "membership": membership,
            "person": membership.person,
            "roles": [r.get_role_display() for r in membership.roles.all()],
            "is_admin": is_admin,
            "history": history,
        },
    )


@login_required
def person_edit(request: HttpRequest, org_slug: str, membership_uuid: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN)
    membership = access_managed_membership(request.user, organisation, membership_uuid)
    person = membership.person
    # Name and e-mail belong to the person's account; an organisation may correct them only
    # while the person has no other current organisation.
    shared_account = person.memberships.current().exclude(organisation=organisation).exists()
    if request.method == "POST":
        form = MembershipForm(request.POST, organisation=organisation)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    if not shared_account:
                        person_update(
                            actor=request.user,
                            person=person,
                            given_name=data["given_name"],
                            infix=data["infix"],
                            family_name=data["family_name"],
                            email=data["email"],
                        )
                    membership_update(
                        actor=request.user,
                        membership=membership,
                        team=data["team"],
                        manager=data["manager"],
                        mentor=data["mentor"],
                        function_title=data["function_title"],
                        employee_number=data["employee_number"],
                        roles=data["roles"],
                    )
            except TenancyError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The changes have been saved."))
                return redirect("people:detail", organisation.slug, membership.uuid)
    else:
        form = MembershipForm(
            organisation=organisation,
            initial={
                "given_name": person.given_name,
                "infix": person.infix,
                "family_name": person.family_name,
                "email": person.email,
                "function_title": membership.function_title,
                "employee_number": membership.employee_number,
                "team": membership.team,
                "manager": str(membership.manager.uuid) if membership.manager else "",
                "mentor": str(membership.mentor.uuid) if membership.mentor else "",
                "roles": [r.role for r in membership.roles.all()],
            },
        )
    if shared_account:
        for name in ("given_name", "infix", "family_name", "email"):
            form.fields[name].disabled = True
            form.fields[name].help_text = _(
                "This person also works elsewhere; only they can change their name and e-mail."
            )
    return render(
        request,
        "people/person_edit.html",
        {"organisation": organisation, "membership": membership, "form": form},
    )


@login_required
def membership_end(request: HttpRequest, org_slug: str, membership_uuid: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN)
    membership = access_managed_membership(request.user, organisation, membership_uuid)
    if request.method == "POST":
        form = EndMembershipForm(request.POST)
        if form.is_valid():
            try:
                membership_end_service(
                    actor=request.user,
                    membership=membership,
                    end_date=form.cleaned_data["end_date"],
                )
            except TenancyError as error:
                form.add_error("end_date", str(error))
            else:
                messages.success(
                    request,
                    _("The membership of %(name)s ends on %(date)s. Their own record stays theirs.")
                    % {
                        "name": membership.person.display_name,
                        "date": form.cleaned_data["end_date"].strftime("%d-%m-%Y"),
                    },
                )
                return redirect("people:list", organisation.slug)
    else:
        form = EndMembershipForm()
    return render(
        request,
        "people/membership_end.html",
        {"organisation": organisation, "membership": membership, "form": form},
    )


@login_required
def person_invite(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN)
    if request.method == "POST":
        form = InviteForm(request.POST, organisation=organisation)
        if form.is_valid():
            try:
                invitation_create(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
            except TenancyError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("An invitation has been sent to %(email)s.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("people:invitations", organisation.slug)
    else:
        form = InviteForm(organisation=organisation)
    return render(
        request, "people/person_invite.html", {"organisation": organisation, "form": form}
    )


@login_required
def invitation_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN)
    invitations = organisation.invitations.select_related("team", "invited_by").order_by(
        "-created_at"
    )[:200]
    return render(
        request,
        "people/invitation_list.html",
        {"organisation": organisation, "invitations": invitations, "now": timezone.now()},
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, org_slug: str, invitation_uuid: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN)
    invitation = organisation.invitations.filter(uuid=invitation_uuid).first()
    if invitation is None:
        raise Http404
    if invitation.is_open:
        invitation_revoke_service(actor=request.user, invitation=invitation)
        messages.success(request, _("The invitation has been withdrawn."))
    return redirect("people:invitations", organisation.slug)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The person behind an invitation link chooses a password (or, when they already have an
    account and are logged in with it, just joins)."""
    invitation = Invitation.objects.filter(token=token).select_related("organisation").first()
    if invitation is None:
        raise Http404
    if not invitation.is_open:
        return render(
            request, "people/invitation_closed.html", {"invitation": invitation}, status=410
        )
    existing = Person.objects.filter(email=invitation.email).first()
    logged_in_as_invitee = request.user.is_authenticated and request.user.email == invitation.email
    if request.method == "POST":
        if logged_in_as_invitee:
            try:
                invitation_accept_service(
                    invitation=invitation,
                    password=None,
                    given_name="",
                    infix="",
                    family_name="",
                    person=request.user,  # type: ignore[arg-type]
                )
            except TenancyError as error:
                messages.error(request, str(error))
                return redirect("people:invitation-accept", token)
            messages.success(
                request,
                _("You are now a member of %(org)s.") % {"org": invitation.organisation.name},
            )
            return redirect("core:home")
        form = AcceptInvitationForm(request.POST)
        if form.is_valid() and existing is None:
            data = form.cleaned_data
            probe = Person(
                email=invitation.email,
                given_name=data["given_name"],
                family_name=data["family_name"],
            )
            try:
                validate_password(data["password1"], user=probe)
            except ValidationError as error:
                form.add_error("password1", error)
            else:
                try:
                    person = invitation_accept_service(
                        invitation=invitation,
                        password=data["password1"],
                        given_name=data["given_name"],
                        infix=data["infix"],
                        family_name=data["family_name"],
                    )
                except PeopleError as error:
                    form.add_error(None, str(error))
                else:
                    login(
                        request,
                        person,
                        backend="allauth.account.auth_backends.AuthenticationBackend",
                    )
                    messages.success(request, _("Welcome to Gilde!"))
                    return redirect("core:home")
    else:
        form = AcceptInvitationForm(
            initial={
                "given_name": invitation.given_name,
                "infix": invitation.infix,
                "family_name": invitation.family_name,
            }
        )
    return render(
        request,
        "people/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "existing": existing is not None,
            "logged_in_as_invitee": logged_in_as_invitee,
        },
    )


@login_required
def team_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    from django.db.models import Count, Q

    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN)
    today = timezone.localdate()
    teams = organisation.teams.annotate(
        people=Count(
            "memberships",
            filter=Q(memberships__start_date__lte=today)
            & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)),
        )
    )
    if request.method == "POST":
        form = TeamForm(request.POST)
        if form.is_valid():
            try:
                team_create(
                    actor=request.user, organisation=organisation, name=form.cleaned_data["name"]
                )
            except TenancyError as error:
                form.add_error("name", str(error))
            else:
                messages.success(request, _("The team has been added."))
                return redirect("people:teams", organisation.slug)
    else:
        form = TeamForm()
    return render(
        request,
        "people/team_list.html",
        {"organisation": organisation, "teams": teams, "form": form},
    )


@login_required
def team_edit(request: HttpRequest, org_slug: str, team_slug: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN)
    team = access_team(request.user, organisation, team_slug)
    if request.method == "POST":
        form = TeamForm(request.POST)
        if form.is_valid():
            try:
                team_rename(actor=request.user, team=team, name=form.cleaned_data["name"])
            except TenancyError as error:
                form.add_error("name", str(error))
            else:
                messages.success(request, _("The team has been renamed."))
                return redirect("people:teams", organisation.slug)
    else:
        form = TeamForm(initial={"name": team.name})
    return render(
        request, "people/team_edit.html", {"organisation": organisation, "team": team, "form": form}
    )
