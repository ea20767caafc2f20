"""The alert rules and the Alertmanager configuration, checked by Prometheus's own tools:
promtool checks and unit-tests every rule (quiet, then firing), amtool checks the
configuration and shows where each severity is routed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.deploy.tools import MONITORING, load_yaml, run, system_tool

RULES = MONITORING / "rules" / "alerts.yml"
ALERTMANAGER = MONITORING / "alertmanager" / "alertmanager.yml"
RULE_TESTS = sorted((MONITORING / "tests").glob("*_test.yml"))
RUNBOOKS = "https://github.com/nba-mcp-synthesis/nba-mcp-synthesis/blob/main/docs/runbooks/"

#: The shared table of alert names, severities and runbook files (issue 13).
ALERTS = {
    "NbaMcpServiceDown": ("critical", "service-down.md"),
    "NbaMcpHighErrorRate": ("critical", "high-error-rate.md"),
    "NbaMcpHighLatency": ("warning", "high-latency.md"),
    "NbaMcpAuthFailuresSpike": ("warning", "auth-failures-spike.md"),
    "NbaMcpRateLimitingSpike": ("warning", "rate-limiting-spike.md"),
    "NbaMcpDatabaseUnavailable": ("critical", "database-unavailable.md"),
    "NbaMcpRedisUnavailable": ("warning", "redis-unavailable.md"),
    "NbaMcpStaleData": ("warning", "stale-data.md"),
    "NbaMcpBackupTooOld": ("critical", "backup-too-old.md"),
    "NbaMcpSynthesisCostOverBudget": ("warning", "synthesis-cost-over-budget.md"),
    "NbaMcpPodRestarting": ("warning", "pod-restarts.md"),
    "NbaMcpHpaAtMaxReplicas": ("warning", "hpa-at-max.md"),
}


def rules() -> list[dict[str, Any]]:
    return [rule for group in load_yaml(RULES)["groups"] for rule in group["rules"]]


def test_the_shared_alert_names_severities_and_runbooks() -> None:
    found = {
        r["alert"]: (r["labels"]["severity"], r["annotations"]["runbook_url"]) for r in rules()
    }
    assert found == {name: (sev, RUNBOOKS + file) for name, (sev, file) in ALERTS.items()}
    for rule in rules():
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]
        assert rule["labels"]["service"] == "nba-mcp-synthesis"


def test_promtool_checks_the_rules() -> None:
    done = run(system_tool("promtool"), "check", "rules", str(RULES))
    assert f"SUCCESS: {len(ALERTS)} rules found" in done.stdout


def test_every_alert_has_a_firing_and_a_quiet_unit_test() -> None:
    firing: set[str] = set()
    quiet: set[str] = set()
    for path in RULE_TESTS:
        for case in load_yaml(path)["tests"]:
            for check in case["alert_rule_test"]:
                (firing if check["exp_alerts"] else quiet).add(check["alertname"])
    assert firing == set(ALERTS)
    assert quiet == set(ALERTS)


def test_promtool_unit_tests_pass() -> None:
    done = run(system_tool("promtool"), "test", "rules", *map(str, RULE_TESTS))
    assert done.stdout.count("SUCCESS") == len(RULE_TESTS)


def test_amtool_checks_the_alertmanager_configuration() -> None:
    done = run(system_tool("amtool"), "check-config", str(ALERTMANAGER))
    assert "SUCCESS" in done.stdout


@pytest.mark.parametrize(
    ("severity", "receivers"),
    [("critical", "pagerduty,slack"), ("warning", "slack"), ("info", "slack")],
)
def test_critical_pages_and_everything_reaches_slack(severity: str, receivers: str) -> None:
    done = run(
        system_tool("amtool"), "config", "routes", "test", f"--config.file={ALERTMANAGER}",
        f"--verify.receivers={receivers}", "alertname=AnyAlert", f"severity={severity}",
    )  # fmt: skip
    assert done.stdout.strip() == receivers


def test_routes_follow_each_rules_own_severity() -> None:
    for rule in rules():
        severity = rule["labels"]["severity"]
        done = run(
            system_tool("amtool"), "config", "routes", "test", f"--config.file={ALERTMANAGER}",
            f"alertname={rule['alert']}", f"severity={severity}", "service=nba-mcp-synthesis",
        )  # fmt: skip
        expected = "pagerduty,slack" if severity == "critical" else "slack"
        assert done.stdout.strip() == expected, rule["alert"]
