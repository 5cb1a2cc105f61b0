"""The learning-records section of a person's data export and erasure (see docs/privacy.md).

Erasure keeps the learning that happened and forgets who did it: each statement's actor becomes
an anonymous account of its own, its index rows follow, and the link to the person is cut. Counts
per activity, verb and organisation stay right; nothing points back at the person.
"""

from __future__ import annotations

import uuid
from typing import Any

import orjson
from django.db import transaction


def _keys(person: Any) -> list[str]:
    from gilde.lrs.services import site_home

    keys = ["account:" + site_home() + "|" + str(person.uuid)]
    if person.email:
        keys.append("mbox:mailto:" + person.email)
    return keys


def lrs_export(person: Any) -> dict[str, Any]:
    from gilde.lrs.models import Client, Document, Statement

    statements = [
        orjson.loads(data)
        for data in Statement.objects.filter(person=person)
        .order_by("seq")
        .values_list("data", flat=True)
    ]
    documents = [
        {
            "kind": d.kind,
            "id": d.doc_id,
            "activity": d.activity,
            "content_type": d.content_type,
            "updated": d.updated.isoformat(),
            "content": bytes(d.content).decode("utf-8", "replace"),
        }
        for d in Document.objects.filter(agent__in=_keys(person))
    ]
    clients = [
        {"name": c.name, "created_at": c.created_at.isoformat()}
        for c in Client.objects.filter(created_by=person)
    ]
    return {"statements": statements, "documents": documents, "clients_created": clients}


def lrs_erase(person: Any) -> None:
    from gilde.lrs.models import Client, Document, LinkKind, Statement, StatementLink
    from gilde.lrs.services import site_home
    from gilde.lrs.validation import agent_key

    with transaction.atomic():
        for statement in Statement.objects.filter(person=person).select_for_update():
            data = orjson.loads(statement.data)
            old_key = agent_key(data["actor"])
            anonymous = {
                "objectType": "Agent",
                "account": {"homePage": site_home(), "name": f"anonymous-{uuid.uuid4()}"},
            }
            data["actor"] = anonymous
            statement.data = orjson.dumps(data).decode()
            statement.person = None
            statement.save(update_fields=["data", "person"])
            if old_key:
                StatementLink.objects.filter(
                    statement=statement, kind=LinkKind.AGENT, key=old_key
                ).update(key=agent_key(anonymous))
        Document.objects.filter(agent__in=_keys(person)).delete()
        Client.objects.filter(created_by=person).update(created_by=None)


def register_lrs_section() -> None:
    from gilde.privacy.registry import register

    register(
        "learning_records",
        export=lrs_export,
        erase=lrs_erase,
        covers=["lrs.Statement", "lrs.Document", "lrs.Client"],
    )
