"""Margins that already hold what plotly would make room for, so that a chart is drawn once.

Plotly draws a figure, measures its tick labels, axis titles, legend and colour bar, and when they
do not fit in the margins it was given ("automargin") widens them and draws the whole figure a
second time. With the 10 px margins every chart used to start from, every chart in the dashboard
was drawn twice: on the drill-down that second pass was half of the three charts' drawing time in
the browser, about 0.1 s of a click (docs/performance.md, sixth pass).

`make_room(fig)` estimates from the figure itself what each side will need (the longest tick
label, the axis title, the rows of a legend above the plot, a colour bar's labels and title) and
widens the margins to that, never narrowing one a builder set. The estimate errs a few pixels
large: too little costs the second pass only (automargin stays on and still makes room, as
before); too much costs a few pixels of white. Characters are counted, not measured, at
CHAR_WIDTH of the font size, the width of a digit or an average letter of the sans-serif fonts
the dashboard uses; tick labels and legend entries are at THEME_TICK_SIZE unless the figure sets
their size (projector mode does). The pushes plotly computes relative to the plot's size (a legend
at y = 1.02, a colour bar at x = 1.02) are counted for a plot of the figure's height and about
PLOT_WIDTH wide.
"""
from __future__ import annotations

import html
import math
import re

import numpy as np
import plotly.graph_objects as go

from pipelines.text import plain

CHAR_WIDTH = 0.55       # of the font size: a digit, or an average letter (Source Sans), rounded up
LINE_HEIGHT = 1.35      # of the font size
THEME_TICK_SIZE = 12.75  # px: Streamlit's plotly theme sets tick labels and legend text to this
TICK_GAP = 8            # px between an axis and its labels (tick length, padding)
EDGE = 6                # px left free at the figure's edge
SLACK = 10              # px plotly keeps beyond an axis's labels or a colour bar (measured)
COLORBAR_SLACK = 24     # px the same for a colour bar (measured)
LEGEND_ROW_WIDTH = 900  # px a legend row is assumed to hold (the narrowest common chart width)
LEGEND_ITEM = 46        # px per legend item besides its text (symbol, gaps)
PLOT_WIDTH = 900        # px, for pushes relative to the plot's width
ROW_LABELS_MAX = 320    # px the row labels of a projector chart may take (of 791 at 1280 px)
_TAGS = re.compile(r"<[^>]+>")


def _lines(text: object) -> list[str]:
    """A label's lines as shown: <br> breaks, other tags gone, entities as one character."""
    return [html.unescape(_TAGS.sub("", part)) for part in re.split(r"<br\s*/?>", str(text), flags=re.I)]


def _label_box(labels, size: float) -> tuple[float, float]:
    """Width and height in px of the largest of `labels` at font `size`."""
    width, lines = 0.0, 1
    for label in labels:
        parts = _lines(label)
        width = max(width, max(len(p) for p in parts) * CHAR_WIDTH * size)
        lines = max(lines, len(parts))
    return width, lines * LINE_HEIGHT * size


def shorten_row_labels(fig: go.Figure, width: float = ROW_LABELS_MAX) -> bool:
    """Row labels (the y axes' tick texts) wider than `width` px at their size shortened in the
    middle, in place: `100506 Eis am Stiel… · Handelsmarke`. The start (the article number) and
    what follows the last ` · ` (the market) stay whole. In projector type a heatmap's labels
    took 607 of the 791 px a 1280 px screen gives the chart, and left no room for the cells.
    True where a label was shortened."""
    shortened = False
    for name in [k for k in fig.layout.to_plotly_json() if re.fullmatch(r"yaxis\d*", k)]:
        axis = fig.layout[name]
        if axis.ticktext is None:
            continue
        chars = max(int(width / (CHAR_WIDTH * _tick_size(axis))), 12)
        labels = [_shortened(label, chars) if isinstance(label, str) else label for label in axis.ticktext]
        if labels != list(axis.ticktext):
            axis.ticktext, shortened = labels, True
    return shortened


def _shortened(label: str, chars: int) -> str:
    text = html.unescape(label)  # the labels come escaped (charts.plain_figure): cut the text
    if len(text) <= chars:
        return label
    head, sep, tail = text.rpartition(" · ")
    if not sep or len(sep) + len(tail) + 8 > chars:  # the market, where 8 characters of the rest stay
        head, tail, sep = text, "", ""
    keep = max(chars - len(sep) - len(tail) - 1, 1)
    return plain.html(head[:keep].rstrip() + "…" + sep + tail)


def crowded(labels, plot_width: float, size: float = THEME_TICK_SIZE) -> bool:
    """Whether category labels written across would not fit their share of a plot `plot_width`
    px wide: plotly would then slant them by itself after the margins were made (and draw the
    chart twice); a builder slants them first instead."""
    labels = list(labels)
    if not labels:
        return False
    width, _ = _label_box(labels, size)
    return width > plot_width / len(labels)


