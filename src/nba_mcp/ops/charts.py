"""PNG charts for the reports, drawn with matplotlib's headless Agg backend (loaded only
when a report is written)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path


def bars(
    path: Path, *, labels: Sequence[str], series: Mapping[str, Sequence[float]], title: str,
    ylabel: str,
) -> Path:  # fmt: skip
    """Grouped bars: one group per label, one bar per series."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(max(6.0, 0.5 * len(labels) + 3), 4.0), dpi=100)
    axes = figure.add_subplot()
    width = 0.8 / max(1, len(series))
    for index, (name, values) in enumerate(series.items()):
        positions = [i + (index - (len(series) - 1) / 2) * width for i in range(len(labels))]
        axes.bar(positions, list(values), width=width, label=name)
    axes.set_xticks(range(len(labels)), [_short(label) for label in labels], rotation=45,
                    ha="right", fontsize=8)  # fmt: skip
    axes.set_title(title)
    axes.set_ylabel(ylabel)
    if len(series) > 1:
        axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, format="png")
    return path


def lines(
    path: Path, *, series: Mapping[str, Sequence[tuple[float, float]]], title: str, ylabel: str
) -> Path:
    """One line per series over time (x: hours since the first point, in UTC)."""
    import datetime as dt

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    first = min((t for points in series.values() for t, _ in points), default=0.0)
    figure = Figure(figsize=(8.0, 4.0), dpi=100)
    axes = figure.add_subplot()
    for name, points in series.items():
        axes.plot([(t - first) / 3600 for t, _ in points], [v for _, v in points],
                  label=_short(name))  # fmt: skip
    axes.set_title(title)
    axes.set_ylabel(ylabel)
    axes.set_xlabel(f"hours since {dt.datetime.fromtimestamp(first, dt.UTC):%Y-%m-%d %H:%M} UTC")
    if len(series) > 1:
        axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, format="png")
    return path


def _short(label: str, limit: int = 32) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
