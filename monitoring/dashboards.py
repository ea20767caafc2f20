"""Write the Grafana dashboards of monitoring/dashboards/ from the panel lists below.

Every query reads a metric the service defines (src/nba_mcp/observability/metrics.py),
the process metrics its Prometheus client exports, Prometheus's own ``up``, or a standard
exporter's metric (kube-state-metrics, the kubelet's cAdvisor), which
tests/deploy/test_dashboards.py runs against a Prometheus scraping the real service.
Run after editing: ``.venv/bin/python monitoring/dashboards.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "dashboards"
JOB = 'job="nba-mcp-synthesis"'
SERVED = 'route!~"/health|/ready|/metrics"'
RATE = "$__rate_interval"
NS = 'namespace="nba-mcp-synthesis"'


@dataclass(frozen=True)
class Panel:
    title: str
    targets: tuple[tuple[str, str], ...]  # (expr, legend)
    unit: str = "short"
    kind: str = "timeseries"
    description: str = ""


def quantiles(metric: str, by: str = "") -> tuple[tuple[str, str], ...]:
    group = f"{by}, le" if by else "le"
    legend = f"{{{{{by}}}}} " if by else ""
    return tuple(
        (
            f"histogram_quantile({q}, sum by ({group}) (rate({metric}[{RATE}])))",
            f"{legend}p{int(q * 100)}",
        )
        for q in (0.5, 0.95, 0.99)
    )


DASHBOARDS: dict[str, tuple[str, list[Panel]]] = {
    "nba-mcp-overview": (
        "NBA MCP / Service overview",
        [
            Panel(
                "Requests per second by route",
                (
                    (
                        f"sum by (route) (rate(nba_mcp_http_requests_total{{{JOB}}}[{RATE}]))",
                        "{{route}}",
                    ),
                ),
                "reqps",
            ),
            Panel(
                "Responses by status",
                (
                    (
                        f"sum by (status) (rate(nba_mcp_http_requests_total{{{JOB},{SERVED}}}[{RATE}]))",
                        "{{status}}",
                    ),
                ),
                "reqps",
            ),
            Panel(
                "5xx ratio (alert above 5%)",
                (
                    (
                        f'(sum(rate(nba_mcp_http_requests_total{{{JOB},{SERVED},status=~"5.."}}[{RATE}])) or vector(0))'
                        f" / sum(rate(nba_mcp_http_requests_total{{{JOB},{SERVED}}}[{RATE}]))",
                        "5xx",
                    ),
                ),
                "percentunit",
            ),
            Panel(
                "Latency percentiles (served routes)",
                quantiles(f"nba_mcp_http_request_duration_seconds_bucket{{{JOB},{SERVED}}}"),
                "s",
            ),
            Panel("Instances up", ((f"sum(up{{{JOB}}})", "up"),)),
            Panel(
                "Process CPU (cores)",
                ((f"rate(process_cpu_seconds_total{{{JOB}}}[{RATE}])", "{{instance}}"),),
                "short",
            ),
            Panel(
                "Process resident memory",
                ((f"process_resident_memory_bytes{{{JOB}}}", "{{instance}}"),),
                "bytes",
            ),
            Panel(
                "Open file descriptors", ((f"process_open_fds{{{JOB}}}", "{{instance}}"),), "short"
            ),
            Panel(
                "Container CPU against its request (cAdvisor, kube-state-metrics)",
                (
                    (
                        f'sum by (pod) (rate(container_cpu_usage_seconds_total{{{NS},container="nba-mcp-synthesis"}}[{RATE}]))'
                        f' / sum by (pod) (kube_pod_container_resource_requests{{{NS},container="nba-mcp-synthesis",resource="cpu"}})',
                        "{{pod}}",
                    ),
                ),
                "percentunit",
            ),
            Panel(
                "HPA replicas (kube-state-metrics)",
                (
                    (
                        f'kube_horizontalpodautoscaler_status_current_replicas{{{NS},horizontalpodautoscaler="nba-mcp-synthesis-hpa"}}',
                        "current",
                    ),
                    (
                        f'kube_horizontalpodautoscaler_spec_max_replicas{{{NS},horizontalpodautoscaler="nba-mcp-synthesis-hpa"}}',
                        "max",
                    ),
                ),
            ),
            Panel(
                "Container restarts (kube-state-metrics)",
                (
                    (
                        f'increase(kube_pod_container_status_restarts_total{{{NS},container="nba-mcp-synthesis"}}[1h])',
                        "{{pod}}",
                    ),
                ),
            ),
        ],
    ),
    "nba-mcp-tools": (
        "NBA MCP / Tools",
        [
            Panel(
                "Tool calls per second",
                ((f"sum by (tool) (rate(nba_mcp_tool_calls_total{{{JOB}}}[{RATE}]))", "{{tool}}"),),
                "ops",
            ),
            Panel(
                "Tool calls by status",
                (
                    (
                        f"sum by (status) (rate(nba_mcp_tool_calls_total{{{JOB}}}[{RATE}]))",
                        "{{status}}",
                    ),
                ),
                "ops",
            ),
            Panel(
                "Tool latency p95 by tool",
                (
                    (
                        f"histogram_quantile(0.95, sum by (tool, le) (rate(nba_mcp_tool_duration_seconds_bucket{{{JOB}}}[{RATE}])))",
                        "{{tool}}",
                    ),
                ),
                "s",
            ),
            Panel(
                "Tool latency percentiles (all tools)",
                quantiles(f"nba_mcp_tool_duration_seconds_bucket{{{JOB}}}"),
                "s",
            ),
            Panel(
                "Authentication failures by reason",
                (
                    (
                        f"sum by (reason) (increase(nba_mcp_auth_failures_total{{{JOB}}}[5m]))",
                        "{{reason}}",
                    ),
                ),
            ),
            Panel(
                "Rate-limited requests (5 min)",
                ((f"sum(increase(nba_mcp_rate_limited_total{{{JOB}}}[5m]))", "429"),),
            ),
        ],
    ),
    "nba-mcp-database-cache": (
        "NBA MCP / Database and cache",
        [
            Panel(
                "Dependencies up (readiness checks)",
                ((f"nba_mcp_dependency_up{{{JOB}}}", "{{instance}} {{dependency}}"),),
            ),
            Panel(
                "Statements per second by operation",
                (
                    (
                        f"sum by (operation) (rate(nba_mcp_db_query_duration_seconds_count{{{JOB}}}[{RATE}]))",
                        "{{operation}}",
                    ),
                ),
                "ops",
            ),
            Panel(
                "Statement latency p95 by operation",
                (
                    (
                        f"histogram_quantile(0.95, sum by (operation, le) (rate(nba_mcp_db_query_duration_seconds_bucket{{{JOB}}}[{RATE}])))",
                        "{{operation}}",
                    ),
                ),
                "s",
            ),
            Panel(
                "Cache lookups by result",
                (
                    (
                        f"sum by (result) (rate(nba_mcp_cache_requests_total{{{JOB}}}[{RATE}]))",
                        "{{result}}",
                    ),
                ),
                "ops",
            ),
            Panel(
                "Cache hit ratio",
                (
                    (
                        f'sum(rate(nba_mcp_cache_requests_total{{{JOB},result="hit"}}[{RATE}]))'
                        f" / sum(rate(nba_mcp_cache_requests_total{{{JOB}}}[{RATE}]))",
                        "hit ratio",
                    ),
                ),
                "percentunit",
            ),
        ],
    ),
    "nba-mcp-synthesis": (
        "NBA MCP / Synthesis cost and tokens",
        [
            Panel(
                "Cost over the last 24 h (alert above 50 USD)",
                ((f"sum(increase(nba_mcp_synthesis_cost_usd_total{{{JOB}}}[1d]))", "USD"),),
                "currencyUSD",
                "stat",
            ),
            Panel(
                "Cost per hour by model",
                (
                    (
                        f"sum by (provider, model) (increase(nba_mcp_synthesis_cost_usd_total{{{JOB}}}[1h]))",
                        "{{provider}} {{model}}",
                    ),
                ),
                "currencyUSD",
            ),
            Panel(
                "Tokens per second by model and kind",
                (
                    (
                        f"sum by (model, kind) (rate(nba_mcp_synthesis_tokens_total{{{JOB}}}[{RATE}]))",
                        "{{model}} {{kind}}",
                    ),
                ),
            ),
            Panel(
                "Synthesis requests by status",
                (
                    (
                        f"sum by (status) (rate(nba_mcp_synthesis_requests_total{{{JOB}}}[{RATE}]))",
                        "{{status}}",
                    ),
                ),
                "ops",
            ),
        ],
    ),
    "nba-mcp-backups-freshness": (
        "NBA MCP / Backups and data freshness",
        [
            Panel(
                "Age of the last verified backup (alert above 26 h)",
                ((f"time() - max(nba_mcp_backup_last_success_timestamp_seconds{{{JOB}}})", "age"),),
                "s",
                "stat",
            ),
            Panel(
                "Age of the latest game loaded (alert above 3 days in season)",
                ((f"time() - max(nba_mcp_data_latest_game_timestamp_seconds{{{JOB}}})", "age"),),
                "s",
                "stat",
            ),
            Panel(
                "Latest game loaded",
                (
                    (
                        f"max(nba_mcp_data_latest_game_timestamp_seconds{{{JOB}}}) * 1000",
                        "latest game",
                    ),
                ),
                "dateTimeAsIso",
                "stat",
            ),
            Panel(
                "Running builds",
                ((f"count by (version) (nba_mcp_build_info{{{JOB}}})", "{{version}}"),),
                "short",
                "stat",
            ),
            Panel(
                "Last successful backup CronJob run (kube-state-metrics)",
                (
                    (
                        f'time() - kube_cronjob_status_last_successful_time{{{NS},cronjob="nba-mcp-synthesis-backup"}}',
                        "age",
                    ),
                ),
                "s",
                "stat",
            ),
        ],
    ),
}


def dashboard(uid: str, title: str, panels: list[Panel]) -> dict[str, Any]:
    source = {"type": "prometheus", "uid": "${datasource}"}
    body = []
    for index, panel in enumerate(panels):
        body.append({
            "id": index + 1,
            "type": panel.kind,
            "title": panel.title,
            "datasource": source,
            "gridPos": {"h": 8, "w": 12, "x": (index % 2) * 12, "y": (index // 2) * 8},
            "fieldConfig": {"defaults": {"unit": panel.unit}, "overrides": []},
            "options": {},
            "targets": [
                {"refId": chr(ord("A") + i), "datasource": source, "expr": expr, "legendFormat": legend}
                for i, (expr, legend) in enumerate(panel.targets)
            ],
        })  # fmt: skip
    return {
        "uid": uid,
        "title": title,
        "tags": ["nba-mcp-synthesis"],
        "timezone": "utc",
        "schemaVersion": 39,
        "version": 1,
        "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "templating": {
            "list": [
                {
                    "name": "datasource",
                    "type": "datasource",
                    "query": "prometheus",
                    "label": "Prometheus",
                    "current": {"text": "Prometheus", "value": "prometheus"},
                }
            ]
        },
        "panels": body,
    }


def main() -> None:
    for uid, (title, panels) in DASHBOARDS.items():
        text = json.dumps(dashboard(uid, title, panels), indent=2) + "\n"
        (OUT / f"{uid}.json").write_text(text)


if __name__ == "__main__":
    main()
