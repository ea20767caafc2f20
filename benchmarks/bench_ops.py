"""Operations speed: backup and verify of the loaded two-season database on SQLite and
PostgreSQL, and ``ops health`` when everything is up and when a dependency is down.

Targets (issue 12): ``ops health`` answers in under 1 s when everything is up, and within
its timeouts when a dependency is down. Backup and verify times are reported. Each figure
is the median of several runs (health: in-process, the CLI's start-up not included; the
process figure is printed apart).

    uv run python benchmarks/bench_ops.py [--runs 3]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import PG_URL, loaded

from nba_mcp.config import Settings
from nba_mcp.ops import backups
from nba_mcp.ops.health import local_health
from nba_mcp.ops.stores import LocalStore


def _median(values: list[float]) -> float:
    return statistics.median(values)


def bench_backups(backend: str, runs: int, pg_url: str) -> None:
    with loaded(backend, pg_url) as engine, tempfile.TemporaryDirectory() as tmp:
        store = LocalStore(Path(tmp))
        creates, verifies = [], []
        for _ in range(runs):
            start = time.perf_counter()
            manifest = backups.create_backup(engine=engine, store=store, ledger_engine=None)
            creates.append(time.perf_counter() - start)
            start = time.perf_counter()
            backups.verify_backup(store=store, backup_id=manifest.backup_id, ledger_engine=None,
                                  scratch_server_url=pg_url)  # fmt: skip
            verifies.append(time.perf_counter() - start)
        rows = sum(t.rows for t in manifest.tables.values())
        print(f"{backend:10s} backup create {_median(creates):6.2f} s   verify "
              f"{_median(verifies):6.2f} s   ({manifest.size_bytes / 2**20:.1f} MiB, {rows} rows)")  # fmt: skip


def _settings(url: str, redis_url: str) -> Settings:
    return Settings(_env_file=None, database_url=url, kubectl_path="", redis_url=redis_url)  # type: ignore[call-arg]


def bench_health(runs: int) -> None:
    with loaded("sqlite") as engine, socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))  # accepts the connection, never answers: a hung Redis
        hung.listen()
        url = engine.url.render_as_string(hide_password=False)
        with tempfile.TemporaryDirectory() as tmp:  # a recent backup, or health is degraded
            backups.create_backup(engine=engine, store=LocalStore(Path(tmp)), ledger_engine=engine)
        cases = {
            "all up": _settings(url, "redis://127.0.0.1:6379/0"),
            "redis hung": _settings(url, f"redis://127.0.0.1:{hung.getsockname()[1]}/0"),
        }
        for label, settings in cases.items():
            times, status = [], ""
            for _ in range(runs):
                start = time.perf_counter()
                status = local_health(settings=settings, engine=engine).status
                times.append(time.perf_counter() - start)
            print(f"ops health, {label:10s}: {_median(times) * 1000:7.1f} ms  ({status}; "
                  f"timeout {settings.ready_timeout_seconds:g} s)")  # fmt: skip
        env = {"NBA_MCP_DATABASE_URL": url, "NBA_MCP_KUBECTL_PATH": "", "PATH": "/usr/bin:/bin"}
        program = str(Path(sys.executable).with_name("nba-mcp"))
        start = time.perf_counter()
        subprocess.run([program, "ops", "health", "--json"], env=env, capture_output=True,
                       check=False)  # fmt: skip
        print(f"ops health as a process (start-up included): {time.perf_counter() - start:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default=PG_URL)
    args = parser.parse_args()
    for backend in ("sqlite", "postgresql"):
        bench_backups(backend, args.runs, args.postgres)
    bench_health(max(args.runs, 5))


if __name__ == "__main__":
    main()
