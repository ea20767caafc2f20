"""Range queries to Prometheus for ``ops perf-report --prometheus URL``: request rate, p95
latency, 5xx ratio and synthesis cost by model over the report's window (HTTP API
``/api/v1/query_range``)."""

from __future__ import annotations

import datetime as dt
import math

import httpx
from pydantic import BaseModel

from nba_mcp.errors import CheckFailed, DependencyUnavailable, InvalidInput

MAX_POINTS = 1000
TIMEOUT_SECONDS = 30.0
QUERIES: dict[str, str] = {
    "requests per second": "sum(rate(nba_mcp_http_requests_total[5m]))",
    "p95 latency (s)": "histogram_quantile(0.95, sum by (le) "
    "(rate(nba_mcp_http_request_duration_seconds_bucket[5m])))",
    "5xx ratio": 'sum(rate(nba_mcp_http_requests_total{status=~"5.."}[5m])) '
    "/ sum(rate(nba_mcp_http_requests_total[5m]))",
    "synthesis cost (USD per hour) by model": "sum by (provider, model) "
    "(increase(nba_mcp_synthesis_cost_usd_total[1h]))",
}


class Series(BaseModel):
    labels: dict[str, str]
    points: list[tuple[float, float]]  # (unix time, value), NaN points left out


class RangeResult(BaseModel):
    title: str
    query: str
    series: list[Series]


def range_queries(*, url: str, start: dt.datetime, end: dt.datetime) -> list[RangeResult]:
    """Every query of :data:`QUERIES` over [start, end], at most ``MAX_POINTS`` steps each."""
    parsed = httpx.URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidInput("--prometheus must be an http(s) URL of a Prometheus server.")
    step = max(60, math.ceil((end - start).total_seconds() / MAX_POINTS))
    found = []
    with httpx.Client(base_url=url.rstrip("/"), timeout=TIMEOUT_SECONDS) as client:
        for title, query in QUERIES.items():
            params = {"query": query, "start": f"{start.timestamp():.0f}",
                      "end": f"{end.timestamp():.0f}", "step": f"{step}s"}  # fmt: skip
            try:
                response = client.get("/api/v1/query_range", params=params)
            except httpx.HTTPError as exc:
                raise DependencyUnavailable(
                    f"Prometheus ({parsed.host}): {type(exc).__name__}"
                ) from None
            found.append(RangeResult(title=title, query=query, series=_series(response)))
    return found


def _series(response: httpx.Response) -> list[Series]:
    try:
        body = response.json()
    except ValueError:
        raise CheckFailed(f"Prometheus answered HTTP {response.status_code}, not JSON.") from None
    if response.status_code != 200 or body.get("status") != "success":
        raise CheckFailed(f"Prometheus refused the query: HTTP {response.status_code} "
                          f"{str(body.get('error', ''))[:200]}")  # fmt: skip
    found = []
    for item in body.get("data", {}).get("result", []):
        points = [(float(t), float(v)) for t, v in item.get("values", [])]
        found.append(Series(labels={str(k): str(v) for k, v in item.get("metric", {}).items()},
                            points=[(t, v) for t, v in points if not math.isnan(v)]))  # fmt: skip
    return found
