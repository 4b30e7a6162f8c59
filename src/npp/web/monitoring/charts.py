"""Server-rendered SVG charts (no script, CSP-safe: presentation attributes only).

Each chart has a <title> and <desc> for screen readers and is always shown above the table
with the same protected figures; suppressed values are gaps, never zeros.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1
    for m in (1, 2, 5, 10, 20, 25, 50):
        for e in range(0, 9):
            cand = m * 10**e
            if cand >= v:
                return float(cand)
    return v


def _ticks(top: float, n: int = 4) -> list[float]:
    return [top * i / n for i in range(n + 1)]


def _fmt(v: float) -> str:
    return f"{v:,.0f}"


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | None]]],
    *,
    width: int = 720,
    height: int = 280,
) -> SafeString:
    """Lines over ``labels``; a ``None`` breaks the line (suppressed)."""
    left, right, top, bottom = 56, 210, 16, 40
    pw, ph = width - left - right, height - top - bottom
    values = [v for _n, vs in series for v in vs if v is not None]
    ymax = _nice_max(max(values) if values else 1)
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (pw * (i + 0.5) / n)

    def y(v: float) -> float:
        return top + ph - ph * v / ymax

    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="t-{id(series)}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="t-{id(series)}">{escape(title)}</title>',
    ]
    for t in _ticks(ymax):
        out.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
            f'stroke="#ddd" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#333">{_fmt(t)}</text>'
        )
    step = max(1, len(labels) // 12)
    for i, lab in enumerate(labels):
        if i % step == 0:
            out.append(
                f'<text x="{x(i):.1f}" y="{top + ph + 16}" text-anchor="middle" font-size="11" '
                f'fill="#333">{escape(str(lab))}</text>'
            )
    for si, (name, vs) in enumerate(series):
        colour = PALETTE[si % len(PALETTE)]
        path: list[str] = []
        pen = "M"
        for i, v in enumerate(vs):
            if v is None:
                pen = "M"
                continue
            path.append(f"{pen}{x(i):.1f},{y(v):.1f}")
            pen = "L"
            out.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" fill="{colour}">'
                f"<title>{escape(name)}, {escape(str(labels[i]))}: {_fmt(v)}</title></circle>"
            )
        if path:
            out.append(
                f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        ly = top + 14 + si * 18
        out.append(
            f'<rect x="{left + pw + 12}" y="{ly - 9}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{left + pw + 30}" y="{ly + 1}" font-size="12" fill="#111">'
            f"{escape(name)}</text>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | None]]],
    *,
    width: int = 720,
    bar: int = 14,
) -> SafeString:
    """Horizontal grouped bars, one group per label; ``None`` is drawn as "suppressed"."""
    left, right, top = 190, 70, 8
    group = bar * len(series) + 10
    height = top + group * max(len(labels), 1) + 30 + 18 * len(series)
    pw = width - left - right
    values = [v for _n, vs in series for v in vs if v is not None]
    xmax = _nice_max(max(values) if values else 1)
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="t-{id(series)}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="t-{id(series)}">{escape(title)}</title>',
    ]
    for gi, lab in enumerate(labels):
        gy = top + gi * group
        out.append(
            f'<text x="{left - 8}" y="{gy + group / 2:.1f}" text-anchor="end" font-size="12" '
            f'fill="#111">{escape(str(lab))[:30]}</text>'
        )
        for si, (name, vs) in enumerate(series):
            v = vs[gi]
            by = gy + si * bar
            colour = PALETTE[si % len(PALETTE)]
            if v is None:
                out.append(
                    f'<text x="{left + 4}" y="{by + bar - 3}" font-size="10" fill="#666">'
                    f"{escape(name)}: suppressed</text>"
                )
                continue
            w = pw * v / xmax
            out.append(
                f'<rect x="{left}" y="{by}" width="{w:.1f}" height="{bar - 2}" fill="{colour}">'
                f"<title>{escape(str(lab))}, {escape(name)}: {_fmt(v)}</title></rect>"
                f'<text x="{left + w + 4:.1f}" y="{by + bar - 3}" font-size="10" fill="#111">'
                f"{_fmt(v)}</text>"
            )
    ly = top + group * max(len(labels), 1) + 14
    for si, (name, _vs) in enumerate(series):
        colour = PALETTE[si % len(PALETTE)]
        out.append(
            f'<rect x="{left}" y="{ly + si * 18 - 9}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{left + 18}" y="{ly + si * 18 + 1}" font-size="12" fill="#111">'
            f"{escape(name)}</text>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))
