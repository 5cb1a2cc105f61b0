"""Calendar feeds: a person's private address (made, shown once, revoked) and the network's
public calendar. Each feed is read with a constant number of queries, whatever its length."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.audit.services import audit_record
from gilde.events import calendar
from gilde.events.models import CalendarFeed, Registration, RegistrationStatus, Session
from gilde.learning.models import ItemStatus
from gilde.tenancy.models import Network, NetworkMembershipStatus

# Feeds look this far back, so that last month's sessions stay in a subscribed calendar.
FEED_PAST = dt.timedelta(days=90)


@transaction.atomic
def calendar_feed_create(*, actor: Any) -> tuple[CalendarFeed, str]:
    """A new private address; any earlier one of the person stops working. Returns the feed and
    its secret, which is shown once and never stored."""
    now = timezone.now()
    CalendarFeed.objects.filter(person=actor, revoked_at__isnull=True).update(revoked_at=now)
    token = calendar.new_token()
    feed = CalendarFeed.objects.create(person=actor, token_hash=calendar.token_hash(token))
    audit_record(actor=actor, action="events.feed_create", subject=actor)
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, actor: Any) -> int:
    revoked = CalendarFeed.objects.filter(person=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit_record(actor=actor, action="events.feed_revoke", subject=actor)
    return revoked


def feed_of_token(token: str) -> CalendarFeed:
    feed = (
        CalendarFeed.objects.filter(token_hash=calendar.token_hash(token), revoked_at__isnull=True)
        .select_related("person")
        .first()
    )
    if feed is None or not feed.person.is_active:
        raise Http404
    return feed


def personal_feed(feed: CalendarFeed) -> bytes:
    """The person's sessions: places, places on the waiting list, and cancelled ones (so the
    calendar strikes them through). Three queries."""
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > dt.timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    registrations = list(
        Registration.objects.filter(
            person=feed.person,
            session__ends_at__gte=now - FEED_PAST,
        )
        .exclude(status=RegistrationStatus.DECLINED)
        .select_related("session__series__item")
        .order_by("session__starts_at")
    )
    by_session = {r.session_id: r for r in registrations}
    sessions = [r.session for r in registrations]
    return calendar.feed(
        name=_("My sessions in Gilde"), sessions=sessions, registrations=by_session
    )


def public_sessions(network: Network) -> Any:
    """Sessions of published public series of the network or of its member organisations."""
    members = network.memberships.filter(status=NetworkMembershipStatus.APPROVED).values(
        "organisation_id"
    )
    return (
        Session.objects.filter(
            Q(series__item__network=network) | Q(series__item__organisation_id__in=members),
            series__public=True,
            series__item__status=ItemStatus.PUBLISHED,
            ends_at__gte=timezone.now() - FEED_PAST,
        )
        .select_related("series__item")
        .order_by("starts_at")
    )


def network_feed(network: Network) -> bytes:
    return calendar.feed(
        name=_("Sessions of %(network)s") % {"network": network.name},
        sessions=public_sessions(network),
    )
