"""The live monitoring stack, started once for the tests that need it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import DATA
from tests.deploy.stack import Stack, live_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with live_stack(DATA, tmp_path_factory.mktemp("stack")) as running:
        yield running
