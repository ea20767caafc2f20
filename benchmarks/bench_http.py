"""HTTP throughput: one uvicorn worker on loopback, driven by wrk (when installed; else
locust) from another process.

Targets (issue "Production HTTP service"): ``/health`` >= 2,000 req/s; a player's season
(``GET /v1/players/Stephen%20Curry/season?season=2015-16``, authenticated with an API
key) >= 200 req/s uncached and >= 800 req/s cached. Reported: req/s, p99 latency at 32
concurrent users, and the worker's RSS afterwards; each figure the median of the runs.
wrk (Debian: ``apt-get install wrk``) or locust (a dev dependency) runs in its own process;
this script installs nothing. The rate limit is off and the access log goes to
/dev/null for the run; the database is a fresh SQLite (or PostgreSQL) load.

    uv run python benchmarks/bench_http.py [--runs 3] [--seconds 10] [--users 32]
        [--backend sqlite|postgresql] [--postgres URL] [--env NBA_MCP_NAME=VALUE ...]
        [--no-ratios]

It ends with the throughput ratios of ``benchmarks/throughput.py`` (``/health``, REST and
MCP cached and uncached, on one worker and on one per CPU) unless ``--no-ratios``.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import throughput
import wrk
from common import PG_URL, loaded

from nba_mcp.cli.serve import available_cpus
from nba_mcp.security.keys import create_key

BIN = Path(sys.executable).parent
PLAYER = "/v1/players/Stephen%20Curry/season?season=2015-16"
LOCUSTFILE = """
from locust import FastHttpUser, constant, task

class Client(FastHttpUser):
    wait_time = constant(0)

    @task
    def call(self):
        with self.client.request(
            {method!r}, {path!r}, headers={headers!r}, data={body!r}, catch_response=True
        ) as response:
            if response.status_code != 200 or b'"isError":true' in response.content:
                response.failure(f"status {{response.status_code}}")
"""
TARGETS = {"/health": 2000, "player season (uncached)": 200, "player season (cache on)": 800}
RSS_TARGET_BYTES = 200_000_000  # "200 MB", read strictly: 190.7 MiB


@contextmanager
def server(url: str, env: dict[str, str], *, workers: int = 1) -> Iterator[tuple[str, int]]:
    """``nba-mcp serve --transport http --workers N``; yields (base URL, pid of the server)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NBA_MCP_")}
    environment |= {"NBA_MCP_DATABASE_URL": url, "NBA_MCP_LOG_LEVEL": "WARNING",
                    "NBA_MCP_RATE_LIMIT_PER_MINUTE": "0", **env}  # fmt: skip
    process = subprocess.Popen(
        [str(BIN / "nba-mcp"), "serve", "--transport", "http", "--port", str(port),
         "--workers", str(workers)],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise
        time.sleep(0.05)
    try:
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def locust(
    base: str, path: str, users: int, seconds: int, headers: dict[str, str],
    *, method: str = "GET", body: str | None = None, percentile: str = "99%",
) -> tuple[float, float, int]:  # fmt: skip
    """One headless locust run: (requests/s, latency at ``percentile`` in ms, failures)."""
    with tempfile.TemporaryDirectory() as tmp:
        locustfile = Path(tmp) / "locustfile.py"
        locustfile.write_text(
            LOCUSTFILE.format(path=path, headers=headers, method=method, body=body)
        )
        subprocess.run(
            [str(BIN / "locust"), "-f", str(locustfile), "--headless", "--host", base,
             "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--only-summary",
             "--csv", f"{tmp}/run", "--loglevel", "ERROR"],
            check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=seconds + 60,
        )  # fmt: skip
        with open(f"{tmp}/run_stats.csv") as file:
            total = next(row for row in csv.DictReader(file) if row["Name"] == "Aggregated")
    return float(total["Requests/s"]), float(total[percentile]), int(total["Failure Count"])


def load(
    url: str, path: str, args: argparse.Namespace, headers: dict[str, str]
) -> tuple[float, float, int]:
    """(requests/s, p99 ms, failures) from wrk when installed, else from locust."""
    if wrk.available():
        rate, _p95, p99, errors = wrk.run(
            url, connections=args.users, seconds=args.seconds, headers=headers
        )
        return rate, p99, errors
    return locust(url[: -len(path)], path, args.users, args.seconds, headers)


def add_env_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--env", action="append", default=[], metavar="NBA_MCP_NAME=VALUE",
        help="A setting for the server, for A/B runs (e.g. NBA_MCP_WORKER_THREADS=8); repeatable.",
    )  # fmt: skip


def settings(args: argparse.Namespace) -> dict[str, str]:
    """The server settings given with ``--env``."""
    pairs = [item.partition("=") for item in args.env]
    bad = [name for name, sep, _ in pairs if not sep or not name.startswith("NBA_MCP_")]
    if bad:
        raise SystemExit(f"--env takes NBA_MCP_NAME=VALUE; got {bad}")
    return {name: value for name, _, value in pairs}


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise LookupError(f"no VmRSS for process {pid}")


def measure(
    name: str, url: str, path: str, env: dict[str, str], args: argparse.Namespace,
    headers: dict[str, str],
) -> None:  # fmt: skip
    with server(url, settings(args) | env) as (base, pid):
        # warm: first query, imports
        httpx.get(base + path, headers=headers, timeout=30).raise_for_status()
        runs = [load(base + path, path, args, headers) for _ in range(args.runs)]
        rss = rss_bytes(pid)
    rps = statistics.median(r[0] for r in runs)
    p99 = statistics.median(r[1] for r in runs)
    failures = sum(r[2] for r in runs)
    target = TARGETS[name]
    verdict = "ok" if rps >= target else "BELOW TARGET"
    memory = "ok" if rss < RSS_TARGET_BYTES else "ABOVE TARGET"
    print(
        f"{name:<26} {rps:8,.0f} req/s (target >= {target:,}: {verdict}) | p99 {p99:6.0f} ms "
        f"at {args.users} users | worker RSS {rss / 1e6:5.1f} MB = {rss / 2**20:5.1f} MiB "
        f"(target < 200 MB: {memory}) | failures {failures} | runs {args.runs} x {args.seconds} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres", default=PG_URL)
    parser.add_argument("--no-ratios", dest="ratios", action="store_false",
                        help="Skip the throughput ratios (benchmarks/throughput.py).")  # fmt: skip
    add_env_argument(parser)
    args = parser.parse_args()
    generator = "wrk" if wrk.available() else "locust"
    print(f"bench_http: backend {args.backend}, one worker, {generator} from a second process, "
          f"{os.cpu_count()} CPUs")  # fmt: skip
    with loaded(args.backend, args.postgres) as engine:
        url = engine.url.render_as_string(hide_password=False)
        # The API calls are authenticated, as in production: a key with the read scope.
        key = {"Authorization": f"Bearer {create_key(engine, name='bench', scopes='read').key}"}
        measure("/health", url, "/health", {}, args, {})
        uncached = {"NBA_MCP_CACHE_TTL_SECONDS": "0"}
        measure("player season (uncached)", url, PLAYER, uncached, args, key)
        measure("player season (cache on)", url, PLAYER, {}, args, key)
        if args.ratios:
            # What a cached answer costs next to /health, over REST and MCP, in one run.
            ratio_args = argparse.Namespace(rounds=args.runs, seconds=args.seconds,
                                            connections=16)  # fmt: skip
            for workers in (1, available_cpus()):
                results, rss = throughput.one_worker_set(url, workers, ratio_args, server)
                throughput.report(f"ratios, {workers} worker(s)", results, rss)


if __name__ == "__main__":
    main()
