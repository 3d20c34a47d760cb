"""Small server-side charts as inline SVG: plain functions from numbers to markup.

No JavaScript and no chart library: the dashboard embeds the returned ``<svg>`` string. Every
text that reaches the markup is escaped here, so callers may mark the result safe. Each chart
has ``role="img"`` and an accessible name, and each bar a ``<title>`` (shown on hover and read
by screen readers) and a ``data-value`` with its number.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BRAND = "#0b57d0"
MUTED = "#545b64"
LINE = "#d7dce1"
FONT = 'font-family="system-ui,sans-serif"'


def _num(value: float) -> str:
    """A number as compact SVG/text: whole numbers without a decimal point."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def _coord(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _open(width: int, height: int, title: str, css_class: str) -> str:
    label = escape(title)
    return (
        f'<svg class="chart {css_class}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" aria-label="{label}"><title>{label}</title>'
    )


def _empty(width: int, height: int, title: str, css_class: str, empty_text: str) -> str:
    return (
        _open(width, height, title, css_class)
        + f'<text class="empty" x="{width // 2}" y="{height // 2}" text-anchor="middle" '
        f'fill="{MUTED}" font-size="14" {FONT}>{escape(empty_text)}</text></svg>'
    )


def bar_chart(
    series: Sequence[tuple[str, float]],
    *,
    title: str,
    empty_text: str,
    tick_every: int = 1,
    width: int = 600,
    height: int = 180,
) -> str:
    """Vertical bars, one per (label, value), scaled to the largest value.

    Every ``tick_every``-th label is written under its bar (all labels stay in the bars'
    titles). An empty series gives a chart holding only ``empty_text``.
    """
    if not series:
        return _empty(width, height, title, "bars", empty_text)
    if any(value < 0 for _label, value in series):
        raise ValueError("bar_chart draws non-negative values only")
    top, bottom, left, right = 18, 24, 36, 6
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(value for _label, value in series)
    scale = plot_h / peak if peak else 0.0
    slot = plot_w / len(series)
    gap = min(4.0, slot * 0.2)
    base = top + plot_h
    parts = [
        _open(width, height, title, "bars"),
        # The y axis: 0 at the base line and the peak value at the top.
        f'<text x="{left - 4}" y="{base}" text-anchor="end" fill="{MUTED}" font-size="11" '
        f"{FONT}>0</text>",
        f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="{LINE}"/>',
    ]
    if peak:
        parts.append(
            f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" fill="{MUTED}" '
            f'font-size="11" {FONT}>{_num(peak)}</text>'
        )
    step = max(1, tick_every)
    for index, (label, value) in enumerate(series):
        x = left + index * slot + gap / 2
        bar_h = value * scale
        text = escape(f"{label}: {_num(value)}")
        parts.append(
            f'<rect class="col" x="{_coord(x)}" y="{_coord(base - bar_h)}" '
            f'width="{_coord(slot - gap)}" height="{_coord(bar_h)}" fill="{BRAND}" '
            f'data-value="{_num(value)}"><title>{text}</title></rect>'
        )
        if index % step == 0:
            parts.append(
                f'<text x="{_coord(x + (slot - gap) / 2)}" y="{height - 6}" text-anchor="middle" '
                f'fill="{MUTED}" font-size="11" {FONT}>{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def meter_chart(
    parts: Sequence[tuple[str, float, str]],
    *,
    total: float,
    title: str,
    empty_text: str,
    width: int = 600,
    height: int = 44,
) -> str:
    """One horizontal bar of length ``total`` filled by consecutive (label, value, colour) parts.

    Used for spend against budget. Parts larger than what is left of ``total`` are clipped
    to it; a zero ``total`` gives a chart holding only ``empty_text``.
    """
    if total <= 0:
        return _empty(width, height, title, "meter", empty_text)
    if any(value < 0 for _label, value, _colour in parts):
        raise ValueError("meter_chart draws non-negative values only")
    bar_y, bar_h = 6, height - 12
    out = [
        _open(width, height, title, "meter"),
        f'<rect class="track" x="0" y="{bar_y}" width="{width}" height="{bar_h}" rx="6" '
        f'fill="#f3f5f7" stroke="{LINE}"/>',
    ]
    x = 0.0
    for label, value, colour in parts:
        seg = min(value / total * width, width - x)
        if seg <= 0:
            continue
        text = escape(f"{label}: {_num(value)}")
        out.append(
            f'<rect class="part" x="{_coord(x)}" y="{bar_y}" width="{_coord(seg)}" '
            f'height="{bar_h}" fill="{escape(colour)}" data-value="{_num(value)}">'
            f"<title>{text}</title></rect>"
        )
        x += seg
    out.append("</svg>")
    return "".join(out)
