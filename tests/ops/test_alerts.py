"""``nba-mcp ops alert test`` posts real payloads to local receivers; failures are clear."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest

from nba_mcp.errors import CheckFailed, DependencyUnavailable, InvalidInput
from nba_mcp.ops.alerts import send_test_alert
from tests.cli.invoke import Cli, env_for
from tests.ops.conftest import settings
from tests.ops.servers import low_port, receiver

NOW = dt.datetime(2026, 12, 2, 18, 30, tzinfo=dt.UTC)


def test_slack_gets_text_and_blocks(cli: Cli, tmp_path: Path) -> None:
    with receiver("/services/T000/B000/XXXX") as slack:
        slack.status, slack.reply = 200, {}
        env = env_for(slack_webhook_url=slack.url, data_dir=str(tmp_path))
        outcome = cli.main("ops", "alert", "test", "--channel", "slack", env=env)
    assert outcome.exit_code == 0, outcome.stderr
    assert "slack accepted the trigger (HTTP 200)" in " ".join(outcome.stdout.split())
    [post] = slack.posts
    body = post["json"]
    assert post["path"] == "/services/T000/B000/XXXX"
    assert post["headers"]["Content-Type"] == "application/json"
    assert body["text"].startswith("[TEST] NBA MCP Synthesis alert test")
    assert [b["type"] for b in body["blocks"]] == ["header", "section", "section"]
    fields = [f["text"] for f in body["blocks"][2]["fields"]]
    assert fields[0].startswith("*Source:*\ndevelopment@") and fields[1] == "*Severity:*\ninfo"


def test_pagerduty_trigger_then_resolve_share_the_dedup_key() -> None:
    with receiver("/v2/enqueue") as pagerduty:
        config = settings(pagerduty_routing_key="R0UT1NGKEY", pagerduty_events_url=pagerduty.url)
        opened = send_test_alert(settings=config, channel="pagerduty", resolve=False, now=NOW)
        closed = send_test_alert(settings=config, channel="pagerduty", resolve=True, now=NOW)
    trigger, resolve = (p["json"] for p in pagerduty.posts)
    assert opened.status_code == 202 and opened.dedup_key == closed.dedup_key
    assert trigger["routing_key"] == "R0UT1NGKEY" and trigger["event_action"] == "trigger"
    assert trigger["dedup_key"] == opened.dedup_key
    payload = trigger["payload"]
    assert {"summary", "source", "severity", "timestamp", "component", "custom_details"} <= set(
        payload
    )
    assert (payload["severity"], payload["component"]) == ("info", "nba-mcp-synthesis")
    assert payload["timestamp"] == "2026-12-02T18:30:00+00:00"
    assert resolve == {"routing_key": "R0UT1NGKEY", "dedup_key": opened.dedup_key,
                       "event_action": "resolve"}  # fmt: skip


def test_a_refusal_names_the_status_and_hides_the_webhook_path() -> None:
    with receiver("/services/SECRET") as slack:
        slack.status, slack.reply = 404, {"error": "no_service"}
        with pytest.raises(CheckFailed) as refused:
            send_test_alert(settings=settings(slack_webhook_url=slack.url), channel="slack",
                            resolve=False, now=NOW)  # fmt: skip
    assert "slack (127.0.0.1) refused the alert: HTTP 404" in refused.value.message
    assert "SECRET" not in refused.value.message


def test_a_receiver_that_never_answers_times_out() -> None:
    with socket.socket() as listener:  # accepts the connection, never answers
        port = low_port()
        listener.bind(("127.0.0.1", port))
        listener.listen()
        config = settings(pagerduty_routing_key="k", alert_timeout_seconds=0.3,
                          pagerduty_events_url=f"http://127.0.0.1:{port}/v2/enqueue")  # fmt: skip
        with pytest.raises(DependencyUnavailable, match=r"no answer within 0\.3 s"):
            send_test_alert(settings=config, channel="pagerduty", resolve=False, now=NOW)


def test_missing_or_bad_settings_are_bad_input(cli: Cli, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="NBA_MCP_SLACK_WEBHOOK_URL is not set"):
        send_test_alert(settings=settings(), channel="slack", resolve=False, now=NOW)
    with pytest.raises(InvalidInput, match="must be http"):
        send_test_alert(settings=settings(slack_webhook_url="file:///etc/passwd"),
                        channel="slack", resolve=False, now=NOW)  # fmt: skip
    closed = f"http://127.0.0.1:{low_port()}/x"
    outcome = cli.main("ops", "alert", "test", "--channel", "slack",
                       env=env_for(slack_webhook_url=closed, data_dir=str(tmp_path)))  # fmt: skip
    assert outcome.exit_code == 2 and "slack (127.0.0.1): ConnectError" in outcome.error
