"""Tags: one normal form, so that the same word typed twice is one tag."""

from __future__ import annotations

import re

TAG_MAX_LENGTH = 50
_SPACES = re.compile(r"\s+")


def tag_normalise(text: str) -> str:
    """Lower case, single spaces, no commas or surrounding spaces; "" for nothing usable."""
    cleaned = _SPACES.sub(" ", text.replace(",", " ")).strip().lower()
    return cleaned[:TAG_MAX_LENGTH].strip()


def tags_parse(text: str) -> list[str]:
    """Tags typed as one comma-separated line, normalised, without doubles, in typed order."""
    seen: dict[str, None] = {}
    for part in text.split(","):
        tag = tag_normalise(part)
        if tag:
            seen.setdefault(tag, None)
    return list(seen)
