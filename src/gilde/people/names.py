"""Dutch personal names: a given name, an optional tussenvoegsel ("van", "de", "van 't") and a
family name. Dutch convention sorts on the family name without the tussenvoegsel ("Berg, Anna van
den") and writes the tussenvoegsel in lower case after a given name ("Anna van den Berg")."""

from __future__ import annotations

import unicodedata

# The prefixes that occur in Dutch family names, longest first so that "van der" wins over "van".
TUSSENVOEGSELS = sorted(
    {
        "van",
        "de",
        "der",
        "den",
        "het",
        "'t",
        "te",
        "ten",
        "ter",
        "in",
        "op",
        "onder",
        "uit",
        "aan",
        "bij",
        "la",
        "le",
        "du",
        "da",
        "di",
        "del",
        "della",
        "dos",
        "el",
        "l'",
        "'s",
        "van de",
        "van der",
        "van den",
        "van het",
        "van 't",
        "van ter",
        "van de l'",
        "in de",
        "in 't",
        "in het",
        "op de",
        "op den",
        "op 't",
        "op ten",
        "aan de",
        "aan den",
        "aan het",
        "uit de",
        "uit den",
        "uit het",
        "uit 't",
        "bij de",
        "de la",
        "de l'",
        "de van der",
        "ter van",
        "von",
        "von der",
        "zu",
        "'s-",
        "onder de",
        "onder den",
        "van 's",
    },
    key=len,
    reverse=True,
)


def full_name(given: str, infix: str, family: str) -> str:
    return " ".join(part for part in (given.strip(), infix.strip(), family.strip()) if part)


def sort_name(given: str, infix: str, family: str) -> str:
    """The key Dutch address lists sort by: family name first, tussenvoegsel ignored."""
    key = f"{family.strip()} {given.strip()} {infix.strip()}".strip()
    normalized = unicodedata.normalize("NFKD", key)
    return "".join(c for c in normalized if not unicodedata.combining(c)).casefold()


def split_family_name(value: str) -> tuple[str, str]:
    """Split "van 't Hof" into ("van 't", "Hof"); a name without a known prefix stays whole."""
    text = " ".join(value.split())
    lowered = text.lower()
    for prefix in TUSSENVOEGSELS:
        if lowered.startswith(prefix + " ") and len(text) > len(prefix) + 1:
            return text[: len(prefix)].lower(), text[len(prefix) + 1 :]
    return "", text