def _is_text(values) -> bool:
    """Category labels, judged by the first 50 values."""
    return len(values) > 0 and all(isinstance(v, str) for v in values[:50])


def _axis(fig: go.Figure, ref: str):
    """The layout axis a trace's reference names: 'x' is `xaxis`, 'y2' is `yaxis2`."""
    return fig.layout[ref[0] + "axis" + ref[1:]]


def _values(fig: go.Figure, ref: str) -> tuple[list, list[tuple[str, np.ndarray]]]:
    """Category labels on the axis ('x', 'y', 'x2', ...) and the numeric series drawn against it
    (with their trace type)."""
    letter = ref[0]
    categories: dict = {}
    numbers: list[tuple[str, np.ndarray]] = []
    for trace in fig.data:
        if trace.type not in ("bar", "scatter", "waterfall", "heatmap"):
            continue
        if trace.visible is False or (trace[letter + "axis"] or letter) != ref:
            continue
        values = trace[letter]
        if values is None:
            continue
        values = list(values) if not isinstance(values, np.ndarray) else values
        if _is_text(values):
            categories.update(dict.fromkeys(values))
        elif trace.type != "heatmap":
            try:
                numbers.append((trace.type, np.asarray(values, dtype=float)))
            except (TypeError, ValueError):  # dates, or text further down: no estimate from it
                continue
    return list(categories), numbers


def _numeric_top(fig: go.Figure, ref: str, series: list[tuple[str, np.ndarray]]) -> float:
    """The largest magnitude the axis will label: stacked bars add up per category."""
    axis = _axis(fig, ref)
    if axis.range is not None and all(v is not None for v in axis.range):
        return float(max(abs(float(v)) for v in axis.range))
    if not series:
        return 0.0
    bars = [s for kind, s in series if kind == "bar"]
    top = max(float(np.nanmax(np.abs(s))) if np.isfinite(s).any() else 0.0 for _, s in series)
    if fig.layout.barmode in ("stack", "relative") and bars:
        lengths = {len(s) for s in bars}
        if len(lengths) == 1:
            stacked = np.nansum([np.clip(s, 0, None) for s in bars], axis=0)
            top = max(top, float(np.nanmax(stacked)) if stacked.size else 0.0)
    return top * 1.1  # autorange pads the top; the top tick may be the next round number


def _number_labels(axis, top: float, negative: bool) -> list[str]:
    """The widest tick label a numeric axis up to `top` can get."""
    fmt = axis.tickformat or ""
    sign = "-" if negative else ""
    if fmt.endswith("%"):
        return [f"{sign}{top * 100:.0f} %"]
    if "," in fmt:
        return [f"{sign}{top:,.0f}"]
    if top >= 10_000:
        return [sign + "100k"]  # plotly's default labels are compact (k, M, B)
    return [f"{sign}{top:.1f}" if top < 10 else f"{sign}{top:.0f}"]


def _tick_labels(fig: go.Figure, ref: str) -> list:
    axis = _axis(fig, ref)
    if axis.visible is False or axis.showticklabels is False:
        return []
    if axis.ticktext is not None:
        return list(axis.ticktext)
    categories, numbers = _values(fig, ref)
    if axis.type == "category" or categories:
        return list(axis.categoryarray) if axis.categoryarray is not None else categories
    if not numbers and axis.range is None:
        return []
    negative = any(bool(np.nanmin(s) < 0) for _, s in numbers if np.isfinite(s).any())
    return _number_labels(axis, _numeric_top(fig, ref, numbers), negative)


def _title_room(axis, size: float) -> float:
    text = axis.title.text if axis.title is not None else None
    return LINE_HEIGHT * size + 10 if text else 0.0


def _tick_size(axis) -> float:
    return float(axis.tickfont.size) if axis.tickfont is not None and axis.tickfont.size else THEME_TICK_SIZE


def _axis_room(fig: go.Figure, ref: str, labels: list, size: float) -> float:
    """The room beside the plot that a y axis (left) or an x axis (below) takes: its labels'
    width, or for x their height slanted by the tick angle, and its title."""
    axis = _axis(fig, ref)
    if not labels and not _title_room(axis, size):
        return 0.0
    width, height = _label_box(labels, _tick_size(axis)) if labels else (0.0, 0.0)
    angle = abs(float(axis.tickangle)) if isinstance(axis.tickangle, (int, float)) else 0.0
    if ref[0] == "y":
        extent = width
    elif labels and angle:
        extent = width * math.sin(math.radians(angle)) + height * math.cos(math.radians(angle))
    else:
        extent = height
    return EDGE + extent + TICK_GAP + _title_room(axis, size) + SLACK


def _overhang(fig: go.Figure, ref: str, labels: list) -> float:
    """How far the first slanted x label reaches left of the plot (it is anchored at its end)."""
    axis = _axis(fig, ref)
    angle = float(axis.tickangle) if isinstance(axis.tickangle, (int, float)) else 0.0
    if not labels or not -90 < angle < 0:
        return 0.0
    width, _ = _label_box(labels[:1], _tick_size(axis))
    return EDGE + width * math.cos(math.radians(angle)) + SLACK


