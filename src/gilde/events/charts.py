"""The series' progress as inline SVG, drawn like the other charts (competencies/charts.py):
a title and description for screen readers, the numbers written beside each bar so colour is
never the only sign, sized for a 360 px screen. The page shows the same numbers in a table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 360
FONT = 14
INK = "#1b1f24"
MUTED = "#4a5360"
LINE = "#c9d1db"
MET = "#1d6b2f"
BELOW = "#8a4b00"
OPEN = "#0b5394"


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


@dataclass(frozen=True)
class Bar:
    label: str
    actual: int
    target: int | None


def progress_chart(
    *, chart_id: str, title: str, description: str, bars: Sequence[Bar]
) -> SafeString:
    """One bar per row: the number reached, with the target as a black line across. Green when
    the target is met, brown when not yet, blue when there is no target."""
    label_w, right_w, top, row_h = 120.0, 70.0, 12.0, 30.0
    x0, x1 = label_w, WIDTH - right_w
    span = x1 - x0
    scale = max([1] + [b.actual for b in bars] + [b.target or 0 for b in bars])
    height = top + row_h * max(len(bars), 1) + 30
    t, d = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {_f(height)}" width="{WIDTH}" '
        f'height="{_f(height)}" role="img" aria-labelledby="{t} {d}" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{t}">{escape(title)}</title>',
        f'<desc id="{d}">{escape(description)}</desc>',
    ]
    for i, bar in enumerate(bars):
        y = top + i * row_h
        mid = y + row_h / 2
        if bar.target is None:
            colour, text = OPEN, str(bar.actual)
        else:
            colour = MET if bar.actual >= bar.target else BELOW
            text = f"{bar.actual}/{bar.target}"
        out.append(f"<g><title>{escape(bar.label)}: {escape(text)}</title>")
        out.append(
            f'<text x="{_f(label_w - 6)}" y="{_f(mid + 5)}" text-anchor="end" fill="{INK}">'
            f"{escape(_clip(bar.label, 15))}</text>"
        )
        w = max(span * bar.actual / scale, 2.0)
        out.append(
            f'<rect x="{_f(x0)}" y="{_f(mid - 7)}" width="{_f(w)}" height="14" fill="{colour}"/>'
        )
        if bar.target is not None:
            x = x0 + span * bar.target / scale
            out.append(
                f'<line x1="{_f(x)}" y1="{_f(mid - 11)}" x2="{_f(x)}" y2="{_f(mid + 11)}" '
                f'stroke="{INK}" stroke-width="3"/>'
            )
        out.append(
            f'<text x="{_f(x1 + 8)}" y="{_f(mid + 5)}" fill="{INK}">{escape(text)}</text></g>'
        )
    ly = height - 10
    reached, target = _("reached"), _("target")
    out.append(
        f'<rect x="8" y="{_f(ly - 10)}" width="14" height="10" fill="{MET}"/>'
        f'<text x="26" y="{_f(ly)}" fill="{INK}">{escape(reached)}</text>'
    )
    lx = 40 + 7.8 * len(reached)
    out.append(
        f'<line x1="{_f(lx)}" y1="{_f(ly - 12)}" x2="{_f(lx)}" y2="{_f(ly + 2)}" '
        f'stroke="{INK}" stroke-width="3"/>'
        f'<text x="{_f(lx + 8)}" y="{_f(ly)}" fill="{INK}">{escape(target)}</text>'
    )
    out.append(
        f'<line x1="{_f(x0)}" y1="{_f(top - 4)}" x2="{_f(x0)}" y2="{_f(height - 26)}" '
        f'stroke="{LINE}"/>'
    )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


def qr_svg(url: str, *, label: str) -> SafeString:
    """The check-in link as a QR code, an inline SVG image with a text alternative."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    svg = svg.replace("<svg ", f'<svg class="qr" role="img" aria-label="{escape(label)}" ', 1)
    return mark_safe(svg)  # noqa: S308 - drawn by qrcode from our own URL; the label is escaped
