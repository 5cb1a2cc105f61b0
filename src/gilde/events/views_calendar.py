"""My events and calendar feeds: the private feed address (made, shown once, revoked), the feed
itself (the secret in the address is the credential) and the network's public calendar."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde.events import calendar, feeds, selectors
from gilde.events.access import led_people
from gilde.events.models import CalendarFeed
from gilde.tenancy.access import networks_visible_to
from gilde.tenancy.models import Network


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    feed = CalendarFeed.objects.filter(
        person_id=request.user.pk or 0, revoked_at__isnull=True
    ).first()
    token = request.session.pop("events_new_feed_token", None)
    return render(
        request,
        "events/mine.html",
        {
            "registrations": selectors.my_registrations(request.user),
            "hosted": selectors.hosted_sessions(request.user),
            "feed": feed,
            "new_feed_url": calendar.feed_url(token) if token and feed else None,
            "networks": networks_visible_to(request.user).order_by("name"),
            "leads": led_people(request.user).exists(),
        },
    )


@login_required
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    if request.POST.get("make") != "1":
        return redirect("events:mine")
    _feed, token = feeds.calendar_feed_create(actor=request.user)
    # Shown once, on the next page; only its hash is stored.
    request.session["events_new_feed_token"] = token
    messages.success(request, _("Your calendar address is ready. Copy it now: it is shown once."))
    return redirect("events:mine")


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    if feeds.calendar_feed_revoke(actor=request.user):
        messages.success(request, _("Your calendar address no longer works."))
    return redirect("events:mine")


def feed(request: HttpRequest, feed_token: str) -> HttpResponse:
    """The private feed. No log-in (calendar programs cannot log in): the secret is the key."""
    found = feeds.feed_of_token(feed_token)
    response = HttpResponse(feeds.personal_feed(found), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


def network_feed(request: HttpRequest, network_slug: str) -> HttpResponse:
    """The network's public sessions, for anyone to subscribe to: title, time and place only."""
    network = Network.objects.filter(slug=network_slug).first()
    if network is None:
        from django.http import Http404

        raise Http404
    response = HttpResponse(
        feeds.network_feed(network), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "public, max-age=900"
    return response
