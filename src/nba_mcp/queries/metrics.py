"""Metrics from raw numbers a user supplies: TS% from PTS/FGA/FTA, Game Score from a box line."""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from nba_mcp.analytics.formulas import REGISTRY, calculate
from nba_mcp.errors import InvalidInput


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
        if not math.isfinite(value):
            raise InvalidInput(f"Input {name!r} must be a finite number, not {value}.")
    value = calculate(metric, **inputs)
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
