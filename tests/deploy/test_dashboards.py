"""The Grafana dashboards: generated from monitoring/dashboards.py, and every panel's query
parsed and run by the live Prometheus that scrapes the real service after real traffic.
Each returns data, except the panels declared below with the reason they cannot here."""

from __future__ import annotations

import importlib.util
import json
import re
import sys

import httpx
import pytest
from prometheus_client import REGISTRY

from nba_mcp.observability import metrics  # noqa: F401  (defines every nba_mcp_ metric)
from tests.deploy.local import wait_until
from tests.deploy.stack import Stack
from tests.deploy.tools import MONITORING

pytestmark = pytest.mark.postgres

DASHBOARDS = sorted((MONITORING / "dashboards").glob("*.json"))
KUBE_STATE = "kube-state-metrics and the kubelet's cAdvisor run in a cluster, not here"
#: (dashboard uid, panel title) -> why its query has no data on this machine.
NO_DATA_HERE = {
    (
        "nba-mcp-overview",
        "Container CPU against its request (cAdvisor, kube-state-metrics)",
    ): KUBE_STATE,
    ("nba-mcp-overview", "HPA replicas (kube-state-metrics)"): KUBE_STATE,
    ("nba-mcp-overview", "Container restarts (kube-state-metrics)"): KUBE_STATE,
    (
        "nba-mcp-backups-freshness",
        "Last successful backup CronJob run (kube-state-metrics)",
    ): KUBE_STATE,
}
STANDARD = re.compile(r"\b(kube_[a-z_]+|container_[a-z_]+|process_[a-z_]+)\b")
OURS = re.compile(r"\bnba_mcp_[a-z_]+\b")


def panels() -> list[tuple[str, str, str]]:
    """(dashboard uid, panel title, expression) of every target of every dashboard."""
    found = []
    for path in DASHBOARDS:
        board = json.loads(path.read_text())
        for panel in board["panels"]:
            for target in panel["targets"]:
                found.append((board["uid"], panel["title"], target["expr"]))
    return found


def test_dashboards_are_the_generators_output() -> None:
    name = "monitoring_dashboards"
    spec = importlib.util.spec_from_file_location(name, MONITORING / "dashboards.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    expected = {f"{uid}.json" for uid in module.DASHBOARDS}
    assert {p.name for p in DASHBOARDS} == expected
    for uid, (title, board) in module.DASHBOARDS.items():
        shipped = json.loads((MONITORING / "dashboards" / f"{uid}.json").read_text())
        assert shipped == module.dashboard(uid, title, board), f"regenerate {uid}"


def test_the_five_dashboards_of_the_issue() -> None:
    titles = {json.loads(p.read_text())["title"] for p in DASHBOARDS}
    assert titles == {
        "NBA MCP / Service overview", "NBA MCP / Tools", "NBA MCP / Database and cache",
        "NBA MCP / Synthesis cost and tokens", "NBA MCP / Backups and data freshness",
    }  # fmt: skip


def test_queries_use_only_metrics_that_exist() -> None:
    ours = {name for family in REGISTRY.collect() for name in _names(family.name, family.type)}
    for uid, title, expr in panels():
        for name in OURS.findall(expr):
            assert name in ours, f"{uid} / {title}: {name} is not defined in metrics.py"
        if (uid, title) not in NO_DATA_HERE:
            assert not STANDARD.findall(expr) or all(
                n.startswith("process_") for n in STANDARD.findall(expr)
            ), f"{uid} / {title} reads a cluster exporter: declare it in NO_DATA_HERE"
    for uid, title in NO_DATA_HERE:
        assert any((u, t) == (uid, title) for u, t, _ in panels()), f"stale declaration {title}"


def test_every_panel_query_returns_data(stack: Stack) -> None:
    _traffic(stack)
    # A rate needs two scrapes of a series: wait until both have happened (or time out).
    wait_until(lambda: not _empty(stack), seconds=30, what="every panel to have data")
    assert _empty(stack) == []


def _empty(stack: Stack) -> list[str]:
    """The panels whose query returns nothing (each query is run: the API rejects one
    that does not parse), less the declared ones."""
    empty: list[str] = []
    for uid, title, expr in panels():
        query = expr.replace("$__rate_interval", "1m")
        result = stack.query(query)
        if not result and (uid, title) not in NO_DATA_HERE:
            empty.append(f"{uid} / {title}: {query}")
    return empty


def _names(family: str, kind: str) -> set[str]:
    if kind == "counter":
        return {f"{family}_total"}
    if kind == "histogram":
        return {f"{family}_bucket", f"{family}_count", f"{family}_sum"}
    return {family}


def _traffic(stack: Stack) -> None:
    """What users do: tool calls (twice, for cache hits), a bad name (a tool error), calls
    without a key (auth failures), a burst past the rate limit (429s), and questions to
    the synthesis pipeline (answered by a scripted model)."""
    paths = [
        "/v1/players/Stephen%20Curry/season?season=2015-16",
        "/v1/teams/GSW/season?season=2015-16",
        "/v1/leaders/pts?season=2015-16",
        "/v1/standings?season=2015-16",
        "/v1/players/Nobody%20Atall/season?season=2015-16",
    ]
    headers = {"Authorization": f"Bearer {stack.api_key}"}
    statuses: list[int] = []
    with httpx.Client(base_url=stack.service, timeout=30) as client:
        for path in paths * 2:
            statuses.append(client.get(path, headers=headers).status_code)
        for _ in range(2):
            asked = client.post(
                "/v1/synthesize",
                json={"question": "What was the Warriors' record in 2015-16?",
                      "models": ["scripted:live"], "use_cache": False},
                headers={"Authorization": f"Bearer {stack.synthesis_key}"},
            )  # fmt: skip
            assert asked.status_code == 200 and asked.json()["status"] == "ok", asked.text
        for _ in range(3):
            statuses.append(client.get(paths[0]).status_code)
        burst = {"Authorization": f"Bearer {stack.burst_key}"}
        for _ in range(25):  # the stack's limit: a burst of 20, then one a second
            statuses.append(client.get("/v1/schema", headers=burst).status_code)
    assert {200, 401, 404, 429} <= set(statuses), statuses


def test_declared_reasons_are_not_empty() -> None:
    assert all(reason for reason in NO_DATA_HERE.values())
