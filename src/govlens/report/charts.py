"""Server-side SVG charts: pure functions from numbers to SVG markup.

Each chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>`` for
screen readers; every data mark is an SVG element with class ``mark`` and its
own ``<title>`` (the value, as a tooltip), so a browser test can count marks
and WeasyPrint can print them. Colours are presentation attributes, never
``style`` attributes, so the charts obey a strict Content-Security-Policy.
All text passes through :func:`markupsafe.escape`; labels may be harvested text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

#: Okabe–Ito, distinguishable with the common colour-vision deficiencies.
PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000",
)
GRID = "#d0d4da"
INK = "#1f2328"
FONT = "DejaVu Sans, Verdana, sans-serif"

Format = Callable[[float], str]


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def _id(*parts: object) -> str:
    return "c" + hashlib.sha1(repr(parts).encode()).hexdigest()[:10]


def _open(kind: str, width: int, height: int, title: str, desc: str, cid: str) -> list[str]:
    return [
        (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{cid}-t {cid}-d" font-family="{FONT}" font-size="12" fill="{INK}">'),
        f'<title id="{cid}-t">{escape(title)}</title><desc id="{cid}-d">{escape(desc)}</desc>',
    ]


def _text(x: float, y: float, s: str, anchor: str = "start", cls: str = "label", size: int = 12) -> str:
    return (
        f'<text class="{cls}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
        f'font-size="{size}">{escape(s)}</text>'
    )


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def empty_chart(title: str, message: str, width: int = 640, height: int = 60) -> Markup:
    """A chart frame saying there is nothing to draw yet."""
    cid = _id("empty", title, message)
    out = _open("empty", width, height, title, message, cid)
    out.append(_text(width / 2, height / 2 + 4, message, "middle", "empty"))
    out.append("</svg>")
    return Markup("".join(out))


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    desc: str = "",
    max_value: float | None = None,
    fmt: Format = _fmt,
    width: int = 640,
    empty: str = "—",
    colour: str = PALETTE[0],
) -> Markup:
    """Horizontal bars, one per ``(label, value)``, in the order given."""
    if not items:
        return empty_chart(title, empty, width)
    top = max_value if max_value else max((v for _, v in items), default=0) or 1
    label_w, row, pad = min(260, int(width * 0.4)), 22, 6
    plot_w = width - label_w - 70
    height = pad * 2 + row * len(items)
    cid = _id("bar", title, tuple(items))
    out = _open("bar", width, height, title, desc or title, cid)
    for i, (label, value) in enumerate(items):
        y = pad + i * row
        w = max(0.0, min(1.0, value / top)) * plot_w
        out.append(_text(label_w - 6, y + 15, _clip(label, label_w // 7), "end"))
        out.append(
            f'<rect class="mark" x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" '
            f'fill="{colour}"><title>{escape(label)}: {escape(fmt(value))}</title></rect>'
        )
        out.append(_text(label_w + w + 4, y + 15, fmt(value), cls="value"))
    out.append("</svg>")
    return Markup("".join(out))


def histogram(
    counts: Sequence[int],
    edges: Sequence[float],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    desc: str = "",
    width: int = 640,
    height: int = 240,
    empty: str = "—",
    colour: str = PALETTE[0],
    colours: Sequence[str] | None = None,
) -> Markup:
    """Vertical bars for ``counts`` of values between consecutive ``edges`` (``colours``: one per bar)."""
    if not counts or not any(counts):
        return empty_chart(title, empty, width)
    if len(edges) != len(counts) + 1:
        raise ValueError("a histogram needs one more edge than counts")
    left, bottom, top_pad = 48, 40, 12
    plot_w, plot_h = width - left - 12, height - bottom - top_pad
    top = nice_ceiling(max(counts))
    bw = plot_w / len(counts)
    cid = _id("hist", title, tuple(counts), tuple(edges))
    out = _open("histogram", width, height, title, desc or title, cid)
    out.append(_axes(left, top_pad, plot_w, plot_h, top))
    for i, c in enumerate(counts):
        h = c / top * plot_h
        x = left + i * bw
        rng = f"{_fmt(edges[i])}–{_fmt(edges[i + 1])}"
        out.append(
            f'<rect class="mark" x="{x + 1:.1f}" y="{top_pad + plot_h - h:.1f}" '
            f'width="{max(bw - 2, 1):.1f}" height="{h:.1f}" fill="{colours[i] if colours else colour}">'
            f"<title>{escape(rng)}: {c:,}</title></rect>"
        )
    step = max(1, len(edges) // 6)
    for i in range(0, len(edges), step):
        out.append(_text(left + i * bw, top_pad + plot_h + 14, _fmt(edges[i]), "middle", "tick", 10))
    out.append(_text(left + plot_w / 2, height - 6, xlabel, "middle", "axis-label"))
    out.append(
        f'<text class="axis-label" transform="translate(12 {top_pad + plot_h / 2:.1f}) rotate(-90)" '
        f'text-anchor="middle">{escape(ylabel)}</text>'
    )
    out.append("</svg>")
    return Markup("".join(out))


def nice_ceiling(v: float) -> float:
    """The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) that is
    at least ``v``: an axis top whose quarter ticks read well."""
    if v <= 0:
        return 1.0
    import math

    p = 10 ** math.floor(math.log10(v))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * p >= v:
            return float(m * p)
    return float(10 * p)  # pragma: no cover - the loop always returns


def _axes(left: float, top: float, w: float, h: float, ymax: float, fmt: Format = _fmt) -> str:
    parts = [f'<g class="axes" stroke="{GRID}" stroke-width="1">']
    for k in range(5):
        y = top + h - h * k / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + w:.1f}" y2="{y:.1f}"/>')
    parts.append("</g>")
    for k in range(5):
        y = top + h - h * k / 4
        parts.append(_text(left - 4, y + 4, fmt(ymax * k / 4), "end", "tick", 10))
    return "".join(parts)


def stacked_share(
    parts: Sequence[tuple[str, float]],
    *,
    title: str,
    desc: str = "",
    width: int = 640,
    colours: Sequence[str] = PALETTE,
    empty: str = "—",
    fmt_share: Callable[[float], str] = lambda s: f"{s * 100:.0f}%",
) -> Markup:
    """One bar split into the shares of ``(label, count)`` parts, with a legend."""
    total = sum(v for _, v in parts)
    if total <= 0:
        return empty_chart(title, empty, width)
    legend_rows = (len(parts) + 2) // 3
    height = 44 + 20 * legend_rows
    cid = _id("share", title, tuple(parts))
    out = _open("share", width, height, title, desc or title, cid)
    x = 0.0
    for i, (label, v) in enumerate(parts):
        w = v / total * width
        colour = colours[i % len(colours)]
        if v > 0:
            out.append(
                f'<rect class="mark" x="{x:.1f}" y="4" width="{w:.1f}" height="28" fill="{colour}">'
                f"<title>{escape(label)}: {escape(_fmt(v))} ({escape(fmt_share(v / total))})</title></rect>"
            )
        lx, ly = (i % 3) * (width / 3), 44 + (i // 3) * 20
        out.append(f'<rect class="swatch" x="{lx:.1f}" y="{ly}" width="12" height="12" fill="{colour}"/>')
        out.append(_text(lx + 16, ly + 11, f"{_clip(label, 30)} · {fmt_share(v / total)}"))
        x += w
    out.append("</svg>")
    return Markup("".join(out))


def line_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    title: str,
    ylabel: str = "",
    desc: str = "",
    y_max: float | None = None,
    fmt: Format = _fmt,
    width: int = 640,
    height: int = 220,
    empty: str = "—",
    colour: str = PALETTE[0],
) -> Markup:
    """A trend: one point per ``(x label, value)``, joined by a line; ``None`` breaks it."""
    known = [v for _, v in points if v is not None]
    if not known:
        return empty_chart(title, empty, width)
    left, bottom, top_pad = 56, 36, 12
    plot_w, plot_h = width - left - 16, height - bottom - top_pad
    top = y_max or nice_ceiling(max(known))
    n = len(points)
    cid = _id("line", title, tuple(points))
    out = _open("line", width, height, title, desc or title, cid)
    out.append(_axes(left, top_pad, plot_w, plot_h, top, fmt))

    def xy(i: int, v: float) -> tuple[float, float]:
        x = left + (plot_w * (i + 0.5) / n)
        return x, top_pad + plot_h - (v / top) * plot_h

    segment: list[str] = []
    for i, (_, v) in enumerate([*points, ("", None)]):
        if v is None:
            if len(segment) > 1:
                out.append(
                    f'<polyline class="mark-line" fill="none" stroke="{colour}" stroke-width="2" '
                    f'points="{" ".join(segment)}"/>'
                )
            segment = []
            continue
        x, y = xy(i, v)
        segment.append(f"{x:.1f},{y:.1f}")
    step = max(1, n // 8)
    for i, (label, v) in enumerate(points):
        if v is not None:
            x, y = xy(i, v)
            out.append(
                f'<circle class="mark" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
                f"<title>{escape(label)}: {escape(fmt(v))}</title></circle>"
            )
        if i % step == 0:
            out.append(_text(xy(i, 0)[0], top_pad + plot_h + 14, _clip(label, 18), "middle", "tick", 10))
    if ylabel:
        out.append(
            f'<text class="axis-label" transform="translate(12 {top_pad + plot_h / 2:.1f}) rotate(-90)" '
            f'text-anchor="middle">{escape(ylabel)}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def grouped_bars(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    desc: str = "",
    max_value: float | None = None,
    fmt: Format = _fmt,
    width: int = 640,
    colours: Sequence[str] = PALETTE,
    empty: str = "—",
) -> Markup:
    """Horizontal groups: for each category one bar per series (e.g. an institution's
    dimension scores against the catalogue mean)."""
    values = [v for _, vs in series for v in vs if v is not None]
    if not categories or not values:
        return empty_chart(title, empty, width)
    top = max_value or max(values) or 1
    label_w, bar_h, gap = min(220, int(width * 0.35)), 12, 10
    plot_w = width - label_w - 60
    group_h = bar_h * len(series) + gap
    legend_y = 8 + group_h * len(categories)
    height = legend_y + 22
    cid = _id("grouped", title, tuple(categories), tuple((s, tuple(v)) for s, v in series))
    out = _open("grouped", width, height, title, desc or title, cid)
    for ci, cat in enumerate(categories):
        gy = 4 + ci * group_h
        out.append(_text(label_w - 6, gy + bar_h * len(series) / 2 + 4, _clip(cat, 32), "end"))
        for si, (name, vs) in enumerate(series):
            v = vs[ci] if ci < len(vs) else None
            if v is None:
                continue
            w = max(0.0, min(1.0, v / top)) * plot_w
            y = gy + si * bar_h
            out.append(
                f'<rect class="mark" x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" '
                f'fill="{colours[si % len(colours)]}"><title>{escape(cat)} · {escape(name)}: '
                f"{escape(fmt(v))}</title></rect>"
            )
            out.append(_text(label_w + w + 4, y + bar_h - 3, fmt(v), cls="value", size=10))
    for si, (name, _) in enumerate(series):
        lx = label_w + si * 160
        out.append(
            f'<rect class="swatch" x="{lx}" y="{legend_y}" width="12" height="12" '
            f'fill="{colours[si % len(colours)]}"/>'
        )
        out.append(_text(lx + 16, legend_y + 11, _clip(name, 22)))
    out.append("</svg>")
    return Markup("".join(out))


def bins(values: Sequence[float], edges: Sequence[float]) -> list[int]:
    """Counts of ``values`` per bin ``[edges[i], edges[i+1])``; the last bin is closed."""
    counts = [0] * (len(edges) - 1)
    for v in values:
        for i in range(len(counts)):
            last = i == len(counts) - 1
            if edges[i] <= v < edges[i + 1] or (last and v == edges[-1]):
                counts[i] += 1
                break
    return counts
