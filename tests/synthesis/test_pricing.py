"""Pricing of model calls: overrides first, then genai-prices' bundled table, else unknown.

The expected costs are worked out by hand from the rates of genai-prices 0.2.3's bundled
data (``genai_prices/data.py``); :func:`test_the_rates_used_here_are_the_shipped_ones`
says so when an upgrade of the package changes them.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
import threading
import uuid
from decimal import Decimal

import pytest

from nba_mcp.synthesis.pricing import price_call, price_table_version
from nba_mcp.synthesis.types import ModelRef, Usage

GPT = ModelRef.parse("openai:gpt-4.1-mini")
CLAUDE = ModelRef.parse("anthropic:claude-sonnet-4-20250514")  # the table's claude-sonnet-4-0
DEEPSEEK = ModelRef.parse("deepseek:deepseek-chat")
#: USD per million tokens in the bundled table: (input, cached input, output).
RATES = {
    ("openai", "gpt-4.1-mini"): ("0.4", "0.1", "1.6"),
    ("anthropic", "claude-sonnet-4-0"): ("3", "0.3", "15"),
}
LOGGER = "nba_mcp.synthesis.pricing"


def by_hand(usage: Usage, input_rate: str, cached_rate: str, output_rate: str) -> float:
    cost = (
        (usage.input_tokens - usage.cached_input_tokens) * Decimal(input_rate)
        + usage.cached_input_tokens * Decimal(cached_rate)
        + usage.output_tokens * Decimal(output_rate)
    ) / 1_000_000
    return float(cost)


def test_the_rates_used_here_are_the_shipped_ones() -> None:
    from genai_prices.data import providers
    from genai_prices.types import ModelPrice

    for (provider_id, model_id), (input_rate, cached_rate, output_rate) in RATES.items():
        [provider] = [p for p in providers if p.id == provider_id]
        [model] = [m for m in provider.models if m.id == model_id]
        assert isinstance(model.prices, ModelPrice)  # one price, whatever the date
        assert model.prices.input_mtok == Decimal(input_rate)
        assert model.prices.cache_read_mtok == Decimal(cached_rate)
        assert model.prices.output_mtok == Decimal(output_rate)


def test_an_openai_model_costs_what_its_table_rates_say() -> None:
    usage = Usage(input_tokens=12_000, output_tokens=3_000, cached_input_tokens=2_000)

    cost = price_call(GPT, usage, overrides={})

    # 10,000 x $0.40 + 2,000 x $0.10 (cached) + 3,000 x $1.60, per million
    assert cost == by_hand(usage, "0.4", "0.1", "1.6") == 0.009


def test_an_anthropic_model_costs_what_its_table_rates_say() -> None:
    usage = Usage(input_tokens=20_000, output_tokens=1_000, cached_input_tokens=5_000)

    cost = price_call(CLAUDE, usage, overrides={})

    # 15,000 x $3 + 5,000 x $0.30 (cached) + 1,000 x $15, per million
    assert cost == by_hand(usage, "3", "0.3", "15") == 0.0615


def test_cached_tokens_are_priced_at_the_cached_rate() -> None:
    fresh = price_call(GPT, Usage(input_tokens=10_000), overrides={})
    cached = price_call(GPT, Usage(input_tokens=10_000, cached_input_tokens=10_000), overrides={})

    assert fresh == 0.004  # 10,000 x $0.40
    assert cached == 0.001  # 10,000 x $0.10


def test_an_override_wins_over_the_table() -> None:
    usage = Usage(input_tokens=12_000, output_tokens=3_000, cached_input_tokens=2_000)
    overrides = {"openai:gpt-4.1-mini": {"input": 1.0, "output": 2.0, "cached_input": 0.5}}

    cost = price_call(GPT, usage, overrides=overrides)

    assert cost == by_hand(usage, "1.0", "0.5", "2.0") == 0.017


def test_an_override_without_a_cached_rate_charges_cached_tokens_the_input_rate() -> None:
    usage = Usage(input_tokens=12_000, output_tokens=3_000, cached_input_tokens=2_000)
    overrides = {"local:qwen2.5-7b": {"input": 0.2, "output": 0.6}}

    cost = price_call(ModelRef.parse("local:qwen2.5-7b"), usage, overrides=overrides)

    assert cost == by_hand(usage, "0.2", "0.2", "0.6") == 0.0042


def test_an_override_of_zero_makes_a_local_model_free() -> None:
    local = ModelRef.parse("local:gpt-oss-20b")
    usage = Usage(input_tokens=5_000, output_tokens=500)

    assert price_call(local, usage, overrides={}) == 0.0002150  # matched by name: OpenAI's
    assert price_call(local, usage, overrides={str(local): {"input": 0, "output": 0}}) == 0.0


def test_another_provider_is_priced_by_the_model_name_alone() -> None:
    usage = Usage(input_tokens=12_000, output_tokens=3_000, cached_input_tokens=2_000)
    gateway = ModelRef.parse("gateway:gpt-4.1-mini")

    assert price_call(gateway, usage, overrides={}) == price_call(GPT, usage, overrides={})


def test_the_time_of_the_call_chooses_the_price() -> None:
    usage = Usage(input_tokens=1_000_000, output_tokens=1_000_000)
    peak = dt.datetime(2026, 12, 9, 12, 0, tzinfo=dt.UTC)
    off_peak = dt.datetime(2026, 12, 9, 20, 0, tzinfo=dt.UTC)

    # DeepSeek's table: $0.27 + $1.10 from 00:30 to 16:30 UTC, $0.135 + $0.55 otherwise
    assert price_call(DEEPSEEK, usage, overrides={}, at=peak) == 1.37
    assert price_call(DEEPSEEK, usage, overrides={}, at=off_peak) == 0.685


def test_an_unknown_model_costs_none_with_one_warning_for_many_calls(
    caplog: pytest.LogCaptureFixture,
) -> None:
    unknown = ModelRef.parse(f"local:no-such-model-{uuid.uuid4().hex[:8]}")
    usage = Usage(input_tokens=100, output_tokens=10)

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        first = price_call(unknown, usage, overrides={})
        second = price_call(unknown, usage, overrides={})

    assert (first, second) == (None, None)
    warnings = [r for r in caplog.records if r.name == LOGGER]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert str(unknown) in warnings[0].getMessage()


def test_a_call_that_used_no_tokens_costs_nothing_even_of_an_unknown_model() -> None:
    unknown = ModelRef.parse(f"local:no-such-model-{uuid.uuid4().hex[:8]}")

    assert price_call(unknown, Usage(), overrides={}) == 0.0
    assert price_call(GPT, Usage(), overrides={}) == 0.0


def test_a_model_unknown_to_a_known_provider_costs_none() -> None:
    unknown = ModelRef.parse(f"openai:gpt-no-such-{uuid.uuid4().hex[:8]}")

    assert price_call(unknown, Usage(input_tokens=1), overrides={}) is None


def test_more_cached_tokens_than_input_tokens_cost_none() -> None:
    usage = Usage(input_tokens=10, cached_input_tokens=20)

    assert price_call(GPT, usage, overrides={}) is None


def test_prices_come_from_the_bundled_table_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Prices fetched by genai-prices' updater (here: an empty table) are never used,
    and pricing starts no updater."""
    from genai_prices import data_snapshot

    fetched = data_snapshot.DataSnapshot(providers=[], from_auto_update=True)
    monkeypatch.setattr(data_snapshot, "_custom_snapshot", fetched)

    assert price_call(GPT, Usage(input_tokens=10_000), overrides={}) == 0.004
    assert not [t for t in threading.enumerate() if t.name.startswith("genai_prices")]


def test_the_version_names_genai_prices_and_counts_the_overrides() -> None:
    from importlib.metadata import version

    plain = price_table_version()
    with_overrides = price_table_version(overrides={"a:b": {}, "c:d": {}})

    assert plain == f"genai-prices {version('genai-prices')} (bundled)"
    assert with_overrides == f"{plain} + 2 overrides"
    assert price_table_version(overrides={"a:b": {}}).endswith(" + 1 override")


def test_importing_pricing_does_not_load_genai_prices() -> None:
    code = (
        "import sys, nba_mcp.synthesis.pricing as p; "
        "assert 'genai_prices' not in sys.modules, 'loaded at import'; "
        "p.price_table_version(); "
        "assert 'genai_prices' not in sys.modules, 'loaded by the version'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
