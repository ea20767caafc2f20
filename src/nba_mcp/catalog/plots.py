"""A chart as data (:class:`Chart`: panels of named series) and its drawing as a PNG.

The ``chart`` tool (:mod:`nba_mcp.catalog.charts`) builds a :class:`Chart` from other
tools' results; :func:`draw` turns it into a picture and knows nothing of basketball.
The series a client receives in the structured result are exactly the ones drawn.

Drawing uses matplotlib's object API on the Agg canvas (no display, no ``pyplot``
state), imported on the first chart (DESIGN: heavy optional imports load where they are
used). matplotlib is not thread-safe, and calls run on worker threads, so drawings take
turns behind one lock; each takes a few tenths of a second. Output is deterministic:
a fixed size and no ``Software`` or date metadata in the PNG, so the same data gives the
same bytes (and a cached answer stays valid).
"""

from __future__ import annotations

import io
import math
import threading
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH_PX = 1000
HEIGHT_PX = 600
DPI = 100
TITLE_PT = 15
LABEL_PT = 12
TICK_PT = 11
#: Distinct colours, in order (matplotlib's "tab10"), for players and series.
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
GAIN, LOSS = "#2ca02c", "#d62728"
#: Most x labels shown on one axis; the others are left out so the shown ones stay legible.
MAX_TICKS = 12

_LOCK = threading.Lock()


class Series(BaseModel):
    name: str = Field(description="What the values are, as the legend says.")
    style: Literal["points", "line", "bars", "signed_bars", "step"] = Field(
        description="points: markers only; line; bars: one colour per x; signed_bars: "
        "green above zero, red below; step: a running count."
    )
    values: list[float | None] = Field(description="One value per x; null where none.")


class Panel(BaseModel):
    title: str | None = None
    x_label: str
    y_label: str
    x: list[int] = Field(description="The x positions, e.g. game numbers 1, 2, ...")
    x_ticks: list[str] = Field(description="A label for each x (dates, player names).")
    series: list[Series]


class Chart(BaseModel):
    kind: str
    title: str = Field(description="Who, which season, what is shown.")
    source: str = Field(description="The tool call the plotted numbers come from.")
    width_px: int = WIDTH_PX
    height_px: int = HEIGHT_PX
    panels: list[Panel]


def draw(chart: Chart) -> bytes:
    """``chart`` as PNG bytes of ``width_px`` x ``height_px`` pixels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with _LOCK:
        figure = Figure(figsize=(chart.width_px / DPI, chart.height_px / DPI), dpi=DPI)
        FigureCanvasAgg(figure)
        columns = 1 if len(chart.panels) <= 2 else math.ceil(len(chart.panels) / 2)
        rows = math.ceil(len(chart.panels) / columns)
        axes = figure.subplots(rows, columns, squeeze=False).flatten()
        for ax, panel in zip(axes, chart.panels, strict=False):
            _panel(ax, panel)
        for ax in axes[len(chart.panels) :]:
            ax.set_visible(False)
        figure.suptitle(chart.title, fontsize=TITLE_PT)
        keyed = _bar_key(figure, chart)
        figure.tight_layout(rect=(0, 0.07 if keyed else 0, 1, 1))
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
        figure.clear()
    return out.getvalue()


def _bar_key(figure: Figure, chart: Chart) -> bool:
    """One legend under the panels naming the bars' colours (player names do not fit
    under narrow panels); whether there was one."""
    from matplotlib.patches import Patch

    panel = next((p for p in chart.panels if _bars(p)), None)
    if panel is None:
        return False
    handles = [
        Patch(color=COLOURS[i % len(COLOURS)], label=name) for i, name in enumerate(panel.x_ticks)
    ]
    figure.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=LABEL_PT,
                  frameon=False)  # fmt: skip
    return True


def _bars(panel: Panel) -> bool:
    return any(series.style == "bars" for series in panel.series)


def _panel(ax: Axes, panel: Panel) -> None:
    many = len(panel.series) > 1
    for index, series in enumerate(panel.series):
        colour = COLOURS[index % len(COLOURS)]
        xs = [x for x, v in zip(panel.x, series.values, strict=True) if v is not None]
        ys = [v for v in series.values if v is not None]
        if series.style == "points":
            ax.plot(xs, ys, "o", markersize=4, alpha=0.55, color=colour, label=series.name)
        elif series.style == "line":
            ax.plot(xs, ys, linewidth=2.2, color=colour, label=series.name)
        elif series.style == "step":
            ax.step(xs, ys, where="post", linewidth=2.2, color=colour, label=series.name)
        elif series.style == "signed_bars":
            colours = [GAIN if y >= 0 else LOSS for y in ys]
            ax.bar(xs, ys, color=colours, alpha=0.5, width=0.8, label=series.name)
            ax.axhline(0, color="#555555", linewidth=0.8)
        else:
            # one colour per x position, as the legend names them, a missing value or not
            colours = [COLOURS[panel.x.index(x) % len(COLOURS)] for x in xs]
            bars = ax.bar(xs, ys, color=colours, width=0.6)
            ax.bar_label(bars, fmt="%g", fontsize=TICK_PT, padding=2)
            ax.margins(y=0.18)
    if panel.title:
        ax.set_title(panel.title, fontsize=LABEL_PT + 1)
    ax.set_xlabel(panel.x_label, fontsize=LABEL_PT)
    ax.set_ylabel(panel.y_label, fontsize=LABEL_PT)
    if _bars(panel):  # the colours are named in the figure's legend
        ax.set_xticks([])
    else:
        step = max(1, math.ceil(len(panel.x) / MAX_TICKS))
        ax.set_xticks(panel.x[::step], panel.x_ticks[::step])
    ax.tick_params(labelsize=TICK_PT)
    ax.grid(axis="y", alpha=0.3)
    if many:
        ax.legend(fontsize=TICK_PT - 1, loc="best", framealpha=0.8)
