"""synthesize from each surface: ``nba-mcp ask``, the MCP tool with progress, and REST with
its scope; ``ask --eval`` scores a question set per model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client
from sqlalchemy import Engine, select

from nba_mcp.catalog.spec import Services
from nba_mcp.db.models import SynthesisRun
from nba_mcp.mcp.server import build_server
from nba_mcp.security.keys import create_key
from nba_mcp.service import build_app
from nba_mcp.synthesis.evaluation import load_questions
from tests.cli.invoke import Cli, env_for
from tests.mcp.conftest import database_url, structured
from tests.ops.servers import serve_app
from tests.synthesis.scripted import Say, ScriptedProvider, Tool
from tests.web.conftest import settings

GSW = {"team": "GSW", "season": "2015-16"}
QUESTION = "What was the Warriors' record in 2015-16?"


def record(request: Any) -> str:
    found = request.tool_results[0]["result"]["record"]
    return f"The 2015-16 Warriors went {found['wins']}-{found['losses']} [1]."


def providers(provider: ScriptedProvider) -> dict[str, dict[str, str]]:
    return {"scripted": {"kind": "openai", "base_url": provider.openai_base_url}}


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    return Cli(monkeypatch, capsys, tmp_path)


def test_ask_prints_the_answer_its_sources_and_the_check(
    scripted: ScriptedProvider, cli: Cli, loaded_engine: Engine
) -> None:
    scripted.script("m1", [Tool("team_season_stats", GSW), Say(record)] * 2)
    env = env_for(database_url(loaded_engine), llm_providers=json.dumps(providers(scripted)),
                  synthesis_models='["scripted:m1"]')  # fmt: skip

    shown = cli.main("ask", QUESTION, "--no-cache", env=env)
    as_json = cli.main("ask", QUESTION, "--model", "scripted:m1", "--max-tool-calls", "3",
                       "--no-cache", "--json", env=env)  # fmt: skip

    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout.startswith("The 2015-16 Warriors went 73-9 [1].\n")
    assert '[1] team_season_stats({"season":"2015-16","team":"GSW"})' in shown.stdout
    assert "Numbers checked: 1, matched 1" in shown.stdout
    assert as_json.exit_code == 0, as_json.stderr
    result = as_json.json()
    assert set(result) >= {"answer", "status", "mode", "citations", "checks", "calls",
                           "cost_usd", "disagreements"}  # fmt: skip
    assert result["checks"] == {"numbers": 1, "matched": 1, "unmatched": []}


def test_ask_without_a_model_or_with_a_bad_option_is_one_line(
    cli: Cli, loaded_engine: Engine
) -> None:
    env = env_for(database_url(loaded_engine))
    outcome = cli.main("ask", QUESTION, env=env)
    assert outcome.exit_code == 1
    assert outcome.stderr.count("\n") == 1 and "No model to ask" in outcome.stderr
    outcome = cli.main("ask", QUESTION, "--mode", "vote", "--model", "x:y", env=env)
    assert outcome.stderr == (
        "error: mode must be one of 'single', 'verify' or 'judge', not 'vote'.\n"
    )


@pytest.mark.anyio
async def test_the_mcp_tool_reports_progress_per_stage(
    scripted: ScriptedProvider, loaded_engine: Engine
) -> None:
    scripted.script("m1", [Tool("team_season_stats", GSW), Say(record)])
    server = build_server(Services(settings(llm_providers=providers(scripted)), loaded_engine))
    stages: list[tuple[float, str | None]] = []

    async def progress(done: float, total: float | None, message: str | None) -> None:
        stages.append((done, message))

    async with Client(server) as client:
        result = await client.call_tool(
            "synthesize", {"question": QUESTION, "models": ["scripted:m1"]},
            progress_callback=progress,
        )  # fmt: skip
        listed = {t.name: t for t in (await client.list_tools()).tools}

    assert structured(result)["answer"] == "The 2015-16 Warriors went 73-9 [1]."
    assert [message for _, message in stages] == ["answering", "checking numbers", "done"]
    assert [done for done, _ in stages] == sorted(done for done, _ in stages)
    tool = listed["synthesize"]
    assert "mcp_context" not in tool.input_schema["properties"]
    assert tool.annotations is not None and tool.annotations.open_world_hint


@pytest.mark.anyio
async def test_rest_needs_the_synthesize_scope(scripted: ScriptedProvider, engine: Engine) -> None:
    reader = create_key(engine, name="reader", scopes="read").key
    writer = create_key(engine, name="writer", scopes="synthesize").key
    scripted.script("m1", [Say("I cannot say: nothing is loaded.")])
    app = build_app(settings(llm_providers=providers(scripted)), engine)
    body = {"question": QUESTION, "models": ["scripted:m1"]}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as rest:
        refused = await rest.post("/v1/synthesize", json=body,
                                  headers={"Authorization": f"Bearer {reader}"})  # fmt: skip
        answered = await rest.post("/v1/synthesize", json=body,
                                   headers={"Authorization": f"Bearer {writer}"})  # fmt: skip

    assert refused.status_code == 403
    assert answered.status_code == 200, answered.text
    assert answered.json()["answer"] == "I cannot say: nothing is loaded."
    assert answered.json()["checks"] == {"numbers": 0, "matched": 0, "unmatched": []}
    assert last_run_key(engine) == "writer"  # the ledger knows whose run it was


def last_run_key(engine: Engine) -> str | None:
    with engine.connect() as conn:
        found = conn.execute(
            select(SynthesisRun.key_name).order_by(SynthesisRun.id.desc()).limit(1)
        ).scalar_one()
    return found if found is None else str(found)


@pytest.mark.anyio
async def test_mcp_over_http_records_the_keys_name_in_the_ledger(
    scripted: ScriptedProvider, engine: Engine
) -> None:
    import httpx2
    from mcp.client.streamable_http import streamable_http_client

    key = create_key(engine, name="mcp-asker", scopes="synthesize").key
    scripted.script("m1", [Say("Nothing is loaded.")])
    app = build_app(settings(llm_providers=providers(scripted)), engine)
    with serve_app(app) as base:
        async with (
            httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"}) as http,
            Client(streamable_http_client(f"{base}/mcp", http_client=http)) as client,
        ):
            result = await client.call_tool(
                "synthesize", {"question": QUESTION, "models": ["scripted:m1"]}
            )

    assert structured(result)["answer"] == "Nothing is loaded."
    assert last_run_key(engine) == "mcp-asker"


def test_eval_of_the_shipped_set_runs_every_question(
    scripted: ScriptedProvider, cli: Cli, loaded_engine: Engine
) -> None:
    env = env_for(database_url(loaded_engine), llm_providers=json.dumps(providers(scripted)))

    # An unscripted model fails each call at once: every question is asked and none is right.
    outcome = cli.main("ask", "--eval", "shipped", "--model", "scripted:silent", "--no-cache",
                       "--json", env=env)  # fmt: skip

    assert outcome.exit_code == 0, outcome.stderr
    report = outcome.json()
    assert report["questions"] == len(load_questions()) >= 30
    [model] = report["models"]
    assert (model["model"], model["questions"], model["correct"]) == (
        "scripted:silent",
        report["questions"],
        0,
    )


def test_eval_scores_each_model_on_the_known_answers(
    scripted: ScriptedProvider, cli: Cli, loaded_engine: Engine, tmp_path: Path
) -> None:
    questions = [
        {"id": "gsw-record", "question": QUESTION, "difficulty": "easy",
         "expected": {"kind": "record", "wins": 73, "losses": 9},
         "truth": {"tool": "team_season_stats", "arguments": GSW,
                   "paths": {"wins": ["record", "wins"], "losses": ["record", "losses"]}}},
        {"id": "gsw-ppg", "question": "How many points per game did the 2015-16 Warriors score?",
         "difficulty": "easy", "expected": {"kind": "number", "value": 114.9, "decimals": 1},
         "truth": {"tool": "team_season_stats", "arguments": GSW, "path": ["pts_per_game"]}},
    ]  # fmt: skip
    path = tmp_path / "questions.json"
    path.write_text(json.dumps(questions))
    # An answer whose numbers cite nothing gets one repair round: the same words again.
    uncited = Say("They scored 114.9 points per game.")
    scripted.script("good", [Tool("team_season_stats", GSW), Say(record), uncited, uncited])
    scripted.script("poor", [Say("They went 70-12.")] * 2 + [Say("About 110 points.")] * 2)
    env = env_for(database_url(loaded_engine), llm_providers=json.dumps(providers(scripted)))

    outcome = cli.main("ask", "--eval", str(path), "--model", "scripted:good",
                       "--model", "scripted:poor", "--no-cache", "--json", env=env)  # fmt: skip

    assert outcome.exit_code == 0, outcome.stderr
    report = {m["model"]: m for m in outcome.json()["models"]}
    assert (report["scripted:good"]["correct"], report["scripted:poor"]["correct"]) == (2, 0)
    assert report["scripted:good"]["accuracy"] == 1.0
