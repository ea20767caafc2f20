"""The live monitoring stack: the real service on a throw-away PostgreSQL cluster, Debian's
Prometheus scraping it with the project's rules, Debian's Alertmanager with the project's
configuration, and local Slack and PagerDuty receivers, all on 127.0.0.1 below 32768.

The shipped files are used as they are except for one documented transform (see
monitoring/README.md, "Live test"): durations shrink so that the chain runs in seconds —
every rule's ``for:`` becomes ``FOR``, Alertmanager's grouping waits become a second —
and the two secret files become the local receivers' URLs. Alert names, expressions,
labels and annotations are the shipped ones.
"""

from __future__ import annotations

import json
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.deploy.local import Cluster, cluster, low_port, redis_server, serving, wait_until
from tests.deploy.tools import BIN, MONITORING, system_tool
from tests.mcp.servers import server_env
from tests.synthesis.scripted import Request, Say, ScriptedProvider, Tool

FOR = "2s"
SCRAPE = "1s"


def fast_rules(shipped: dict[str, Any]) -> dict[str, Any]:
    """The shipped rule groups with every ``for:`` shortened to :data:`FOR`, nothing else."""
    groups = []
    for group in shipped["groups"]:
        rules = [{**rule, "for": FOR} if "for" in rule else rule for rule in group["rules"]]
        groups.append({**group, "rules": rules})
    return {"groups": groups}


def local_alertmanager(shipped: dict[str, Any], receivers: str) -> dict[str, Any]:
    """The shipped configuration with a second's grouping waits and the secret files
    replaced by the local receivers' URLs (the Slack webhook, the PagerDuty events API)."""
    config = json.loads(json.dumps(shipped))
    config["route"].update(group_wait="1s", group_interval="1s")
    for receiver in config["receivers"]:
        for slack in receiver.get("slack_configs", []):
            del slack["api_url_file"]
            slack["api_url"] = f"{receivers}/slack"
        for pagerduty in receiver.get("pagerduty_configs", []):
            del pagerduty["routing_key_file"]
            pagerduty["routing_key"] = "local-routing-key"
            pagerduty["url"] = f"{receivers}/pagerduty"
    return config


class Receivers:
    """Records every JSON body POSTed to /slack and /pagerduty."""

    def __init__(self) -> None:
        self.port = low_port()
        self.received: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()
        receivers = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                with receivers._lock:
                    receivers.received.append((self.path, body))
                answer = b'{"status":"success","message":"Event processed"}'
                self.send_response(202 if self.path == "/pagerduty" else 200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def bodies(self, path: str) -> list[dict[str, Any]]:
        with self._lock:
            return [body for p, body in self.received if p == path]

    def __enter__(self) -> Receivers:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class ReadinessProbe:
    """Asks /ready every second, as the kubelet's readiness probe does in the cluster:
    each answer sets nba_mcp_dependency_up, which the database alert reads."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        # urllib, not httpx: this thread outlives the tests that use the stack, and httpx
        # logs each request, which would land in other tests' captured stderr.
        while not self._stop.is_set():
            try:
                urllib.request.urlopen(f"{self.base}/ready", timeout=5).close()
            except urllib.error.HTTPError as not_ready:  # a 503 is an answer too
                not_ready.close()
            except OSError:
                pass  # not listening: the next probe asks again
            self._stop.wait(1.0)

    def __enter__(self) -> ReadinessProbe:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self.thread.join(timeout=10)


@dataclass
class Stack:
    service: str
    prometheus: str
    alertmanager: str
    receivers: Receivers
    database: Cluster
    api_key: str
    burst_key: str  # a second key, for traffic that runs into the rate limit
    synthesis_key: str  # a key with the synthesize scope, for the synthesis panels
    logs: Path

    def query(self, expr: str) -> list[dict[str, Any]]:
        """An instant query's result (a vector, a scalar as one sample, or a matrix)."""
        answer = httpx.get(f"{self.prometheus}/api/v1/query", params={"query": expr}, timeout=10)
        body = answer.json()
        assert body["status"] == "success", f"{expr}: {body}"
        data = body["data"]
        if data["resultType"] in ("scalar", "string"):
            return [{"value": data["result"]}]
        result: list[dict[str, Any]] = data["result"]
        return result

    def alerts(self) -> list[dict[str, Any]]:
        body = httpx.get(f"{self.prometheus}/api/v1/alerts", timeout=10).json()
        found: list[dict[str, Any]] = body["data"]["alerts"]
        return found


def _ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def cli(database_url: str, *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "nba-mcp"), *args], env=server_env(database_url), capture_output=True,
        text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"nba-mcp {' '.join(args)}: {done.stderr}"
    return done.stdout


