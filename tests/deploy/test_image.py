"""The container image, built and run with podman (Debian's package) from a local base
image (debootstrap + Debian's Python 3.11, scripts/build-local-base-image.sh), since base
images cannot be pulled here. It must serve /health, as a non-root user, with a
read-only root filesystem, and carry the OCI labels and the HEALTHCHECK.

This sandbox runs podman inside a container: crun cannot use its hybrid cgroups and the
runtime may not raise rlimits, so the tests run podman with runc and no default ulimits
(``CONTAINERS_CONF`` below). A normal host needs neither.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.tools import ROOT, run, system_tool

BASE = "localhost/nba-mcp-base:bookworm"
IMAGE = "localhost/nba-mcp-synthesis:test"
REVISION = "0123456789abcdef0123456789abcdef01234567"
CA_BUNDLE = os.environ.get("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt")

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="podman runs as root here"),
    # The first test builds the base image and the image (each bounded at 900 s below).
    pytest.mark.timeout(2400),
]


@pytest.fixture(scope="module")
def podman(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    binary = system_tool("podman")
    system_tool("debootstrap")
    conf = tmp_path_factory.mktemp("podman") / "containers.conf"
    runtime = 'runtime = "runc"\n' if shutil.which("runc") else ""
    conf.write_text(f"[containers]\ndefault_ulimits = []\n[engine]\n{runtime}")
    previous = os.environ.get("CONTAINERS_CONF")
    os.environ["CONTAINERS_CONF"] = str(conf)
    try:
        yield [binary]
    finally:
        if previous is None:
            os.environ.pop("CONTAINERS_CONF", None)
        else:
            os.environ["CONTAINERS_CONF"] = previous


@pytest.fixture(scope="module")
def image(podman: list[str]) -> str:
    run("bash", str(ROOT / "scripts" / "build-local-base-image.sh"), BASE, timeout=900)
    secret = ["--secret", f"id=ca_bundle,src={CA_BUNDLE}"] if Path(CA_BUNDLE).is_file() else []
    run(*podman, "build", "--format", "docker", *secret, "--build-arg", f"BASE_IMAGE={BASE}",
        "--build-arg", "VERSION=0.1.0", "--build-arg", f"REVISION={REVISION}",
        "-t", IMAGE, str(ROOT), timeout=900)  # fmt: skip
    return IMAGE


@pytest.fixture(scope="module")
def container(podman: list[str], image: str) -> Iterator[str]:
    """The image serving over its own SQLite in /tmp, root filesystem read-only, no network
    but its own loopback (the HEALTHCHECK's 127.0.0.1:8000 collides with nothing)."""
    name = f"nba-mcp-test-{uuid.uuid4().hex[:8]}"
    run(*podman, "run", "-d", "--name", name, "--read-only", "--tmpfs", "/tmp",
        "--network", "none", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
        "-e", "NBA_MCP_HOST=127.0.0.1", "--entrypoint", "sh", image,
        "-c", "nba-mcp db upgrade && exec nba-mcp serve --transport http")  # fmt: skip
    try:
        yield name
    finally:
        subprocess.run([*podman, "rm", "-f", "-t", "5", name], capture_output=True, check=False)


def test_image_carries_labels_user_and_healthcheck(podman: list[str], image: str) -> None:
    (config,) = json.loads(run(*podman, "image", "inspect", image).stdout)
    labels = config["Config"]["Labels"]
    assert labels["org.opencontainers.image.version"] == "0.1.0"
    assert labels["org.opencontainers.image.revision"] == REVISION
    assert config["Config"]["User"] == "10001:10001"
    assert "/health" in " ".join(config["Healthcheck"]["Test"])
    assert config["Config"]["Entrypoint"] == ["nba-mcp"]


def test_final_stage_has_no_build_tools(podman: list[str], image: str) -> None:
    probe = (
        "import shutil; print([t for t in ('uv', 'gcc', 'cc', 'make', 'pip3') if shutil.which(t)])"
    )
    done = run(*podman, "run", "--rm", "--network", "none", "--entrypoint", "python3", image,
               "-c", probe)  # fmt: skip
    assert done.stdout.strip() == "[]"


def test_image_carries_the_postgresql_client_for_backups(podman: list[str], image: str) -> None:
    for tool in ("pg_dump", "pg_restore"):
        done = run(*podman, "run", "--rm", "--network", "none", "--entrypoint", tool, image,
                   "--version")  # fmt: skip
        assert "(PostgreSQL) 15." in done.stdout, done.stdout


def test_container_serves_health_as_non_root_on_a_read_only_root(
    podman: list[str], container: str
) -> None:
    deadline = time.monotonic() + 60
    fetch = "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8000/health').read().decode())"
    while True:
        done = subprocess.run([*podman, "exec", container, "python3", "-c", fetch],
                              capture_output=True, text=True, check=False)  # fmt: skip
        if done.returncode == 0:
            break
        assert time.monotonic() < deadline, run(*podman, "logs", container).stderr
        time.sleep(0.5)
    assert json.loads(done.stdout)["status"] == "ok"
    run(*podman, "healthcheck", "run", container)  # the image's own HEALTHCHECK passes
    assert run(*podman, "exec", container, "id", "-u").stdout.strip() == "10001"
    top = run(*podman, "top", container, "user", "args").stdout
    assert "nba-mcp serve" in top and "root" not in top
    for path in ("/opt/venv/owned-by-root", "/written-at-root", "/etc/written"):
        write = subprocess.run([*podman, "exec", container, "touch", path],
                               capture_output=True, text=True, check=False)  # fmt: skip
        assert write.returncode != 0 and "Read-only file system" in write.stderr


def test_the_user_cannot_change_the_installed_code_even_when_writable(
    podman: list[str], image: str
) -> None:
    done = subprocess.run(
        [*podman, "run", "--rm", "--network", "none", "--entrypoint", "touch", image,
         "/opt/venv/bin/nba-mcp"], capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode != 0 and "Permission denied" in done.stderr
