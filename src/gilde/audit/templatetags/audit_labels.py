"""`{% load audit_labels %}{{ event.action|action_label }}`: the readable name of an audit action
for any page that shows audit rows."""

from __future__ import annotations

from django import template

from gilde.audit.labels import action_label as _action_label

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return _action_label(action)