@contextmanager
def live_stack(data: Path, logs: Path) -> Iterator[Stack]:
    """Everything started, the service loaded with one season; all stopped after."""
    prometheus_bin = system_tool("prometheus")
    alertmanager_bin = system_tool("prometheus-alertmanager")
    with ExitStack() as stack:
        database = stack.enter_context(cluster())
        cli(database.url, "db", "upgrade")
        cli(database.url, "ingest", "bref", str(data / "bref"), "--season", "2015-16", "--quiet")
        key, burst_key = (
            json.loads(cli(database.url, "keys", "create", "--name", name, "--json"))["key"]
            for name in ("live", "burst")
        )

        synthesis_key = json.loads(cli(database.url, "keys", "create", "--name", "asker",
                                       "--scopes", "synthesize", "--json"))["key"]  # fmt: skip
        # A scripted LLM (tests/synthesis/scripted.py) on 127.0.0.1, so that synthesis
        # runs for real and its metrics have series: each run calls a tool, then answers.
        provider = stack.enter_context(ScriptedProvider())
        provider.script("live", [Tool("team_season_stats", {"team": "GSW", "season": "2015-16"}),
                                 Say(_record)] * 20)  # fmt: skip

        redis_port = low_port()
        stack.enter_context(redis_server(redis_port, logs / "redis.log"))
        port = low_port()
        service = f"http://127.0.0.1:{port}"
        env = server_env(database.url) | {
            "NBA_MCP_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "NBA_MCP_RATE_LIMIT_PER_MINUTE": "60",
            "NBA_MCP_RATE_LIMIT_BURST": "20",
            "NBA_MCP_ACCESS_LOG": "false",
            "NBA_MCP_LLM_PROVIDERS": json.dumps(
                {"scripted": {"kind": "openai", "base_url": provider.openai_base_url}}
            ),
            "NBA_MCP_LLM_PRICES": json.dumps({"scripted:live": {"input": 0.4, "output": 1.6}}),
        }
        stack.enter_context(serving(
            [str(BIN / "nba-mcp"), "serve", "--transport", "http", "--host", "127.0.0.1",
             "--port", str(port)],
            log=logs / "service.log", env=env, ready=lambda: _ok(f"{service}/health"),
            what="nba-mcp serve",
        ))  # fmt: skip
        stack.enter_context(ReadinessProbe(service))

        receivers = stack.enter_context(Receivers())
        am_port = low_port()
        am_config = logs / "alertmanager.yml"
        shipped = yaml.safe_load((MONITORING / "alertmanager" / "alertmanager.yml").read_text())
        am_config.write_text(yaml.safe_dump(local_alertmanager(shipped, receivers.url)))
        alertmanager = f"http://127.0.0.1:{am_port}"
        stack.enter_context(serving(
            [alertmanager_bin, f"--config.file={am_config}", f"--storage.path={logs / 'am-data'}",
             f"--web.listen-address=127.0.0.1:{am_port}", "--cluster.listen-address="],
            log=logs / "alertmanager.log", ready=lambda: _ok(f"{alertmanager}/-/ready"),
            what="alertmanager",
        ))  # fmt: skip

        rules = logs / "alerts.yml"
        rules.write_text(yaml.safe_dump(fast_rules(yaml.safe_load(
            (MONITORING / "rules" / "alerts.yml").read_text()))))  # fmt: skip
        prom_port = low_port()
        prom_config = logs / "prometheus.yml"
        prom_config.write_text(yaml.safe_dump({
            "global": {"scrape_interval": SCRAPE, "evaluation_interval": SCRAPE},
            "rule_files": [str(rules)],
            "alerting": {"alertmanagers": [{"static_configs": [{"targets": [f"127.0.0.1:{am_port}"]}]}]},
            "scrape_configs": [{"job_name": "nba-mcp-synthesis", "metrics_path": "/metrics",
                                "static_configs": [{"targets": [f"127.0.0.1:{port}"]}]}],
        }))  # fmt: skip
        prometheus = f"http://127.0.0.1:{prom_port}"
        stack.enter_context(serving(
            [prometheus_bin, f"--config.file={prom_config}", f"--storage.tsdb.path={logs / 'tsdb'}",
             f"--web.listen-address=127.0.0.1:{prom_port}"],
            log=logs / "prometheus.log", ready=lambda: _ok(f"{prometheus}/-/ready"),
            what="prometheus",
        ))  # fmt: skip
        live = Stack(service, prometheus, alertmanager, receivers, database, key, burst_key,
                     synthesis_key, logs)  # fmt: skip
        wait_until(lambda: _scraped(live), seconds=60, what="Prometheus to scrape the service")
        yield live


def _record(request: Request) -> str:
    found = request.tool_results[0]["result"]["record"]
    return f"The 2015-16 Warriors went {found['wins']}-{found['losses']} [1]."


def _scraped(stack: Stack) -> bool:
    return [s["value"][1] for s in stack.query('up{job="nba-mcp-synthesis"}')] == ["1"]
