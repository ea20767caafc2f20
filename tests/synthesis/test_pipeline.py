"""The synthesis pipeline against scripted providers over real HTTP, the real tools behind.

Every number a scripted model writes is read from the tool results it got (or is made up
on purpose), so what the check matches is the real data: Curry's 30.1 points per game in
2015-16, the Warriors' 73-9.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from nba_mcp.catalog import BY_NAME
from nba_mcp.catalog.invoke import invoke
from nba_mcp.catalog.spec import Services
from nba_mcp.config import Settings
from nba_mcp.db.models import SynthesisCall, SynthesisRun
from nba_mcp.errors import InvalidArguments, InvalidInput
from nba_mcp.observability import metrics
from nba_mcp.result_cache import ResultCache
from tests.synthesis.scripted import Fail, Hang, Request, Say, ScriptedProvider, Tool

CURRY = {"player": "Stephen Curry", "season": "2015-16"}
QUESTION = "How many points per game did Stephen Curry score in 2015-16?"
PRICES = {"fake:m1": {"input": 1.0, "output": 2.0}, "fake:m2": {"input": 1.0, "output": 2.0},
          "claude:c1": {"input": 3.0, "output": 15.0}}  # fmt: skip


def ppg(request: Request, index: int = 0) -> float:
    """Curry's points per game, read from the index-th tool result the model got."""
    value = request.tool_results[index]["result"]["rows"][-1]["per_game"]["pts"]
    assert isinstance(value, float)
    return value


def right(request: Request) -> str:
    return f"Stephen Curry averaged {ppg(request)} points per game in 2015-16 [1]."


def settings_for(provider: ScriptedProvider, **overrides: Any) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        llm_providers={
            "fake": {"kind": "openai", "base_url": provider.openai_base_url},
            "claude": {"kind": "anthropic", "base_url": provider.anthropic_base_url},
        },
        llm_prices=PRICES,
        **overrides,
    )


@pytest.fixture
def ask(scripted: ScriptedProvider, loaded_engine: Engine) -> Iterator[Any]:
    """``ask(question, models, **arguments)``: the synthesize tool through the catalogue."""

    def call(question: str = QUESTION, models: list[str] | None = None, *,
             settings: dict[str, Any] | None = None, cache: ResultCache | None = None,
             **arguments: Any) -> dict[str, Any]:  # fmt: skip
        services = Services(settings_for(scripted, **(settings or {})), loaded_engine, cache)
        args = {"question": question, "models": models or ["fake:m1"], **arguments}
        return invoke(services, BY_NAME["synthesize"], args).data

    yield call


def test_a_tool_call_then_an_answer_citing_it(scripted: ScriptedProvider, ask: Any) -> None:
    scripted.script("m1", [Tool("player_season_stats", CURRY), Say(right)])
    before = metrics.SYNTHESIS_REQUESTS.labels(status="ok")._value.get()

    result = ask()

    assert result["status"] == "ok" and result["mode"] == "single"
    assert result["answer"] == "Stephen Curry averaged 30.1 points per game in 2015-16 [1]."
    assert result["checks"] == {"numbers": 1, "matched": 1, "unmatched": []}
    [citation] = result["citations"]
    assert (citation["id"], citation["tool"], citation["arguments"]) == (
        1,
        "player_season_stats",
        CURRY,
    )
    assert len(citation["result_hash"]) == 64
    assert [c["role"] for c in result["calls"]] == ["answer", "answer"]
    first = result["calls"][0]
    assert first["cost_usd"] == pytest.approx(
        (first["input_tokens"] * 1.0 + first["output_tokens"] * 2.0) / 1e6
    )
    assert result["cost_usd"] == pytest.approx(sum(c["cost_usd"] for c in result["calls"]))
    assert metrics.SYNTHESIS_REQUESTS.labels(status="ok")._value.get() == before + 1
    # the model was offered every tool but synthesize itself and the chart (a picture it
    # cannot look at), with the catalogue's schemas
    offered = scripted.requests[0].tools
    assert "player_season_stats" in offered and not {"synthesize", "chart"} & set(offered)
    assert len(offered) == len(BY_NAME) - 2


def test_an_invented_number_is_repaired_once(scripted: ScriptedProvider, ask: Any) -> None:
    scripted.script("m1", [
        Tool("player_season_stats", CURRY),
        Say("Stephen Curry averaged 41.2 points per game in 2015-16 [1]."),
        Say("Stephen Curry averaged 30.1 points per game [1]."),  # the repair
    ])  # fmt: skip

    result = ask()

    assert result["answer"] == "Stephen Curry averaged 30.1 points per game [1]."
    assert result["checks"]["unmatched"] == []
    assert [c["role"] for c in result["calls"]] == ["answer", "answer", "repair"]
    repair_prompt = scripted.requests[-1].last_user_text
    assert "41.2" in repair_prompt and "[1] player_season_stats" in repair_prompt


