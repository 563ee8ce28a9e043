"""The benchmark keeps running, and its own-stream comparison is a sound variant of the engine.

Timing is not checked here (it belongs to the benchmark); these tests only keep the script
that the README quotes working.
"""

import subprocess
import sys
from importlib import util
from pathlib import Path

import numpy as np
import pytest

from neuroevo_utils import load_data

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_engines.py"


@pytest.fixture(scope="module")
def bench():
    spec = util.spec_from_file_location("bench_engines", BENCHMARK)
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def circles():
    return load_data("circles", 100, 1, random_state=64)


def test_own_stream_draws_are_a_valid_generation(bench, circles):
    X, Y = circles
    loop = bench.OwnStreamLoop(X, Y, middle_layer=5, seed=3)
    draws = loop._draw()
    size, n = len(loop.population), loop.n_genes
    assert draws.aspirants.shape == (size, 5)
    assert draws.aspirants.min() >= 0 and draws.aspirants.max() < size
    assert np.all(draws.mated % 2 == 0) and np.all(draws.mated + 1 < size)
    assert draws.gamma.shape == (draws.mated.size, n)
    assert draws.gamma.min() >= -0.5 and draws.gamma.max() < 1.5
    assert np.all(np.isin(draws.hit_rows, draws.mutants))
    assert draws.hit_genes.min() >= 0 and draws.hit_genes.max() < n
    assert draws.z.shape == draws.hit_rows.shape
    # about 30% mutants and 25% of their genes hit, as the lesson's MUTPB and indpb say
    assert 0.2 < draws.mutants.size / size < 0.4
    assert 0.15 < draws.hit_rows.size / (draws.mutants.size * n) < 0.35


def test_own_stream_is_reproducible_and_not_the_lesson_run(bench, circles):
    X, Y = circles
    runs = []
    for _ in range(2):
        loop = bench.OwnStreamLoop(X, Y, middle_layer=5, seed=3)
        loop.start()
        runs.append((loop.run(3), loop.population.copy()))
    assert runs[0][0] == runs[1][0]
    assert np.array_equal(runs[0][1], runs[1][1])

    exact = bench.make_engine("numpy", X, Y, 5, 3)
    exact.start()
    exact.run(3)
    assert not np.array_equal(exact.population, runs[0][1])


def test_limits_table_runs():
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), "--limits", "--repeats", "1", "--rounds", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    assert [row.split("|")[1].strip() for row in rows[1:]] == ["5", "25"]
    assert all(row.count("|") == 8 for row in rows)


def test_algorithms_table_runs(bench):
    table = bench.algorithms_table([64])
    rows = [line for line in table.splitlines() if line.startswith("| ")][1:]  # no header
    assert [row.split("|")[1].strip() for row in rows] == list(bench.ALGORITHM_RUNS)
    # seed 64: every algorithm reaches 100%; the lesson's loop and engine at generation 50
    assert all(row.split("|")[2].strip() == "1" for row in rows)
    assert [row.split("|")[5].strip() for row in rows[:2]] == ["50", "50"]


def test_the_full_race_option_prints_both_tables(bench):
    tables = bench.race_tables(range(2), size=dict(MU=10, NGEN=3, RGEN=1), problems=["moons"])
    summary, reached = tables.split("\n\n")
    assert summary.startswith("| method | runs | reached | errors | success rate |")
    assert "| CMA-ES + loss | 2 |" in summary and "| backprop | 2 |" in summary
    assert reached.splitlines()[0] == "| method | moons |"


def test_the_cma_es_profile_names_where_its_time_goes():
    script = BENCHMARK.with_name("profile_cma_es.py")
    result = subprocess.run([sys.executable, str(script), "--seeds", "1"], capture_output=True,
                            text=True, check=True)  # fmt: skip
    assert result.stdout.startswith("seeds 0-0: ")
    for part in ("population_evaluate", "cma.py", "(update)", "(generate)"):
        assert part in result.stdout


def test_the_malloc_trim_measurement_times_both_processes():
    spec = util.spec_from_file_location("bench_schedulers",
                                        BENCHMARK.with_name("bench_schedulers.py"))  # fmt: skip
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table = module.malloc_trim_table(turns=1).splitlines()
    assert [row.split("|")[1].strip() for row in table[2:]] == [
        "plain process", "MALLOC_TRIM_THRESHOLD_=65536"]  # fmt: skip
