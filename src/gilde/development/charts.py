"""Charts for the needs-analysis report and the targets, drawn on the server as inline SVG in the
house style of `competencies/charts.py`: a title and description for screen readers, colours in
presentation attributes (the content security policy allows no style attributes), the numbers
written in the drawing as well (colour is never the only sign), and the same numbers in a table
beside every chart."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from gilde.competencies.charts import BELOW, MET
from gilde.development.survey_report import Report

FONT = 13
INK = "#1b1f24"
MUTED = "#4a5360"
LINE = "#c9d1db"
HIDDEN = "#e9edf1"
# Five steps from light to dark for an average need of 1 … 4; text turns white on the dark ones.
RAMP = ("#f3f6fb", "#cfdcf0", "#9db9e0", "#4f7fc0", "#0b3f85")


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _step(need: float) -> int:
    """1 → 0, 4 → 4, evenly in between."""
    return max(0, min(4, round((need - 1) / 3 * 4)))


def heatmap(*, chart_id: str, report: Report) -> SafeString:
    """Groups (rows) × competencies (columns), each cell the average need, shaded and written.
    As wide as the competencies need; the page scrolls it sideways on a phone."""
    label_w, col_w, top, row_h = 150.0, 42.0, 26.0, 30.0
    rows = [*report.groups, *([report.total] if report.total else [])]
    codes = [c.code for c in report.competencies]
    width = label_w + col_w * max(len(codes), 1) + 8
    height = top + row_h * max(len(rows), 1) + 36
    title = _("Need per competency and %(group)s") % {"group": report.group_label.lower()}
    description = _(
        "Each cell is the average answer to “how much do you need this for your work”, from 1 "
        "(not at all) to 4 (very much): the darker, the more needed. The number is written in "
        "the cell. The same numbers are in the table."
    )
    t, d = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg class="chart heatmap" viewBox="0 0 {_f(width)} {_f(height)}" width="{_f(width)}" '
        f'height="{_f(height)}" role="img" aria-labelledby="{t} {d}" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{t}">{escape(title)}</title>',
        f'<desc id="{d}">{escape(description)}</desc>',
    ]
    for j, code in enumerate(codes):
        x = label_w + col_w * j + col_w / 2
        out.append(
            f'<text x="{_f(x)}" y="{_f(top - 8)}" text-anchor="middle" fill="{INK}" '
            f'font-size="11">{escape(_clip(code, 7))}</text>'
        )
    for i, group in enumerate(rows):
        y = top + row_h * i
        weight = ' font-weight="700"' if group is report.total else ""
        out.append(
            f'<text x="{_f(label_w - 6)}" y="{_f(y + row_h / 2 + 4)}" text-anchor="end" '
            f'fill="{INK}"{weight}>{escape(_clip(group.name, 18))}</text>'
        )
        for j, code in enumerate(codes):
            x = label_w + col_w * j
            cell = group.cells.get(code)
            need = cell.need if cell else None
            if need is None:
                fill, text, colour = HIDDEN, "–", MUTED
            else:
                step = _step(need)
                fill = RAMP[step]
                text = number_format(round(need, 1), decimal_pos=1)
                colour = "#fff" if step >= 3 else INK
            label = f"{group.name}, {code}: {text}"
            out.append(
                f"<g><title>{escape(label)}</title>"
                f'<rect x="{_f(x + 1)}" y="{_f(y + 1)}" width="{_f(col_w - 2)}" '
                f'height="{_f(row_h - 2)}" fill="{fill}" stroke="{LINE}"/>'
                f'<text x="{_f(x + col_w / 2)}" y="{_f(y + row_h / 2 + 4)}" text-anchor="middle" '
                f'fill="{colour}">{escape(text)}</text></g>'
            )
    # Legend: the five shades with their range of answers.
    ly = height - 14
    out.append(f'<text x="4" y="{_f(ly + 4)}" fill="{MUTED}">{escape(_("need"))}: 1</text>')
    for k, colour in enumerate(RAMP):
        out.append(
            f'<rect x="{_f(60 + 22 * k)}" y="{_f(ly - 8)}" width="20" height="14" '
            f'fill="{colour}" stroke="{LINE}"/>'
        )
    out.append(f'<text x="{_f(60 + 22 * 5 + 4)}" y="{_f(ly + 4)}" fill="{MUTED}">4</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308


def count_bars(
    *, chart_id: str, title: str, rows: Sequence[tuple[str, int]], total: int
) -> SafeString:
    """How many chose each answer: a bar as long as the share of all responses, with the number
    written beside it."""
    label_w, right_w, top, row_h = 150.0, 44.0, 8.0, 28.0
    width = 360.0
    span = width - label_w - right_w
    height = top + row_h * max(len(rows), 1) + 8
    description = _(
        "A bar per answer, as long as the share of all responses that chose it; the number of "
        "responses is written beside it. The same numbers are in the table."
    )
    t, d = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg class="chart" viewBox="0 0 {_f(width)} {_f(height)}" width="{_f(width)}" '
        f'height="{_f(height)}" role="img" aria-labelledby="{t} {d}" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{t}">{escape(title)}</title>',
        f'<desc id="{d}">{escape(description)}</desc>',
    ]
    for i, (label, n) in enumerate(rows):
        y = top + row_h * i
        mid = y + row_h / 2
        w = span * (n / total) if total else 0.0
        out.append(
            f"<g><title>{escape(label)}: {n}</title>"
            f'<text x="{_f(label_w - 6)}" y="{_f(mid + 4)}" text-anchor="end" fill="{INK}">'
            f"{escape(_clip(label, 20))}</text>"
            f'<rect x="{_f(label_w)}" y="{_f(mid - 7)}" width="{_f(max(w, 2.0))}" height="14" '
            f'fill="{RAMP[3]}"/>'
            f'<text x="{_f(label_w + max(w, 2.0) + 6)}" y="{_f(mid + 4)}" fill="{INK}">{n}</text></g>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308


def target_bars(*, chart_id: str, rows: Sequence[tuple[str, float, str]]) -> SafeString:
    """Progress towards each target: the bar reaches the black line when the target is met; a
    met target is green, one still open brown, and what was reached is written beside it."""
    label_w, right_w, top, row_h = 150.0, 70.0, 8.0, 30.0
    width = 360.0
    span = width - label_w - right_w
    height = top + row_h * max(len(rows), 1) + 8
    title = _("Progress towards the targets")
    description = _(
        "A bar per target; the black line is the target. Reached targets are green, the others "
        "brown. What was reached and the target are written beside each bar and in the table."
    )
    t, d = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg class="chart" viewBox="0 0 {_f(width)} {_f(height)}" width="{_f(width)}" '
        f'height="{_f(height)}" role="img" aria-labelledby="{t} {d}" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{t}">{escape(title)}</title>',
        f'<desc id="{d}">{escape(description)}</desc>',
    ]
    for i, (label, share, text) in enumerate(rows):
        y = top + row_h * i
        mid = y + row_h / 2
        w = max(span * share, 2.0)
        colour = MET if share >= 1.0 else BELOW
        line = label_w + span
        out.append(
            f"<g><title>{escape(label)}: {escape(text)}</title>"
            f'<text x="{_f(label_w - 6)}" y="{_f(mid + 4)}" text-anchor="end" fill="{INK}">'
            f"{escape(_clip(label, 20))}</text>"
            f'<rect x="{_f(label_w)}" y="{_f(mid - 7)}" width="{_f(w)}" height="14" '
            f'fill="{colour}"/>'
            f'<line x1="{_f(line)}" y1="{_f(mid - 11)}" x2="{_f(line)}" y2="{_f(mid + 11)}" '
            f'stroke="{INK}" stroke-width="3"/>'
            f'<text x="{_f(line + 8)}" y="{_f(mid + 4)}" fill="{INK}">{escape(text)}</text></g>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308
