"""Where Gilde keeps data about a person: the list that personal data export and erasure walk.

Each section has a name (a key in the exported JSON file), a function that returns everything the
section holds about one person, and optionally a function that removes or anonymises it. A section
also names the models it looked at (`covers`), so a test can prove that no model pointing at a
person was forgotten. How to add a section: docs/privacy.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from gilde.people.models import Person

Exporter = Callable[["Person"], dict[str, Any]]
Eraser = Callable[["Person"], None]


@dataclass(frozen=True)
class Section:
    name: str
    export: Exporter
    erase: Eraser | None
    covers: tuple[str, ...]


_sections: dict[str, Section] = {}


def register(
    name: str,
    *,
    export: Exporter,
    erase: Eraser | None = None,
    covers: Iterable[str] = (),
) -> Section:
    """Add a section. `covers` lists "app_label.ModelName" for every model the section is
    responsible for. A name can be registered once; a second registration is a programming error."""
    if name in _sections:
        raise ImproperlyConfigured(f"Personal data section {name!r} is registered twice.")
    section = Section(name=name, export=export, erase=erase, covers=tuple(covers))
    _sections[name] = section
    return section


def sections() -> list[Section]:
    """All sections in the order they were registered (the order of the export file and of
    erasure)."""
    return list(_sections.values())


def covered_models() -> set[str]:
    return {label for section in _sections.values() for label in section.covers}
