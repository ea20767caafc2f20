"""Where the deployment tests find the repository's files and the pinned tools.

kubectl (with kustomize), kubernetes-validate and hadolint come from wheels pinned in
pyproject.toml and sit beside the interpreter; promtool, amtool, prometheus and
alertmanager come from Debian's packages, which `.ci/run` installs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "k8s"
MONITORING = ROOT / "monitoring"
BIN = Path(sys.executable).parent
OVERLAYS = ("staging", "production")


def wheel_tool(name: str) -> str:
    """A tool installed from a pinned wheel into the virtualenv."""
    path = BIN / name
    assert path.exists(), f"{name} is missing: run `make install`"
    return str(path)


def system_tool(name: str) -> str:
    """A tool from a Debian package; CI installs it, a developer may not have it."""
    found = shutil.which(name)
    if found is None:
        if _in_ci():
            pytest.fail(f"{name} is not installed: .ci/run installs it")
        pytest.skip(f"{name} is not installed (apt-get install it, or run .ci/run)")
    return found


def _in_ci() -> bool:
    return os.environ.get("CI") == "true"


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run a command; a non-zero exit fails the test with its output."""
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, (
        f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}{done.stderr}"
    )
    return done


def render(overlay: str) -> list[dict[str, Any]]:
    """The objects ``kubectl kustomize k8s/overlays/<overlay>`` renders."""
    out = run(wheel_tool("kubectl"), "kustomize", str(K8S / "overlays" / overlay)).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())
