"""Metrics from raw numbers a user supplies: TS% from PTS/FGA/FTA, Game Score from a box line."""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from nba_mcp.analytics.formulas import REGISTRY, calculate
from nba_mcp.errors import InvalidInput

#: Largest magnitude of an input: box-score counts and league totals stay far below it.
MAX_INPUT = 1e9


class MetricResult(BaseModel):
    metric: str
    value: float | None = Field(description="null when a denominator is zero.")
    unit: str
    formula: str
    inputs: dict[str, float]
    source: str


class MetricInfo(BaseModel):
    metric: str
    inputs: list[str]
    formula: str
    unit: str


def calculate_metric(*, metric: str, inputs: dict[str, float]) -> MetricResult:
    """Evaluate ``metric`` from ``inputs``; unknown metrics and missing inputs are named."""
    for name, value in inputs.items():
        if not math.isfinite(value) or abs(value) > MAX_INPUT:
            raise InvalidInput(
                f"Input {name!r} must be a number between -{MAX_INPUT:,.0f} and "
                f"{MAX_INPUT:,.0f}, not {value:g}."
            )
    try:
        value = calculate(metric, **inputs)
    except (OverflowError, ZeroDivisionError, ValueError):
        value = math.inf
    if math.isinf(value):
        raise InvalidInput(f"These inputs give {metric} no finite value; check them.")
    formula = REGISTRY[metric]
    return MetricResult(
        metric=metric,
        value=None if math.isnan(value) else value,
        unit=formula.unit,
        formula=formula.formula,
        inputs=inputs,
        source=formula.source,
    )


def supported_metrics() -> list[MetricInfo]:
    return [
        MetricInfo(metric=f.name, inputs=list(f.inputs), formula=f.formula, unit=f.unit)
        for f in REGISTRY.values()
    ]
