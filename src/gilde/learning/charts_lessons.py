"""How many got each question of a quiz right, as an inline SVG bar chart beside the same
numbers in a table. Drawn like the team's completion chart (`learning.charts`): a title and
description for screen readers, the numbers written beside each bar, sized for a 360 px screen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from gilde.learning.charts import DONE, FONT, INK, LINE, WIDTH, _f

if TYPE_CHECKING:
    from gilde.learning.selectors_lessons import QuestionResult


def question_chart(rows: Sequence[QuestionResult], *, chart_id: str = "quiz-chart") -> SafeString:
    """One bar per question: the share of the attempts that drew it and got it right."""
    label_w, right_w, top, row_h = 56.0, 72.0, 12.0, 28.0
    x0, x1 = label_w, WIDTH - right_w
    span = x1 - x0
    height = top + row_h * max(len(rows), 1) + 28
    title = _("Right answers per question")
    description = _("For each question, the share of the attempts that drew it and got it right.")
    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {_f(height)}" width="{WIDTH}" '
        f'height="{_f(height)}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i, row in enumerate(rows):
        y = top + i * row_h
        mid = y + row_h / 2
        share = row.right / row.drawn if row.drawn else 0.0
        text = f"{row.right}/{row.drawn}"
        label = _("Q%(n)d") % {"n": row.number}
        out.append(f"<g><title>{escape(label)}: {escape(text)}</title>")
        out.append(
            f'<text x="{_f(label_w - 6)}" y="{_f(mid + 5)}" text-anchor="end" fill="{INK}">'
            f"{escape(label)}</text>"
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
        f'<text x="26" y="{_f(ly)}" fill="{INK}">{escape(_("answered right"))}</text>'
    )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text is escaped above
