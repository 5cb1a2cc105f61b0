"""A background task for the worker tests: the worker imports it by its dotted path."""

from __future__ import annotations

from django_tasks import task


@task()
def add_numbers(a: int, b: int) -> int:
    return a + b
