"""Every Prometheus metric of the product, defined once (prefix ``nba_mcp_``).

Dashboards and alert rules use exactly these names; nothing else defines a
metric. Under several web workers, set ``PROMETHEUS_MULTIPROC_DIR`` before the
workers start (``nba-mcp serve --workers N`` does) and :func:`render` collects
all processes' values. A one-off job (a backup run as a CronJob) pushes its own
registry instead.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from nba_mcp import __version__

NAMESPACE = "nba_mcp"
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
#: Model calls take seconds to minutes, not milliseconds.
MODEL_CALL_BUCKETS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0, 120.0, 300.0)

HTTP_REQUESTS = Counter(
    "http_requests_total", "HTTP requests by method, route template and status code.",
    ["method", "route", "status"], namespace=NAMESPACE,
)  # fmt: skip
HTTP_DURATION = Histogram(
    "http_request_duration_seconds", "HTTP request latency by method and route template.",
    ["method", "route"], namespace=NAMESPACE, buckets=LATENCY_BUCKETS,
)  # fmt: skip
TOOL_CALLS = Counter(
    "tool_calls_total", "MCP and REST tool calls by tool and status (ok, error).",
    ["tool", "status"], namespace=NAMESPACE,
)  # fmt: skip
TOOL_DURATION = Histogram(
    "tool_duration_seconds", "Tool call latency by tool.",
    ["tool"], namespace=NAMESPACE, buckets=LATENCY_BUCKETS,
)  # fmt: skip
DB_QUERY_DURATION = Histogram(
    "db_query_duration_seconds", "Database statement latency by operation (select, insert, ...).",
    ["operation"], namespace=NAMESPACE, buckets=LATENCY_BUCKETS,
)  # fmt: skip
CACHE_REQUESTS = Counter(
    "cache_requests_total", "Result cache lookups by result (hit, miss, error).",
    ["result"], namespace=NAMESPACE,
)  # fmt: skip
RATE_LIMITED = Counter(
    "rate_limited_total",
    "Requests refused with 429 by the per-key rate limit.",
    namespace=NAMESPACE,
)
AUTH_FAILURES = Counter(
    "auth_failures_total", "Requests refused by authentication or authorisation, by reason.",
    ["reason"], namespace=NAMESPACE,
)  # fmt: skip
SYNTHESIS_REQUESTS = Counter(
    "synthesis_requests_total", "Synthesis pipeline runs by status.",
    ["status"], namespace=NAMESPACE,
)  # fmt: skip
SYNTHESIS_TOKENS = Counter(
    "synthesis_tokens_total", "Model tokens used by the synthesis pipeline; kind: input (cached "
    "included), cached (the part of input read from a prompt cache), output.",
    ["provider", "model", "kind"], namespace=NAMESPACE,
)  # fmt: skip
SYNTHESIS_COST = Counter(
    "synthesis_cost_usd_total", "Model cost of the synthesis pipeline in US dollars.",
    ["provider", "model"], namespace=NAMESPACE,
)  # fmt: skip
SYNTHESIS_CALL_DURATION = Histogram(
    "synthesis_call_duration_seconds", "Model call latency of the synthesis pipeline (failed "
    "calls included, cached replies not), by provider and model.",
    ["provider", "model"], namespace=NAMESPACE, buckets=MODEL_CALL_BUCKETS,
)  # fmt: skip
SYNTHESIS_FALLBACKS = Counter(
    "synthesis_fallbacks_total", "Failed model calls whose work passed to the next model, by "
    "the failed call's provider and model and a short reason (timeout, rate_limited, ...).",
    ["provider", "model", "reason"], namespace=NAMESPACE,
)  # fmt: skip
SYNTHESIS_BUDGET_STOPS = Counter(
    "synthesis_budget_stops_total", "Synthesis runs stopped by a limit of their budget, by limit.",
    ["limit"], namespace=NAMESPACE,
)  # fmt: skip
SYNTHESIS_UNMATCHED = Counter(
    "synthesis_unmatched_numbers_total",
    "Numbers of synthesis answers found in no cited tool result.",
    namespace=NAMESPACE,
)
INGEST_ROWS = Counter(
    "ingest_rows_total", "Rows inserted or changed by ingest, by table.",
    ["table"], namespace=NAMESPACE,
)  # fmt: skip
BACKUP_LAST_SUCCESS = Gauge(
    "backup_last_success_timestamp_seconds", "Unix time of the last verified backup.",
    namespace=NAMESPACE, multiprocess_mode="max",
)  # fmt: skip
DATA_LATEST_GAME = Gauge(
    "data_latest_game_timestamp_seconds", "Unix time (midnight UTC) of the latest game loaded.",
    namespace=NAMESPACE, multiprocess_mode="max",
)  # fmt: skip
DEPENDENCY_UP = Gauge(
    "dependency_up",
    "1 when the last readiness check could use the dependency (database, redis, "
    "object_store), 0 when it could not; set by /ready and `nba-mcp ops health`.",
    ["dependency"], namespace=NAMESPACE, multiprocess_mode="livemostrecent",
)  # fmt: skip
BUILD_INFO = Gauge(
    "build_info", "Always 1; the version label says which build runs.",
    ["version"], namespace=NAMESPACE, multiprocess_mode="max",
)  # fmt: skip
BUILD_INFO.labels(version=__version__).set(1)


def render() -> tuple[bytes, str]:
    """The metrics in Prometheus text format, gathered from every worker when multiprocess."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
