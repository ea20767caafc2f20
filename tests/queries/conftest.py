from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine


@pytest.fixture
def conn(loaded_engine: Engine) -> Iterator[Connection]:
    """A connection to the shared database holding all the data (read only)."""
    with loaded_engine.connect() as connection:
        yield connection
