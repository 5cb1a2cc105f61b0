"""xAPI clients in the browser: an organisation's admins manage the clients of its Learning Record
Store, a network's coordinators those of the network's. The secret is shown once, in the answer
to the form that made it, and never stored anywhere but as a hash."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gilde.lrs.access import (
    access_client,
    access_client_network,
    access_client_organisation,
    existing_store,
)
from gilde.lrs.forms import ClientForm
from gilde.lrs.models import Client, Scope
from gilde.lrs.services import client_create, client_revoke, store_for
from gilde.tenancy.models import Network, Organisation


def endpoint_url() -> str:
    return str(settings.SITE_URL).rstrip("/") + "/xapi/"


def _owner_urls(owner: Organisation | Network) -> tuple[str, str]:
    if isinstance(owner, Organisation):
        return (
            reverse("records:org-clients", args=[owner.slug]),
            reverse("records:org-client-create", args=[owner.slug]),
        )
    return (
        reverse("records:network-clients", args=[owner.slug]),
        reverse("records:network-client-create", args=[owner.slug]),
    )


def scope_labels(client: Client) -> list[str]:
    return [str(Scope(s).label) if s in Scope.values else s for s in client.scopes.split()]


def _list(request: HttpRequest, owner: Organisation | Network) -> HttpResponse:
    store = existing_store(owner)
    clients = (
        list(
            store.clients.select_related("created_by").order_by(
                F("revoked_at").asc(nulls_first=True), "-created_at", "-pk"
            )
        )
        if store is not None
        else []
    )
    _list_url, create_url = _owner_urls(owner)
    return render(
        request,
        "lrs/client_list.html",
        {
            "owner": owner,
            "is_network": isinstance(owner, Network),
            "rows": [(c, scope_labels(c)) for c in clients],
            "create_url": create_url,
            "endpoint": endpoint_url(),
        },
    )


def _create(request: HttpRequest, owner: Organisation | Network) -> HttpResponse:
    list_url, create_url = _owner_urls(owner)
    form = ClientForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if isinstance(owner, Organisation):
            store = store_for(organisation=owner)
        else:
            store = store_for(network=owner)
        try:
            made = client_create(
                actor=request.user,
                store=store,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                xapi_version=form.cleaned_data["xapi_version"],
            )
        except ValueError:
            form.add_error(None, _("The client could not be made; check the fields and try again."))
        else:
            response = render(
                request,
                "lrs/client_created.html",
                {
                    "owner": owner,
                    "client": made.client,
                    "scopes": scope_labels(made.client),
                    "key": made.key,
                    "secret": made.secret,
                    "endpoint": endpoint_url(),
                    "list_url": list_url,
                },
            )
            # The only time the secret is ever shown: keep it out of every cache.
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "lrs/client_form.html",
        {"owner": owner, "form": form, "list_url": list_url, "create_url": create_url},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def org_clients(request: HttpRequest, org_slug: str) -> HttpResponse:
    return _list(request, access_client_organisation(request.user, org_slug))


@login_required
@require_http_methods(["GET", "POST"])
def org_client_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    return _create(request, access_client_organisation(request.user, org_slug))


@login_required
@require_GET
def network_clients(request: HttpRequest, network_slug: str) -> HttpResponse:
    return _list(request, access_client_network(request.user, network_slug))


@login_required
@require_http_methods(["GET", "POST"])
def network_client_create(request: HttpRequest, network_slug: str) -> HttpResponse:
    return _create(request, access_client_network(request.user, network_slug))


@login_required
@require_http_methods(["GET", "POST"])
def client_revoke_view(request: HttpRequest, client_uuid: str) -> HttpResponse:
    client = access_client(request.user, client_uuid)
    owner: Any = client.store.organisation or client.store.network
    list_url, _create_url = _owner_urls(owner)
    if request.method == "POST":
        if client.revoked_at is not None:
            messages.info(request, _("%(name)s was revoked already.") % {"name": client.name})
        else:
            client_revoke(actor=request.user, client=client)
            messages.success(
                request,
                _("%(name)s is revoked: its key no longer works.") % {"name": client.name},
            )
        return redirect(list_url)
    return render(
        request,
        "lrs/client_revoke.html",
        {"client": client, "owner": owner, "list_url": list_url, "scopes": scope_labels(client)},
    )
