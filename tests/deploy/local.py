"""Throw-away servers of the deployment tests, each on a loopback port below 32768:
a PostgreSQL cluster made by ``initdb`` (and a streaming replica of it), a
redis-server, and any command that serves until stopped."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path

import pytest

# Ports below the kernel's range for outgoing connections (32768-60999), which collides.
from tests.ops.servers import low_port


def wait_until(check: Callable[[], bool], *, seconds: float, what: str) -> None:
    """Poll ``check`` until it holds; fail with ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:g} s waiting for {what}")
        time.sleep(0.2)


def postgres_bin() -> Path:
    """The newest PostgreSQL server binaries of Debian's packages."""
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        pytest.skip("PostgreSQL server binaries are not installed")
    return Path(found[-1]).parent


def _as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the postgres user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@dataclass
class Cluster:
    """One PostgreSQL cluster in a private directory, trust auth for user postgres."""

    data: Path
    port: int = field(default_factory=low_port)
    bin: Path = field(default_factory=postgres_bin)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, tool: str, *args: str) -> None:
        subprocess.run(
            _as_postgres([str(self.bin / tool), *args]),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def init(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                 "--no-sync")  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.data}'\nfsync = off\n"
                "wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n"
            )
        with (self.data / "pg_hba.conf").open("a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"), "-w",
                 "-o", f"-p {self.port}", "start")  # fmt: skip

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def replica(self, data: Path) -> Cluster:
        """A streaming replica of this (running) cluster: ``pg_basebackup -R``, own port."""
        replica = Cluster(data=data, bin=self.bin)
        self.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                 "-D", str(data), "-R", "-X", "stream", "--no-sync")  # fmt: skip
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {replica.port}\nunix_socket_directories = '{data}'\n")
        return replica


@contextlib.contextmanager
def private_directory() -> Iterator[Path]:
    """A directory the postgres user owns (pytest's tmp_path is private to root)."""
    directory = Path(tempfile.mkdtemp(prefix="nba-mcp-deploy-"))
    directory.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@contextlib.contextmanager
def cluster() -> Iterator[Cluster]:
    """A started throw-away primary, stopped and removed after."""
    with private_directory() as directory:
        primary = Cluster(data=directory / "primary")
        primary.init()
        primary.start()
        try:
            yield primary
        finally:
            with contextlib.suppress(subprocess.CalledProcessError):
                primary.stop()


@contextlib.contextmanager
def serving(args: list[str], *, log: Path, ready: Callable[[], bool], what: str,
            env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:  # fmt: skip
    """Run ``args`` until the block ends (SIGTERM, then SIGKILL); wait for ``ready``."""
    with log.open("wb") as sink:
        process = subprocess.Popen(args, stdout=sink, stderr=subprocess.STDOUT, env=env)
    try:

        def up() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"{what} exited {process.returncode}:\n{log.read_text()}")
            return ready()

        wait_until(up, seconds=60, what=what)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def redis_server(
    port: int, log: Path
) -> contextlib.AbstractContextManager[subprocess.Popen[bytes]]:
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")

    def ready() -> bool:
        try:
            return bool(redis.Redis(port=port, socket_connect_timeout=0.2).ping())
        except redis.ConnectionError:
            return False

    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    return serving(args, log=log, ready=ready, what="redis-server")