def _legend_items(fig: go.Figure) -> list[str]:
    shown = [tr for tr in fig.data if tr.showlegend is not False and tr.visible is not False
             and tr.type not in ("heatmap",)]
    if fig.layout.showlegend is False or (fig.layout.showlegend is None and len(shown) < 2):
        return []
    return [str(tr.name or "") for tr in shown]


def _top(fig: go.Figure, size: float) -> float:
    room = 0.0
    if fig.layout.title is not None and fig.layout.title.text and _lines(fig.layout.title.text)[0]:
        room += LINE_HEIGHT * size + 14
    items = _legend_items(fig)
    legend = fig.layout.legend
    if items and (legend.orientation == "h" and (legend.y or 0) >= 1):
        text = float(legend.font.size) if legend.font is not None and legend.font.size else THEME_TICK_SIZE
        widths = [len(_lines(name)[0]) * CHAR_WIDTH * text + LEGEND_ITEM for name in items]
        rows, used = 1, 0.0
        for w in widths:
            if used and used + w > LEGEND_ROW_WIDTH:
                rows, used = rows + 1, 0.0
            used += w
        room += rows * LINE_HEIGHT * text + 14 + ((legend.y or 1) - 1) * float(fig.layout.height or 450)
    return room + (EDGE if room else 0.0)


def _right(fig: go.Figure, size: float) -> float:
    room = 0.0
    for trace in fig.data:
        if trace.type != "heatmap" or trace.showscale is False:
            continue
        bar = trace.colorbar
        ticks = list(bar.ticktext) if bar.ticktext is not None else (
            [f"{float(trace.zmax or 1) * 100:.0f} %"] if (bar.tickformat or "").endswith("%")
            else [f"{float(trace.zmax or 0):,.0f}"])
        tick_width, _ = _label_box(ticks, size)
        title_width, title_height = _label_box([bar.title.text], size) if bar.title and bar.title.text \
            else (0.0, 0.0)
        thickness = float(bar.thickness or 30)
        beyond = (float(bar.x) - 1 if bar.x is not None else 0.02) * PLOT_WIDTH
        if bar.title and bar.title.side == "right":  # turned beside the ticks: its lines' height
            width = thickness + TICK_GAP + tick_width + TICK_GAP + title_height
        else:  # written across above the bar
            width = max(thickness + TICK_GAP + tick_width, title_width)
        room = max(room, EDGE + beyond + width + COLORBAR_SLACK)
    return room


def _stacked_axes(fig: go.Figure) -> tuple[list[str], list[str]] | None:
    """The x axes along the bottom and the y axes along the left edge of a figure whose plots
    stand in one column (one plot, or subplots stacked as `make_subplots(rows=n, cols=1)` makes
    them); None for any other arrangement (axes on the right or top, overlaid, side by side)."""
    refs = {"x", "y"} | {k[0] + k[5:] for k in fig.layout.to_plotly_json()
                         if re.fullmatch(r"[xy]axis\d+", k)}
    refs |= {tr[a] for tr in fig.data for a in ("xaxis", "yaxis") if getattr(tr, a, None)}
    bottom, left = [], []
    for ref in sorted(refs):
        axis = _axis(fig, ref)
        anchor = axis.anchor if axis.anchor not in (None, "free") else ("y" if ref[0] == "x" else "x")
        if axis.overlaying or axis.side in ("right", "top") or axis.anchor == "free":
            return None
        if ref[0] == "x" and tuple(axis.domain or (0, 1)) != (0, 1):
            return None  # plots side by side: a y axis stands inside the figure
        edge = _axis(fig, anchor).domain  # the axis it is anchored to: its plot's place
        if edge is None or float(edge[0]) == 0.0:
            (bottom if ref[0] == "x" else left).append(ref)
    return bottom, left


def make_room(fig: go.Figure) -> go.Figure:
    """Widen `fig`'s margins (in place) to what its labels, titles, legend and colour bar need.

    Figures with one plot and subplots stacked in one column are estimated (the x axes along the
    bottom and every y axis on the left); any other arrangement keeps its margins."""
    layout = fig.layout
    axes = _stacked_axes(fig)
    if axes is None:
        return fig
    bottom, left = axes
    size = float(layout.font.size) if layout.font is not None and layout.font.size else 12.0
    margin = layout.margin
    x_labels = {ref: _tick_labels(fig, ref) for ref in bottom}
    need = {"l": max([_axis_room(fig, ref, _tick_labels(fig, ref), size) for ref in left]
                     + [_overhang(fig, ref, labels) for ref, labels in x_labels.items()] + [0.0]),
            "r": _right(fig, size), "t": _top(fig, size),
            "b": max([_axis_room(fig, ref, labels, size) for ref, labels in x_labels.items()] + [0.0])}
    wider = {side: math.ceil(value) for side, value in need.items()
             if value > (margin[side] if margin[side] is not None else 0)}
    if wider:
        fig.update_layout(margin=wider)
    return fig
