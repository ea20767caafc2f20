"""Synthesis fixtures: a scripted LLM provider listening on 127.0.0.1 for the SDKs to call."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.synthesis.scripted import ScriptedProvider


@pytest.fixture
def scripted() -> Iterator[ScriptedProvider]:
    """A started :class:`ScriptedProvider` with no scripts, stopped after the test."""
    with ScriptedProvider() as provider:
        yield provider


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The real-local-model test runs only when a model is named (else it is deselected, so
    that CI, where a skip fails, runs without one)."""
    if os.environ.get("NBA_MCP_TEST_LOCAL_MODEL"):
        return
    kept = [item for item in items if item.get_closest_marker("local_model") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