def test_a_number_still_invented_after_the_repair_is_listed(
    scripted: ScriptedProvider, ask: Any
) -> None:
    scripted.script("m1", [
        Tool("player_season_stats", CURRY),
        Say("Curry averaged 41.2 points per game [1]."),
        Say("Curry averaged 41.3 points per game [1]."),
    ])  # fmt: skip

    result = ask()

    assert result["status"] == "ok"
    assert result["checks"]["numbers"] == 1 and result["checks"]["matched"] == 0
    assert result["checks"]["unmatched"][0].startswith("41.3")


def test_fallback_after_a_500_and_after_a_timeout(scripted: ScriptedProvider, ask: Any) -> None:
    scripted.script("m1", [Fail(500)])
    scripted.script("m2", [Hang(3)])
    scripted.script("c1", [Tool("player_season_stats", CURRY), Say(right)])

    result = ask(models=["fake:m1", "fake:m2", "claude:c1"],
                 settings={"synthesis_call_timeout_seconds": 0.5})  # fmt: skip

    assert result["status"] == "ok"
    assert [(c["model"], c["status"], c["error"]) for c in result["calls"]] == [
        ("m1", "error", "HTTP 500"),
        ("m2", "error", "timeout"),
        ("c1", "ok", None),
        ("c1", "ok", None),
    ]
    assert result["checks"]["matched"] == 1


@pytest.mark.parametrize(
    ("limit", "arguments", "settings"),
    [
        ("tool_calls", {"max_tool_calls": 0}, {}),
        ("steps", {}, {"synthesis_max_steps": 1}),
        ("cost", {"max_cost_usd": 0.000001}, {}),
        ("tokens", {}, {"synthesis_max_tokens": 1}),
        ("time", {"timeout_seconds": 0.6}, {"synthesis_call_timeout_seconds": 5}),
    ],
)
def test_each_budget_stops_the_run_with_what_it_has(
    scripted: ScriptedProvider, ask: Any, limit: str, arguments: dict[str, Any],
    settings: dict[str, Any],
) -> None:  # fmt: skip
    first = (
        Hang(0.8, then=Tool("player_season_stats", CURRY))
        if limit == "time"
        else Tool("player_season_stats", CURRY)
    )
    scripted.script("m1", [first, Say(right)])
    before = metrics.SYNTHESIS_BUDGET_STOPS.labels(limit=limit)._value.get()

    result = ask(settings=settings, **arguments)

    assert (result["status"], result["stopped_by"]) == ("partial", limit)
    assert f"{limit} budget" in result["answer"]
    assert metrics.SYNTHESIS_BUDGET_STOPS.labels(limit=limit)._value.get() == before + 1


def test_verify_corrects_the_draft_and_says_what_changed(
    scripted: ScriptedProvider, ask: Any
) -> None:
    scripted.script("m1", [
        Tool("player_season_stats", CURRY),
        Say("Stephen Curry averaged 31.1 points per game in 2015-16 [1]."),
    ])  # fmt: skip
    scripted.script("c1", [Say(lambda r: (
        "Stephen Curry averaged 30.1 points per game in 2015-16 [1].\n"
        "Changes:\n- 31.1 points per game is 30.1 in the result [1]"
    ))])  # fmt: skip

    result = ask(models=["fake:m1", "claude:c1"], mode="verify")

    assert result["mode"] == "verify" and result["status"] == "ok"
    assert result["answer"] == "Stephen Curry averaged 30.1 points per game in 2015-16 [1]."
    assert result["changes"] == ["31.1 points per game is 30.1 in the result [1]"]
    assert [(c["model"], c["role"]) for c in result["calls"]] == [
        ("m1", "draft"),
        ("m1", "draft"),
        ("c1", "verify"),
    ]
    checked = scripted.requests[-1].last_user_text
    assert "31.1" in checked and '"pts":30.1' in checked  # the draft and the evidence
    assert result["checks"]["matched"] == 1


