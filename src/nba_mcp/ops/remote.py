"""The health of a running deployment, asked over HTTP only: ``/health``, ``/ready`` and
``/metrics`` (whose gauges give the data freshness and the last backup's age)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import httpx
from prometheus_client.parser import text_string_to_metric_families

from nba_mcp.config import Settings
from nba_mcp.ops.findings import Finding, Status, timed

BACKUP_GAUGE = "nba_mcp_backup_last_success_timestamp_seconds"
GAME_GAUGE = "nba_mcp_data_latest_game_timestamp_seconds"
Judge = Callable[[httpx.Response], tuple[Status, str]]


def remote_findings(*, url: str, settings: Settings, api_key: str | None) -> list[Finding]:
    """``/health``, ``/ready``, ``/metrics`` of ``url``; each request cut at the timeout."""
    timeout = settings.ready_timeout_seconds + 2.0
    metrics: list[httpx.Response] = []
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    with httpx.Client(base_url=url, timeout=timeout, headers=headers) as client:
        found = [
            _ask(client, "/health", _health),
            _ask(client, "/ready", _ready),
            _ask(client, "/metrics", lambda r: _metrics(r, metrics)),
        ]
    if metrics:
        found += _gauges(metrics[0].text, settings)
    return found


def _ask(client: httpx.Client, path: str, judge: Judge) -> Finding:
    def probe() -> tuple[Status, str]:
        try:
            return judge(client.get(path))
        except httpx.HTTPError as exc:
            return "down", f"{type(exc).__name__}: {exc}"

    return timed(path.strip("/"), probe)


def _health(response: httpx.Response) -> tuple[Status, str]:
    if response.status_code == 200 and response.json().get("status") == "ok":
        return "ok", f"version {response.json().get('version')}"
    return "down", f"HTTP {response.status_code}"


def _ready(response: httpx.Response) -> tuple[Status, str]:
    try:
        body = response.json()
        components = body["components"]
        state = body["status"]
    except (ValueError, KeyError, TypeError):
        return "down", f"HTTP {response.status_code}, not a readiness document"
    detail = ", ".join(f"{name} {c.get('status')}" for name, c in components.items())
    if response.status_code == 200 and state in ("ok", "degraded"):
        return state, detail
    return "down", f"HTTP {response.status_code}: {detail}"


def _metrics(response: httpx.Response, keep: list[httpx.Response]) -> tuple[Status, str]:
    if response.status_code in (401, 403):
        return "degraded", f"HTTP {response.status_code}: /metrics needs a key here"
    if response.status_code != 200 or "nba_mcp_build_info" not in response.text:
        return "down", f"HTTP {response.status_code}, no nba_mcp_ metrics"
    keep.append(response)
    return "ok", f"{response.text.count(chr(10))} lines"


def _gauges(text: str, settings: Settings) -> list[Finding]:
    values = {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name in (BACKUP_GAUGE, GAME_GAUGE)
    }
    now = dt.datetime.now(dt.UTC).timestamp()

    def freshness() -> tuple[Status, str]:
        latest = values.get(GAME_GAUGE, 0.0)
        if not latest:
            return "degraded", "no game loaded"
        return "ok", f"latest game {dt.datetime.fromtimestamp(latest, dt.UTC).date()}"

    def backup() -> tuple[Status, str]:
        last = values.get(BACKUP_GAUGE, 0.0)
        if not last:
            return "degraded", "no successful backup recorded"
        hours = (now - last) / 3600
        good = hours <= settings.backup_max_age_hours
        return ("ok" if good else "degraded"), f"last backup {hours:.1f} h ago"

    return [timed("data_freshness", freshness), timed("last_backup", backup)]
