"""``nba-mcp serve --workers``: a number, or auto for the CPUs the process may use."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nba_mcp.cli.serve import available_cpus, worker_count
from nba_mcp.errors import InvalidInput


def test_auto_is_one_worker_per_cpu_the_process_may_use(tmp_path: Path) -> None:
    unlimited = tmp_path / "cpu.max"
    unlimited.write_text("max 100000\n")
    assert available_cpus(unlimited) == len(os.sched_getaffinity(0))
    assert worker_count("auto") == available_cpus()


def test_a_cgroup_cpu_limit_caps_auto(tmp_path: Path) -> None:
    limited = tmp_path / "cpu.max"
    limited.write_text("150000 100000\n")  # a pod limited to 1.5 CPUs gets 2 workers
    assert available_cpus(limited) == min(2, len(os.sched_getaffinity(0)))
    limited.write_text("50000 100000\n")  # half a CPU: still one worker
    assert available_cpus(limited) == 1


def test_no_cgroup_file_means_the_affinity(tmp_path: Path) -> None:
    assert available_cpus(tmp_path / "absent") == len(os.sched_getaffinity(0))


@pytest.mark.parametrize("given", ["3", 3])
def test_a_number_is_taken_as_it_is(given: int | str) -> None:
    assert worker_count(given) == 3


@pytest.mark.parametrize("given", ["0", "-1", "many", ""])
def test_anything_else_is_refused_in_words(given: str) -> None:
    with pytest.raises(InvalidInput, match="--workers takes a number from 1, or auto"):
        worker_count(given)
