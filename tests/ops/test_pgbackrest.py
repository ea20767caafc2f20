"""The documented pgBackRest configuration, run for real on a private PostgreSQL server:
WAL archiving, a full backup, then a restore to a point in time before later writes."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ops.servers import low_port

CONFIG = Path(__file__).resolve().parents[2] / "docs" / "pgbackrest" / "pgbackrest.conf"
BINDIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(shutil.which("pgbackrest") is None or not BINDIRS,
                       reason="pgbackrest and the PostgreSQL server binaries are needed "
                              "(.ci/run installs them)"),
]  # fmt: skip


class Server:
    def __init__(self, directory: Path, port: int) -> None:
        self.directory, self.port = directory, port
        self.bin = BINDIRS[-1]
        self.config = directory / "pgbackrest.conf"

    def run(self, *command: str) -> str:
        # PostgreSQL refuses to run as root: run as the postgres user then.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120,
                              check=False)  # fmt: skip
        assert done.returncode == 0, f"{command}: {done.stderr}"
        return done.stdout

    def backrest(self, *args: str) -> str:
        return self.run("pgbackrest", f"--config={self.config}", "--stanza=nba", *args)

    def pg_ctl(self, *args: str) -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.directory / "data"), "-w",
                 "-l", str(self.directory / "server.log"), *args)  # fmt: skip

    def sql(self, statement: str) -> str:
        return self.run("psql", "-h", str(self.directory), "-p", str(self.port), "-U", "postgres",
                        "-d", "postgres", "-qAt", "-c", statement).strip()  # fmt: skip


@pytest.fixture
def server() -> Iterator[Server]:
    # Not under pytest's tmp_path: the postgres user must reach it (and a socket path is short).
    directory = Path(tempfile.mkdtemp(prefix="nba-pgbr-", dir="/tmp"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
    found = Server(directory, low_port())
    text = CONFIG.read_text().replace("@DIR@", str(directory)).replace("@PORT@", str(found.port))
    found.config.write_text(text)
    found.run(str(found.bin / "initdb"), "-D", str(directory / "data"), "-A", "trust",
              "-U", "postgres")  # fmt: skip
    with (directory / "data" / "postgresql.conf").open("a") as conf:
        conf.write(f"port = {found.port}\nlisten_addresses = ''\n"
                   f"unix_socket_directories = '{directory}'\n"
                   "archive_mode = on\nwal_level = replica\n"
                   f"archive_command = 'pgbackrest --config={found.config} --stanza=nba "
                   "archive-push %p'\n")  # fmt: skip
    found.pg_ctl("start")
    try:
        yield found
    finally:
        subprocess.run([*(["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []),
                        str(found.bin / "pg_ctl"), "-D", str(directory / "data"), "-m",
                        "immediate", "stop"], capture_output=True, check=False)  # fmt: skip
        shutil.rmtree(directory, ignore_errors=True)


def test_point_in_time_recovery_with_the_documented_configuration(server: Server) -> None:
    server.backrest("stanza-create")
    server.backrest("--type=full", "backup")
    server.sql("CREATE TABLE games (id int); INSERT INTO games VALUES (1), (2)")
    time.sleep(1.1)  # the target must fall strictly between the two commits
    target = server.sql("SELECT now()")
    time.sleep(1.1)
    server.sql("INSERT INTO games VALUES (3)")
    server.sql("SELECT pg_switch_wal()")
    server.backrest("check")  # the WAL reached the repository
    server.pg_ctl("-m", "fast", "stop")

    server.backrest("--delta", "--type=time", f"--target={target}", "--target-action=promote",
                    "restore")  # fmt: skip
    server.pg_ctl("start")

    assert server.sql("SELECT COUNT(*) FROM games") == "2"
    assert "full backup" in server.backrest("info")
