"""The events part of the access gateway.

A series is a catalogue item of kind "event": whoever sees the item (learning.access) sees its
sessions, their times and places, and how full they are. Who may see *people* is narrower:

- the series' coordinators (those who may edit the item: network coordinators for a network
  series, admins and authors of the owning organisation for an organisation's own series) see
  every registration and attendance of the series — they run it, across member organisations;
- a session's host sees the participants of the sessions they host, to take attendance;
- a manager or organisation admin sees the registrations of the people they lead
  (`learning.access.can_lead`), and registers them;
- everyone sees their own registrations.

That is the explicit cross-organisation rule of this app (docs/permissions.md). Missing and not
yours answer 404 alike.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from gilde.events.models import EventSeries, Registration, Session
from gilde.learning.access import access_item, can_edit_item
from gilde.learning.models import CatalogueItem, ItemKind
from gilde.tenancy.access import standing_of
from gilde.tenancy.models import Membership, Role


def access_series(actor: Any, series_uuid: Any, *, manage: bool = False) -> CatalogueItem:
    """The event item (a series) if the actor sees it; with `manage`, only its coordinators."""
    item = access_item(actor, series_uuid, edit=manage)
    if item.kind != ItemKind.EVENT:
        raise Http404
    return item


def can_manage_series(actor: Any, item: CatalogueItem) -> bool:
    return can_edit_item(actor, item)


def access_session(actor: Any, session_uuid: Any) -> Session:
    """A session of a series the actor sees (its host always sees it)."""
    session = (
        Session.objects.filter(uuid=session_uuid)
        .select_related("series__item__network", "series__item__organisation", "host")
        .first()
    )
    if session is None:
        raise Http404
    if session.host_id is not None and session.host_id == getattr(actor, "pk", None):
        return session
    access_series(actor, session.series.item.uuid)
    return session


def is_host(actor: Any, session: Session) -> bool:
    return session.host_id is not None and session.host_id == getattr(actor, "pk", None)


def can_take_attendance(actor: Any, session: Session) -> bool:
    return is_host(actor, session) or can_manage_series(actor, session.series.item)


def led_people(actor: Any) -> QuerySet[Membership]:
    """Current memberships of the people the actor leads: their team as a manager, everyone of
    an organisation they administer."""
    if not getattr(actor, "is_authenticated", False):
        return Membership.objects.none()
    standing = standing_of(actor)
    admin_orgs = [o.pk for o in standing.admin_organisations()]
    manager_orgs = [o.pk for o in standing.manager_organisations()]
    if not admin_orgs and not manager_orgs:
        return Membership.objects.none()
    return (
        Membership.objects.current()
        .filter(
            Q(organisation_id__in=admin_orgs) | Q(organisation_id__in=manager_orgs, manager=actor)
        )
        .exclude(person=actor)
    )


def registrations_visible_to(actor: Any, item: CatalogueItem) -> QuerySet[Registration]:
    """Registrations of the series the actor may see with names (see the module text)."""
    base = Registration.objects.filter(session__series__item=item)
    if not getattr(actor, "is_authenticated", False):
        return base.none()
    if can_manage_series(actor, item):
        return base
    led = led_people(actor).filter(
        person_id=OuterRef("person_id"), organisation_id=OuterRef("organisation_id")
    )
    return base.filter(Q(person=actor) | Q(session__host=actor) | Q(Exists(led)))


def access_registration(actor: Any, registration_uuid: Any) -> Registration:
    registration = (
        Registration.objects.filter(uuid=registration_uuid)
        .select_related("person", "organisation", "session__series__item__network", "session__host")
        .first()
    )
    if registration is None:
        raise Http404
    item = registration.session.series.item
    if not registrations_visible_to(actor, item).filter(pk=registration.pk).exists():
        raise Http404
    return registration


def series_row(item: CatalogueItem) -> EventSeries | None:
    return EventSeries.objects.filter(item=item).first()


def sees_insight(actor: Any, item: CatalogueItem) -> bool:
    """Targets and attendance figures: the series' coordinators, and managers and admins of an
    organisation whose people may take part (they see their own people's part in it)."""
    if can_manage_series(actor, item):
        return True
    standing = standing_of(actor)
    return any(
        standing.has_org_role(org_id, Role.ORG_ADMIN, Role.MANAGER)
        for org_id in standing.organisations
    )