def test_judge_lists_where_the_models_disagree(scripted: ScriptedProvider, ask: Any) -> None:
    scripted.script("m1", [Tool("player_season_stats", CURRY), Say(right)])
    scripted.script("c1", [
        Tool("player_season_stats", CURRY),
        Say("Curry scored 30.2 points per game in 2015-16 [1]."),
        Say('{"answer": "Stephen Curry averaged 30.1 points per game in 2015-16 [1].", '
            '"disagreements": [{"claim": "Curry points per game", '
            '"values": {"fake:m1": "30.1", "claude:c1": "30.2"}}, '
            '{"claim": "made up", "values": {"fake:m1": "99", "claude:c1": "30.2"}}]}'),
    ])  # fmt: skip

    result = ask(models=["fake:m1", "claude:c1"], mode="judge")

    assert result["answer"] == "Stephen Curry averaged 30.1 points per game in 2015-16 [1]."
    assert result["disagreements"] == [
        {"claim": "Curry points per game", "values": {"fake:m1": "30.1", "claude:c1": "30.2"}}
    ]  # the judge's claim that m1 said 99 is dropped: m1's answer does not hold it
    assert [c["id"] for c in result["citations"]] == [1]  # the same call keeps one id
    assert sorted(c["role"] for c in result["calls"]) == [
        "answer",
        "answer",
        "answer",
        "answer",
        "judge",
    ]


def test_identical_model_requests_come_from_the_cache(
    scripted: ScriptedProvider, ask: Any, loaded_engine: Engine
) -> None:
    cache = ResultCache(engine=loaded_engine, watch=False)
    scripted.script("m1", [Tool("player_season_stats", CURRY), Say(right)])
    first = ask(cache=cache)
    second = ask(cache=cache)  # the script has run out: only the cache can answer
    bypass = ask(cache=cache, use_cache=False)
    cache.close()

    assert second["answer"] == first["answer"]
    assert [c["status"] for c in second["calls"]] == ["cached", "cached"]
    assert second["cost_usd"] == 0.0
    assert bypass["status"] == "failed" and "ran out" not in bypass["answer"]


def test_a_missing_or_bad_key_is_said_plainly(
    scripted: ScriptedProvider, loaded_engine: Engine, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)
    monkeypatch.delenv("FAKE_KEY", raising=False)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        llm_providers={
            "keyed": {
                "kind": "openai",
                "base_url": scripted.openai_base_url,
                "api_key_env": "FAKE_KEY",
            }
        },
    )
    services = Services(settings, loaded_engine)
    spec = BY_NAME["synthesize"]
    with pytest.raises(InvalidInput, match="No API key for keyed: set FAKE_KEY"):
        invoke(services, spec, {"question": QUESTION, "models": ["keyed:m1"]})

    monkeypatch.setenv("FAKE_KEY", "sk-wrong-secret")
    scripted.require_key("sk-right")
    scripted.script("m1", [Say("never")])
    result = invoke(services, spec, {"question": QUESTION, "models": ["keyed:m1"]}).data
    assert result["status"] == "failed"
    assert result["calls"][0]["error"] == "bad key (HTTP 401)"
    assert "sk-wrong-secret" not in str(result)
    assert "bad key" in caplog.text and "sk-wrong-secret" not in caplog.text  # nor in the log


def test_bad_requests_are_refused_before_any_call(ask: Any, scripted: ScriptedProvider) -> None:
    with pytest.raises(InvalidArguments, match="question must not be empty"):
        ask(question="")
    with pytest.raises(InvalidInput, match="at most 2000"):
        ask(question="why? " * 500)
    with pytest.raises(InvalidInput, match="written provider:model"):
        ask(models=["gpt-4"])
    with pytest.raises(InvalidInput, match="Unknown provider 'nobody'"):
        ask(models=["nobody:m"])
    assert scripted.requests == []


def test_no_model_configured_is_one_clear_error(
    loaded_engine: Engine,
) -> None:
    services = Services(Settings(_env_file=None), loaded_engine)  # type: ignore[call-arg]
    with pytest.raises(InvalidInput, match="No model to ask"):
        invoke(services, BY_NAME["synthesize"], {"question": QUESTION})


def test_the_run_and_its_calls_are_in_the_ledger(
    scripted: ScriptedProvider, ask: Any, loaded_engine: Engine
) -> None:
    with loaded_engine.connect() as conn:
        runs = conn.execute(select(func.count()).select_from(SynthesisRun)).scalar_one()
        calls = conn.execute(select(func.count()).select_from(SynthesisCall)).scalar_one()
    scripted.script("m1", [Tool("player_season_stats", CURRY), Say(right)])

    result = ask()

    with loaded_engine.connect() as conn:
        run = conn.execute(
            select(SynthesisRun.status, SynthesisRun.mode, SynthesisRun.matched,
                   SynthesisRun.tool_calls, SynthesisRun.cost_usd)
            .order_by(SynthesisRun.id.desc()).limit(1)
        ).one()  # fmt: skip
        assert conn.execute(select(func.count()).select_from(SynthesisRun)).scalar_one() == runs + 1
        assert conn.execute(select(func.count()).select_from(SynthesisCall)).scalar_one() == (
            calls + 2
        )
    assert tuple(run)[:4] == ("ok", "single", 1, 1)
    assert run.cost_usd == pytest.approx(result["cost_usd"])
