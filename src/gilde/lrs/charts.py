"""Learning activity as inline SVG, drawn like the competency charts: a title and description
for screen readers, every number also written out (and in the table beside the chart), sized
for a 360 px screen and without style attributes (the content security policy forbids them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from gilde.lrs.selectors_records import Month

WIDTH = 360
FONT = 13
INK = "#1b1f24"
MUTED = "#4a5360"
LINE = "#c9d1db"
BAR = "#0b5394"
DONE = "#1d6b2f"


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _open(chart_id: str, height: float, title: str, description: str) -> list[str]:
    t, d = f"{chart_id}-title", f"{chart_id}-desc"
    return [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {_f(height)}" width="{WIDTH}" '
        f'height="{_f(height)}" role="img" aria-labelledby="{t} {d}" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{t}">{escape(title)}</title>',
        f'<desc id="{d}">{escape(description)}</desc>',
    ]


def _nice_top(value: int) -> int:
    for top in (1, 2, 4, 5, 10, 20, 25, 50, 100):
        if value <= top:
            return top
    step = 10 ** (len(str(value)) - 1)
    return -(-value // step) * step


def month_chart(months: Sequence[Month], *, chart_id: str = "month-chart") -> SafeString:
    """A column per month: all records, with the completed and passed ones as the green part
    at its foot."""
    left, right, top, bottom = 34.0, 8.0, 12.0, 50.0
    height = 210.0
    x0, x1 = left, WIDTH - right
    y0, y1 = height - bottom, top
    n = max(len(months), 1)
    step = (x1 - x0) / n
    bar_w = max(min(step * 0.7, 28.0), 2.0)
    peak = _nice_top(max([m.total for m in months] or [0]) or 1)
    out = _open(
        chart_id,
        height,
        _("Learning records per month"),
        _(
            "A column per month with the number of learning records; the green part counts "
            "the records of something completed or passed. The same numbers are in the table."
        ),
    )
    for value in sorted({0, peak // 2, peak}):
        y = y0 - (y0 - y1) * value / peak
        out.append(
            f'<line x1="{_f(x0)}" y1="{_f(y)}" x2="{_f(x1)}" y2="{_f(y)}" stroke="{LINE}"/>'
            f'<text x="{_f(x0 - 5)}" y="{_f(y + 4)}" text-anchor="end" fill="{MUTED}">'
            f"{value}</text>"
        )
    # Month names are some 26 units wide: show every so many, always including the last.
    every = max(1, -(-n * 30 // int(x1 - x0)))
    for i, month in enumerate(months):
        cx = x0 + step * i + step / 2
        done = month.completed + month.passed
        label = formats.date_format(month.month, "F Y")
        words = ngettext("%(n)d record", "%(n)d records", month.total) % {"n": month.total}
        if done:
            words += ", " + ngettext(
                "%(n)d completed or passed", "%(n)d completed or passed", done
            ) % {"n": done}
        out.append(f"<g><title>{escape(label)}: {escape(words)}</title>")
        if month.total:
            h = (y0 - y1) * month.total / peak
            out.append(
                f'<rect x="{_f(cx - bar_w / 2)}" y="{_f(y0 - h)}" width="{_f(bar_w)}" '
                f'height="{_f(h)}" fill="{BAR}"/>'
            )
            if done:
                hd = (y0 - y1) * min(done, month.total) / peak
                out.append(
                    f'<rect x="{_f(cx - bar_w / 2)}" y="{_f(y0 - hd)}" width="{_f(bar_w)}" '
                    f'height="{_f(hd)}" fill="{DONE}"/>'
                )
        out.append("</g>")
        if (n - 1 - i) % every == 0:
            out.append(
                f'<text x="{_f(cx)}" y="{_f(y0 + 15)}" text-anchor="middle" fill="{MUTED}">'
                f"{escape(formats.date_format(month.month, 'M'))}</text>"
            )
            if i == 0 or month.month.month == 1:
                out.append(
                    f'<text x="{_f(cx)}" y="{_f(y0 + 29)}" text-anchor="middle" '
                    f'fill="{MUTED}">{month.month.year}</text>'
                )
    ly = height - 6
    all_text, done_text = _("all records"), _("completed or passed")
    out.append(
        f'<rect x="{_f(x0)}" y="{_f(ly - 10)}" width="12" height="10" fill="{BAR}"/>'
        f'<text x="{_f(x0 + 16)}" y="{_f(ly)}" fill="{INK}">{escape(all_text)}</text>'
    )
    lx = x0 + 30 + 7.2 * len(all_text)
    out.append(
        f'<rect x="{_f(lx)}" y="{_f(ly - 10)}" width="12" height="10" fill="{DONE}"/>'
        f'<text x="{_f(lx + 16)}" y="{_f(ly)}" fill="{INK}">{escape(done_text)}</text>'
    )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text is escaped above


def people_chart(
    rows: Sequence[tuple[str, int, int]], *, chart_id: str = "people-chart"
) -> SafeString:
    """A bar per person: (name, records, completed or passed)."""
    label_w, right_w, top, row_h = 118.0, 40.0, 8.0, 26.0
    x0, x1 = label_w, WIDTH - right_w
    span = x1 - x0
    height = top + row_h * max(len(rows), 1) + 26
    peak = max([total for _n, total, _d in rows] or [0]) or 1
    out = _open(
        chart_id,
        height,
        _("Learning records per person"),
        _(
            "A bar per person with the number of learning records; the green part counts the "
            "records of something completed or passed. The same numbers are in the table."
        ),
    )
    for i, (name, total, done) in enumerate(rows):
        mid = top + i * row_h + row_h / 2
        words = ngettext("%(n)d record", "%(n)d records", total) % {"n": total}
        out.append(f"<g><title>{escape(name)}: {escape(words)}</title>")
        out.append(
            f'<text x="{_f(label_w - 6)}" y="{_f(mid + 4)}" text-anchor="end" fill="{INK}">'
            f"{escape(_clip(name, 14))}</text>"
        )
        if total:
            w = max(span * total / peak, 3.0)
            out.append(
                f'<rect x="{_f(x0)}" y="{_f(mid - 6)}" width="{_f(w)}" height="12" fill="{BAR}"/>'
            )
            if done:
                wd = max(span * min(done, total) / peak, 2.0)
                out.append(
                    f'<rect x="{_f(x0)}" y="{_f(mid - 6)}" width="{_f(wd)}" height="12" '
                    f'fill="{DONE}"/>'
                )
        out.append(f'<text x="{_f(x1 + 6)}" y="{_f(mid + 4)}" fill="{INK}">{total}</text></g>')
    ly = height - 8
    all_text, done_text = _("all records"), _("completed or passed")
    out.append(
        f'<rect x="8" y="{_f(ly - 10)}" width="12" height="10" fill="{BAR}"/>'
        f'<text x="24" y="{_f(ly)}" fill="{INK}">{escape(all_text)}</text>'
    )
    lx = 38 + 7.2 * len(all_text)
    out.append(
        f'<rect x="{_f(lx)}" y="{_f(ly - 10)}" width="12" height="10" fill="{DONE}"/>'
        f'<text x="{_f(lx + 16)}" y="{_f(ly)}" fill="{INK}">{escape(done_text)}</text>'
    )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text is escaped above
