"""The guide's Kubernetes checks through ``kubectl`` (its path a setting): pods, the HPA,
warning events. Used only when that kubectl is on the PATH."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from typing import Any

from nba_mcp.config import Settings
from nba_mcp.errors import DependencyUnavailable

APP_LABEL = "app=nba-mcp-synthesis"
HPA = "nba-mcp-synthesis-hpa"
TIMEOUT_SECONDS = 10.0


def find(settings: Settings) -> str | None:
    """The kubectl to run, or None when the setting is empty or it is not installed."""
    return shutil.which(settings.kubectl_path) if settings.kubectl_path else None


def kubectl(program: str, *args: str, namespace: str, timeout: float = TIMEOUT_SECONDS) -> str:
    """Run ``kubectl ARGS -n NAMESPACE`` and return its stdout; failure is a dependency error."""
    command = [program, *args, "-n", namespace, f"--request-timeout={timeout:g}s"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout + 2,
                              check=False)  # fmt: skip
    except subprocess.TimeoutExpired:
        raise DependencyUnavailable(
            f"kubectl {' '.join(args)}: no answer in {timeout:g} s"
        ) from None
    if done.returncode != 0:
        reason = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        raise DependencyUnavailable(f"kubectl {' '.join(args)} failed: {reason[0]}")
    return done.stdout


def _json(program: str, *args: str, namespace: str) -> dict[str, Any]:
    text = kubectl(program, *args, "-o", "json", namespace=namespace)
    try:
        found = json.loads(text)
    except json.JSONDecodeError:
        raise DependencyUnavailable(f"kubectl {' '.join(args)}: not JSON") from None
    if not isinstance(found, dict):
        raise DependencyUnavailable(f"kubectl {' '.join(args)}: not a JSON object")
    return found


def pods(program: str, namespace: str) -> tuple[bool, str]:
    """(all pods running and ready, a summary with restarts)."""
    items = _json(program, "get", "pods", "-l", APP_LABEL, namespace=namespace).get("items", [])
    if not items:
        return False, "no pod with label " + APP_LABEL
    ready = restarts = 0
    for pod in items:
        statuses = pod.get("status", {}).get("containerStatuses", []) or []
        running = pod.get("status", {}).get("phase") == "Running"
        if running and statuses and all(s.get("ready") for s in statuses):
            ready += 1
        restarts += sum(int(s.get("restartCount", 0)) for s in statuses)
    return ready == len(items), f"{ready}/{len(items)} pods ready, {restarts} restarts"


def hpa(program: str, namespace: str) -> tuple[bool, str]:
    """(below its maximum, a summary): an HPA at its maximum cannot absorb more load."""
    found = _json(program, "get", "hpa", HPA, namespace=namespace)
    maximum = int(found.get("spec", {}).get("maxReplicas", 0))
    current = int(found.get("status", {}).get("currentReplicas", 0))
    return current < maximum, f"{current} of at most {maximum} replicas"


def warning_events(program: str, namespace: str, *, since: dt.timedelta) -> tuple[bool, str]:
    """(no Warning event within ``since``, a summary naming the latest reasons)."""
    found = _json(program, "get", "events", "--field-selector", "type=Warning",
                  namespace=namespace).get("items", [])  # fmt: skip
    cutoff = dt.datetime.now(dt.UTC) - since
    recent = [e for e in found if (when := _when(e)) is not None and when >= cutoff]
    reasons = sorted({str(e.get("reason", "?")) for e in recent})
    if not recent:
        return True, f"no warning event in the last {since}"
    return False, f"{len(recent)} warning events in the last {since}: {', '.join(reasons[:5])}"


def _when(event: dict[str, Any]) -> dt.datetime | None:
    stamp = event.get("lastTimestamp") or event.get("eventTime")
    if not stamp:
        return None
    try:
        return dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return None
