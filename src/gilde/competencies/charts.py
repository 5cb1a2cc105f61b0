"""Charts drawn on the server as inline SVG: no script, no library, readable without colour.

Every chart is an image with a title and a description for screen readers (role="img",
aria-labelledby), and every page that shows one also shows the same numbers in a table. Colours
go in SVG presentation attributes, not in style attributes, so the page's content security
policy (style-src 'self') allows them. The drawing is sized for a 360 px screen (viewBox 360
wide) and grows with the page up to the width the stylesheet allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from gilde.competencies.matrix import ColumnSource
    from gilde.competencies.progress import Progress

WIDTH = 360
# In viewBox units: about 12.5 px on a 360 px phone, where the chart is some 330 px wide.
FONT = 14
INK = "#1b1f24"
MUTED = "#4a5360"
LINE = "#c9d1db"
MET = "#1d6b2f"
BELOW = "#8a4b00"
SERIES = ("#0b5394", "#8a4b00", "#1d6b2f", "#6a1b9a")


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open(chart_id: str, height: float, title: str, description: str) -> list[str]:
    t, d = f"{chart_id}-title", f"{chart_id}-desc"
    return [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {_f(height)}" width="{WIDTH}" '
        f'height="{_f(height)}" role="img" aria-labelledby="{t} {d}" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{t}">{escape(title)}</title>',
        f'<desc id="{d}">{escape(description)}</desc>',
    ]


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


@dataclass(frozen=True)
class Bar:
    """One competency: where the person (or group) stands and what is required, on 0–1."""

    label: str
    name: str
    value: float | None
    required: float | None
    value_text: str
    required_text: str = ""
    # A second requirement (a target profile) drawn as a hollow marker.
    target: float | None = None


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    ticks: Sequence[tuple[float, str]],
) -> SafeString:
    """Horizontal bars of the current level with the required level as a black line across.
    A bar that reaches the line is green, one that falls short is brown; the numbers are
    written beside each bar as well, so colour is never the only sign."""
    label_w, right_w, top, row_h = 88.0, 58.0, 30.0, 28.0
    x0, x1 = label_w, WIDTH - right_w
    span = x1 - x0
    height = top + row_h * max(len(bars), 1) + 30
    out = _open(chart_id, height, title, description)
    for position, text in ticks:
        x = x0 + span * position
        out.append(
            f'<line x1="{_f(x)}" y1="{_f(top - 6)}" x2="{_f(x)}" y2="{_f(height - 30)}" '
            f'stroke="{LINE}" stroke-width="1"/>'
            f'<text x="{_f(x)}" y="{_f(top - 12)}" text-anchor="middle" fill="{MUTED}">'
            f"{escape(text)}</text>"
        )
    for i, bar in enumerate(bars):
        y = top + i * row_h
        mid = y + row_h / 2
        out.append(f"<g><title>{escape(bar.name)}: {escape(bar.value_text)}</title>")
        out.append(
            f'<text x="{_f(label_w - 6)}" y="{_f(mid + 5)}" text-anchor="end" fill="{INK}">'
            f"{escape(_clip(bar.label, 11))}</text>"
        )
        if bar.value is not None:
            met = bar.required is None or bar.value >= bar.required - 1e-9
            colour = MET if met else BELOW
            w = max(span * bar.value, 3.0)
            out.append(
                f'<rect x="{_f(x0)}" y="{_f(mid - 6)}" width="{_f(w)}" height="12" '
                f'fill="{colour}"/>'
            )
        if bar.required is not None:
            x = x0 + span * bar.required
            out.append(
                f'<line x1="{_f(x)}" y1="{_f(mid - 10)}" x2="{_f(x)}" y2="{_f(mid + 10)}" '
                f'stroke="{INK}" stroke-width="3"/>'
            )
        if bar.target is not None:
            x = x0 + span * bar.target
            out.append(
                f'<circle cx="{_f(x)}" cy="{_f(mid)}" r="5" fill="#fff" stroke="{INK}" '
                f'stroke-width="2"/>'
            )
        out.append(
            f'<text x="{_f(x1 + 10)}" y="{_f(mid + 5)}" fill="{INK}">'
            f"{escape(bar.value_text)}</text></g>"
        )
    # Legend: shapes and words, not colours alone.
    ly = height - 12
    lx = 8.0
    current, required, target = _("current"), _("required"), _("target")
    out.append(
        f'<rect x="{_f(lx)}" y="{_f(ly - 9)}" width="14" height="10" fill="{MET}"/>'
        f'<text x="{_f(lx + 18)}" y="{_f(ly)}" fill="{INK}">{escape(current)}</text>'
    )
    lx += 34 + 7.8 * len(current)
    out.append(
        f'<line x1="{_f(lx + 2)}" y1="{_f(ly - 11)}" x2="{_f(lx + 2)}" y2="{_f(ly + 2)}" '
        f'stroke="{INK}" stroke-width="3"/>'
        f'<text x="{_f(lx + 10)}" y="{_f(ly)}" fill="{INK}">{escape(required)}</text>'
    )
    lx += 26 + 7.8 * len(required)
    if any(b.target is not None for b in bars):
        out.append(
            f'<circle cx="{_f(lx + 5)}" cy="{_f(ly - 4)}" r="5" fill="#fff" stroke="{INK}" '
            f'stroke-width="2"/>'
            f'<text x="{_f(lx + 15)}" y="{_f(ly)}" fill="{INK}">{escape(target)}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    dashed: bool = False


def step_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    ticks: Sequence[tuple[float, str]],
) -> SafeString:
    """A step line per series over months (0–1 upwards). The level holds until the next month
    changes it, which is how a rating works. A dashed series (the requirement) is told apart by
    its dashes, the others by their markers (circle, square)."""
    left, right, top, bottom = 44.0, 12.0, 14.0, 54.0
    height = 220.0
    x0, x1 = left, WIDTH - right
    y0, y1 = height - bottom, top  # y0 is the bottom (value 0)
    n = max(len(labels), 1)
    step = (x1 - x0) / n

    def xy(i: int, v: float) -> tuple[float, float]:
        return x0 + step * i, y0 - (y0 - y1) * v

    out = _open(chart_id, height, title, description)
    for position, text in ticks:
        y = y0 - (y0 - y1) * position
        out.append(
            f'<line x1="{_f(x0)}" y1="{_f(y)}" x2="{_f(x1)}" y2="{_f(y)}" stroke="{LINE}"/>'
            f'<text x="{_f(x0 - 6)}" y="{_f(y + 4)}" text-anchor="end" fill="{MUTED}">'
            f"{escape(text)}</text>"
        )
    # A month label is some 70 units wide: show every so many, always including the last.
    every = max(1, -(-len(labels) * 78 // int(x1 - x0)))
    for i, label in enumerate(labels):
        if (len(labels) - 1 - i) % every:
            continue
        x = x0 + step * i + step / 2
        out.append(
            f'<text x="{_f(x)}" y="{_f(y0 + 16)}" text-anchor="middle" fill="{MUTED}">'
            f"{escape(label)}</text>"
        )
    for k, s in enumerate(series):
        colour = INK if s.dashed else SERIES[k % len(SERIES)]
        path: list[str] = []
        for i, v in enumerate(s.values):
            if v is None:
                continue
            xa, y = xy(i, v)
            xb = xa + step
            path.append(f"{'M' if not path else 'L'}{_f(xa)} {_f(y)} H{_f(xb)}")
        if path:
            dash = ' stroke-dasharray="6 4"' if s.dashed else ""
            out.append(
                f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash}/>'
            )
        if not s.dashed:
            for i, v in enumerate(s.values):
                if v is None:
                    continue
                xa, y = xy(i, v)
                cx = xa + step / 2
                label = f"{labels[i]}: {round(v * 100)}%"
                if k % 2:
                    shape = (
                        f'<rect x="{_f(cx - 4)}" y="{_f(y - 4)}" width="8" height="8" '
                        f'fill="{colour}"/>'
                    )
                else:
                    shape = f'<circle cx="{_f(cx)}" cy="{_f(y)}" r="4" fill="{colour}"/>'
                out.append(f"<g><title>{escape(s.name)}, {escape(label)}</title>{shape}</g>")
    # Legend below the months.
    lx, ly = x0, height - 14
    for k, s in enumerate(series):
        colour = INK if s.dashed else SERIES[k % len(SERIES)]
        if s.dashed:
            mark = (
                f'<line x1="{_f(lx)}" y1="{_f(ly - 4)}" x2="{_f(lx + 18)}" y2="{_f(ly - 4)}" '
                f'stroke="{colour}" stroke-width="2.5" stroke-dasharray="6 4"/>'
            )
        elif k % 2:
            mark = f'<rect x="{_f(lx + 5)}" y="{_f(ly - 8)}" width="8" height="8" fill="{colour}"/>'
        else:
            mark = f'<circle cx="{_f(lx + 9)}" cy="{_f(ly - 4)}" r="4" fill="{colour}"/>'
        text = _clip(s.name, 22)
        out.append(f'{mark}<text x="{_f(lx + 24)}" y="{_f(ly)}" fill="{INK}">{escape(text)}</text>')
        lx += 40 + 7.8 * len(text)
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308


def percent_ticks() -> list[tuple[float, str]]:
    return [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")]


def level_ticks(values: Sequence[int]) -> list[tuple[float, str]]:
    """The levels of a scale at their place on the 0–1 range."""
    if len(values) < 2:
        return [(0.0, str(values[0]) if values else "")]
    low, high = values[0], values[-1]
    return [((v - low) / (high - low), str(v)) for v in values]


def required_average(source: ColumnSource) -> float | None:
    required = [
        c.required_normalised for c in source.all_columns if c.required_normalised is not None
    ]
    return sum(required) / len(required) if required else None


def progress_chart(
    chart_id: str, title: str, name: str, progress: Progress, source: ColumnSource
) -> SafeString:
    """The monthly average of a person or group, with the profile's average required level as
    a dashed line."""
    series = [Series(name=name, values=progress.values)]
    required = required_average(source)
    if required is not None:
        series.append(
            Series(name=_("required"), values=[required for _v in progress.values], dashed=True)
        )
    return step_chart(
        chart_id=chart_id,
        title=title,
        description=_(
            "The average level per month, from 0% (lowest level everywhere) to 100% (highest "
            "level everywhere). The same numbers are in the table."
        ),
        labels=progress.labels,
        series=series,
        ticks=percent_ticks(),
    )
