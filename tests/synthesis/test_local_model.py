"""Optional: a real model served OpenAI-compatibly on this machine answers with real numbers.

Deselected (not skipped) unless ``NBA_MCP_TEST_LOCAL_MODEL`` names the model and
``NBA_MCP_TEST_LOCAL_BASE_URL`` its server, e.g. llama-cpp-python's server with a small
instruction-tuned GGUF model that can call tools (docs/synthesis.md, "A local model")::

    NBA_MCP_TEST_LOCAL_MODEL=qwen2.5-1.5b-instruct \\
    NBA_MCP_TEST_LOCAL_BASE_URL=http://127.0.0.1:8080/v1 \\
    python3 -m uv run --frozen pytest tests/synthesis/test_local_model.py
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import Engine

from nba_mcp.catalog import BY_NAME
from nba_mcp.catalog.invoke import invoke
from nba_mcp.catalog.spec import Services
from tests.web.conftest import settings

pytestmark = pytest.mark.local_model


@pytest.mark.parametrize("loaded_engine", ["sqlite"], indirect=True)
def test_a_local_model_answers_with_a_checked_number(loaded_engine: Engine) -> None:
    model = os.environ["NBA_MCP_TEST_LOCAL_MODEL"]
    base_url = os.environ["NBA_MCP_TEST_LOCAL_BASE_URL"]
    services = Services(
        settings(llm_providers={"local": {"kind": "openai", "base_url": base_url}},
                 llm_prices={f"local:{model}": {"input": 0, "output": 0}}),
        loaded_engine,
    )  # fmt: skip
    question = "How many games did the Golden State Warriors win in the 2015-16 regular season?"
    result = invoke(services, BY_NAME["synthesize"],
                    {"question": question, "models": [f"local:{model}"]}).data  # fmt: skip

    assert result["status"] == "ok", result
    assert result["citations"], "the model called no tool"
    assert "73" in result["answer"]
    assert result["cost_usd"] == 0.0
