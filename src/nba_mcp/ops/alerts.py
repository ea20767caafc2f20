"""``nba-mcp ops alert test``: a real test alert to Slack or PagerDuty, and its resolution.

Slack: an incoming-webhook message (``text`` plus Block Kit ``blocks``). PagerDuty: an
Events API v2 event (``routing_key``, ``event_action``, ``dedup_key``, ``payload``) with a
fixed ``dedup_key`` per source, so that ``--resolve`` resolves the incident the test opened.
A missing setting, a bad URL, a refusal (4xx/5xx) or a timeout fails with a clear message.
"""

from __future__ import annotations

import datetime as dt
import socket
from typing import Any, Literal

import httpx
from pydantic import BaseModel, SecretStr

from nba_mcp import __version__
from nba_mcp.config import Settings
from nba_mcp.errors import CheckFailed, DependencyUnavailable, InvalidInput

Channel = Literal["slack", "pagerduty"]
COMPONENT = "nba-mcp-synthesis"


class Delivery(BaseModel):
    channel: Channel
    action: Literal["trigger", "resolve"]
    status_code: int
    dedup_key: str | None
    answer: str


def send_test_alert(
    *, settings: Settings, channel: Channel, resolve: bool, now: dt.datetime
) -> Delivery:
    """Send the test alert (or its resolution) on ``channel`` and report what was accepted."""
    source = f"{settings.environment}@{socket.gethostname()}"
    action: Literal["trigger", "resolve"] = "resolve" if resolve else "trigger"
    if channel == "slack":
        url = _secret(settings.slack_webhook_url, "NBA_MCP_SLACK_WEBHOOK_URL")
        body, dedup = slack_message(source=source, resolve=resolve, now=now), None
    else:
        key = _secret(settings.pagerduty_routing_key, "NBA_MCP_PAGERDUTY_ROUTING_KEY")
        url, dedup = settings.pagerduty_events_url, f"{COMPONENT}-alert-test-{source}"
        body = pagerduty_event(routing_key=key, dedup_key=dedup, source=source,
                               resolve=resolve, now=now)  # fmt: skip
    response = _post(url, body, timeout=settings.alert_timeout_seconds, channel=channel)
    return Delivery(channel=channel, action=action, status_code=response.status_code,
                    dedup_key=dedup, answer=response.text[:200])  # fmt: skip


def slack_message(*, source: str, resolve: bool, now: dt.datetime) -> dict[str, Any]:
    state = "RESOLVED" if resolve else "TEST"
    title = f"[{state}] NBA MCP Synthesis alert test"
    summary = ("The test alert is resolved." if resolve else
               "This is a test alert from `nba-mcp ops alert test`: no action needed.")  # fmt: skip
    return {
        "text": f"{title}: {summary}",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": title}},
            {"type": "section", "text": {"type": "mrkdwn", "text": summary}},
            {"type": "section", "fields": [
                {"type": "mrkdwn", "text": f"*Source:*\n{source}"},
                {"type": "mrkdwn", "text": "*Severity:*\ninfo"},
                {"type": "mrkdwn", "text": f"*Version:*\n{__version__}"},
                {"type": "mrkdwn", "text": f"*Time (UTC):*\n{now:%Y-%m-%d %H:%M:%S}"},
            ]},
        ],
    }  # fmt: skip


def pagerduty_event(
    *, routing_key: str, dedup_key: str, source: str, resolve: bool, now: dt.datetime
) -> dict[str, Any]:
    event: dict[str, Any] = {"routing_key": routing_key, "dedup_key": dedup_key,
                             "event_action": "resolve" if resolve else "trigger"}  # fmt: skip
    if not resolve:  # a resolve event carries no payload
        event["payload"] = {
            "summary": "NBA MCP Synthesis alert test (nba-mcp ops alert test): no action needed",
            "source": source,
            "severity": "info",
            "timestamp": now.astimezone(dt.UTC).isoformat(timespec="seconds"),
            "component": COMPONENT,
            "group": "operations",
            "class": "alert-test",
            "custom_details": {"version": __version__, "command": "nba-mcp ops alert test"},
        }
    return event


def _secret(value: SecretStr | None, variable: str) -> str:
    if value is None or not value.get_secret_value():
        raise InvalidInput(f"{variable} is not set.")
    return value.get_secret_value()


def _post(url: str, body: dict[str, Any], *, timeout: float, channel: Channel) -> httpx.Response:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        raise InvalidInput(f"The {channel} URL is not a URL.") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidInput(f"The {channel} URL must be http(s)://host/..., not {parsed.scheme}:.")
    # The URL may hold the secret (a Slack webhook does): messages name the host only.
    where = f"{channel} ({parsed.host})"
    try:
        with httpx.Client(timeout=timeout) as client:
            response = client.post(url, json=body)
    except httpx.TimeoutException:
        raise DependencyUnavailable(f"{where}: no answer within {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise DependencyUnavailable(f"{where}: {type(exc).__name__}") from None
    if response.status_code >= 300:
        raise CheckFailed(
            f"{where} refused the alert: HTTP {response.status_code} {response.text[:200]!r}"
        )
    return response
