"""The alert chain, live: the service loses its database, Prometheus (with the shipped
rules) fires NbaMcpDatabaseUnavailable, Alertmanager (with the shipped routes) pages
PagerDuty and posts to Slack with the runbook link; the database comes back and both
receivers hear that the alert resolved."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.deploy.local import wait_until
from tests.deploy.stack import Stack

pytestmark = pytest.mark.postgres

ALERT = "NbaMcpDatabaseUnavailable"
RUNBOOK = "https://github.com/nba-mcp-synthesis/nba-mcp-synthesis/blob/main/docs/runbooks/database-unavailable.md"


def slack(stack: Stack, status: str) -> list[dict[str, Any]]:
    """Slack messages about the alert in ``status`` (firing / resolved)."""
    return [b for b in stack.receivers.bodies("/slack")
            if ALERT in b.get("attachments", [{}])[0].get("title", "")
            and f"[{status.upper()}]" in b["attachments"][0]["title"]]  # fmt: skip


def pagerduty(stack: Stack, action: str) -> list[dict[str, Any]]:
    """PagerDuty events (Events API v2) about the alert with ``action`` (trigger / resolve)."""
    return [b for b in stack.receivers.bodies("/pagerduty")
            if b.get("event_action") == action and ALERT in b["payload"]["summary"]]  # fmt: skip


def firing(stack: Stack) -> set[str]:
    return {a["labels"]["alertname"] for a in stack.alerts() if a["state"] == "firing"}


def test_database_outage_pages_and_posts_then_resolves(stack: Stack) -> None:
    wait_until(lambda: bool(stack.query('nba_mcp_dependency_up{dependency="database"} == 1')),
               seconds=30, what="the service to report its database up")  # fmt: skip
    assert ALERT not in firing(stack)
    assert not slack(stack, "firing") and not pagerduty(stack, "trigger")

    stack.database.stop()
    try:
        wait_until(lambda: bool(pagerduty(stack, "trigger")), seconds=90,
                   what="PagerDuty to be paged")  # fmt: skip
        wait_until(lambda: bool(slack(stack, "firing")), seconds=30, what="the Slack post")
    finally:
        stack.database.start()

    page = pagerduty(stack, "trigger")[0]
    assert page["routing_key"] == "local-routing-key"
    assert page["payload"]["severity"] == "critical"
    assert page["payload"]["custom_details"]["runbook_url"] == RUNBOOK
    assert {"href": RUNBOOK, "text": "Runbook"} in page["links"]
    post = slack(stack, "firing")[0]["attachments"][0]
    assert f"Runbook: {RUNBOOK}" in post["text"]
    assert "The database is unavailable" in post["text"]
    assert post["title"] == f"[FIRING] {ALERT} (critical)"

    wait_until(lambda: bool(pagerduty(stack, "resolve")), seconds=90,
               what="PagerDuty to hear the alert resolved")  # fmt: skip
    wait_until(lambda: bool(slack(stack, "resolved")), seconds=30, what="the Slack resolution")
    assert ALERT not in firing(stack)
    assert pagerduty(stack, "resolve")[0]["dedup_key"] == page["dedup_key"]


def test_warnings_reach_slack_only(stack: Stack) -> None:
    """A burst past the rate limit fires NbaMcpRateLimitingSpike, a warning: Slack, no page."""
    alert = "NbaMcpRateLimitingSpike"
    refused = 0
    with httpx.Client(base_url=stack.service, timeout=30) as client:
        for _ in range(150):  # the stack's limit: a burst of 20, then one a second
            answer = client.get(
                "/v1/schema", headers={"Authorization": f"Bearer {stack.burst_key}"}
            )
            refused += answer.status_code == 429
    assert refused > 100

    def posted() -> list[dict[str, Any]]:
        return [
            b for b in stack.receivers.bodies("/slack") if alert in b["attachments"][0]["title"]
        ]

    wait_until(lambda: bool(posted()), seconds=60, what="the rate-limiting warning on Slack")
    assert posted()[0]["attachments"][0]["title"] == f"[FIRING] {alert} (warning)"
    assert "rate-limiting-spike.md" in posted()[0]["attachments"][0]["text"]
    assert not [b for b in stack.receivers.bodies("/pagerduty") if alert in b["payload"]["summary"]]
