"""The one signal learning sends: an item was completed.

Other apps react to a completion (a development plan ticks the action linked to the item, a
certificate is issued) by connecting a receiver in their AppConfig.ready():

    from gilde.learning.signals import item_completed

    item_completed.connect(tick_plan_action, dispatch_uid="development.tick_plan_action")

The receiver gets `completion` (a learning.Completion) and `enrolment`, and runs inside the
transaction that records the completion: if it fails, the completion is not stored either.
Keep receivers small and put their work in their own app's services.
"""

from __future__ import annotations

from django.dispatch import Signal

item_completed = Signal()
