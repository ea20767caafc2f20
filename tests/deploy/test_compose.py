"""docker-compose.yml, parsed (neither `docker compose` nor `podman compose` runs here):
every service it needs, the files it mounts exist and say what the mounts expect, and
the service's settings are ones the service reads."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from nba_mcp.config import Settings
from tests.deploy.tools import MONITORING, ROOT, load_yaml, run, system_tool

COMPOSE = ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    found: dict[str, Any] = load_yaml(COMPOSE)
    return found


def mounts(service: dict[str, Any]) -> dict[str, Path]:
    """Bind mounts of ``service``: container path -> file or directory in the repository."""
    found = {}
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        if source.startswith("./"):
            found[target] = ROOT / source
    return found


def test_the_issue_asks_for_every_service(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"app", "migrate", "postgres", "redis", "s3", "prometheus", "alertmanager",
            "grafana"} <= set(services)  # fmt: skip
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown {dependency}"
    assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["db", "upgrade"]


def test_the_app_runs_read_only_without_privileges(compose: dict[str, Any]) -> None:
    for name in ("app", "migrate"):
        service = compose["services"][name]
        assert service["read_only"] is True and service["tmpfs"] == ["/tmp"]
        assert service["cap_drop"] == ["ALL"]
        assert service["build"]["context"] == "."
    for service in compose["services"].values():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), port


def test_mounted_files_exist(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for target, source in mounts(service).items():
            if source.name == ".alert-secrets":  # the operator's, never in the repository
                continue
            assert source.exists(), f"{name} mounts missing {source} at {target}"


def test_prometheus_finds_the_rules_where_they_are_mounted(compose: dict[str, Any]) -> None:
    found = mounts(compose["services"]["prometheus"])
    config_path = PurePosixPath("/etc/prometheus/prometheus.yml")
    assert found[str(config_path)] == MONITORING / "prometheus.yml"
    config = load_yaml(MONITORING / "prometheus.yml")
    for rules in config["rule_files"]:
        in_container = config_path.parent / rules
        mounted = next(t for t in found if str(in_container).startswith(t + "/"))
        assert (found[mounted] / in_container.relative_to(mounted)).is_file()
    targets = [
        t for job in config["scrape_configs"] for s in job["static_configs"] for t in s["targets"]
    ]
    assert "app:8000" in targets and "alertmanager:9093" in str(config["alerting"])
    done = run(system_tool("promtool"), "check", "config", str(MONITORING / "prometheus.yml"))
    assert "SUCCESS" in done.stdout


def test_alertmanager_and_grafana_mounts_match_their_configuration(
    compose: dict[str, Any],
) -> None:
    alertmanager = mounts(compose["services"]["alertmanager"])
    assert alertmanager["/etc/alertmanager/alertmanager.yml"] == (
        MONITORING / "alertmanager" / "alertmanager.yml"
    )
    receivers = load_yaml(MONITORING / "alertmanager" / "alertmanager.yml")["receivers"]
    secret_files = [c.get("api_url_file") or c.get("routing_key_file")
                    for r in receivers for kind in ("slack_configs", "pagerduty_configs")
                    for c in r.get(kind, [])]  # fmt: skip
    assert all(str(f).startswith("/etc/alertmanager/secrets/") for f in secret_files)
    assert "/etc/alertmanager/secrets" in [v.split(":")[1] for v in
                                           compose["services"]["alertmanager"]["volumes"]]  # fmt: skip
    grafana = mounts(compose["services"]["grafana"])
    provider = load_yaml(MONITORING / "grafana/provisioning/dashboards/nba-mcp.yml")
    dashboards = provider["providers"][0]["options"]["path"]
    assert grafana[dashboards] == MONITORING / "dashboards"
    assert list((MONITORING / "dashboards").glob("*.json"))
    datasource = load_yaml(MONITORING / "grafana/provisioning/datasources/prometheus.yml")
    assert datasource["datasources"][0]["url"] == "http://prometheus:9090"


def test_the_apps_environment_is_settings_the_service_reads(compose: dict[str, Any]) -> None:
    fields = {f"NBA_MCP_{name.upper()}" for name in Settings.model_fields}
    for name in ("app", "migrate"):
        environment = compose["services"][name]["environment"]
        unknown = {k for k in environment if k.startswith("NBA_MCP_")} - fields
        assert unknown == set(), f"{name}: {unknown}"
        values = {k.removeprefix("NBA_MCP_").lower(): v for k, v in environment.items()}
        Settings(_env_file=None, **values)  # type: ignore[call-arg]
