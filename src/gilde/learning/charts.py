"""The team's completion per item as an inline SVG bar chart (the same numbers are in the table
beside it). Drawn like the competency charts: a title and description for screen readers, the
numbers written beside each bar so colour is never the only sign, sized for a 360 px screen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from gilde.learning.selectors import ItemSummary

WIDTH = 360
FONT = 14
INK = "#1b1f24"
LINE = "#c9d1db"
DONE = "#1d6b2f"
BUSY = "#0b5394"


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def completion_chart(items: Sequence[ItemSummary], *, chart_id: str = "team-chart") -> SafeString:
    """One bar per item: the share of enrolled people who completed it."""
    label_w, right_w, top, row_h = 132.0, 56.0, 12.0, 28.0
    x0, x1 = label_w, WIDTH - right_w
    span = x1 - x0
    height = top + row_h * max(len(items), 1) + 28
    title = _("Completed per item")
    description = _("For each item, the share of the enrolled people who completed it.")
    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {_f(height)}" width="{WIDTH}" '
        f'height="{_f(height)}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i, summary in enumerate(items):
        y = top + i * row_h
        mid = y + row_h / 2
        share = summary.completed / summary.enrolled if summary.enrolled else 0.0
        text = f"{summary.completed}/{summary.enrolled}"
        out.append(f"<g><title>{escape(summary.item.title)}: {escape(text)}</title>")
        out.append(
            f'<text x="{_f(label_w - 6)}" y="{_f(mid + 5)}" text-anchor="end" fill="{INK}">'
            f"{escape(_clip(summary.item.title, 14))}</text>"
        )
        out.append(
            f'<rect x="{_f(x0)}" y="{_f(mid - 6)}" width="{_f(span)}" height="12" '
            f'fill="#fff" stroke="{LINE}"/>'
        )
        if share > 0:
            out.append(
                f'<rect x="{_f(x0)}" y="{_f(mid - 6)}" width="{_f(max(span * share, 3.0))}" '
                f'height="12" fill="{DONE}"/>'
            )
        out.append(
            f'<text x="{_f(x1 + 8)}" y="{_f(mid + 5)}" fill="{INK}">{escape(text)}</text></g>'
        )
    ly = height - 10
    out.append(
        f'<rect x="8" y="{_f(ly - 9)}" width="14" height="10" fill="{DONE}"/>'
        f'<text x="26" y="{_f(ly)}" fill="{INK}">{escape(_("completed"))}</text>'
    )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text is escaped above
