"""Notebook 05's race: its rows, its targets, its budgets, and backprop to a target."""

import numpy as np
import pytest

from neuroevo_utils import load_data
from neuroevo_utils.backprop import backprop_to_target, train_backprop
from neuroevo_utils.engines.cma_engine import population_size
from neuroevo_utils.race import METHODS, cma_rounds, race, race_summary, training_target

SMALL = dict(MU=20, NGEN=15, RGEN=1)


@pytest.fixture(scope="module")
def small_race():
    return race(problems=["moons", "classification"], seeds=[0, 1], parameters=SMALL)


def test_one_row_per_method_problem_and_seed_in_order(small_race):
    assert len(small_race) == 2 * 2 * len(METHODS)
    assert list(small_race["method"][: len(METHODS)]) == list(METHODS)
    assert set(small_race["work_unit"]) == {"evaluations", "gradient steps"}
    reached = small_race["reached"]
    assert (small_race.loc[reached, "train_accuracy"] >= small_race.loc[reached, "target"]).all()
    assert small_race["test_accuracy"].isna().all()  # no held-out points asked for


@pytest.mark.cluster
def test_the_same_rows_whichever_scheduler_runs_them(small_race):
    on_processes = race(problems=["moons", "classification"], seeds=[0, 1], parameters=SMALL,
                        scheduler="processes", workers=2)  # fmt: skip
    columns = [c for c in small_race.columns if c != "seconds"]
    assert on_processes[columns].equals(small_race[columns])


def test_targets_are_100_percent_where_classes_never_overlap():
    X, Y = load_data("circles", 100, 1, random_state=3)
    assert training_target("circles", X, Y, 3) == 1.0
    X, Y = load_data("classification", 100, 1, random_state=5)
    target = training_target("classification", X, Y, 5)
    assert 0.8 < target <= 1.0  # the logistic regression's accuracy on these points


def test_cma_es_gets_as_many_evaluations_as_the_genetic_algorithms():
    values = dict(MU=100, NGEN=300, RGEN=1, middle_layer=5)
    assert population_size(5) == 13
    generations = cma_rounds(values)
    assert 13 * generations <= 100 * 300 < 13 * (generations + 1)
    assert cma_rounds(dict(values, NGEN=30, RGEN=10)) * 10 * 13 <= 100 * 300


def test_summary_counts_successes_and_medians_only_over_them(small_race):
    summary = race_summary(small_race).set_index("method")
    for method, runs in small_race.groupby("method"):
        assert summary.loc[method, "reached"] == runs["reached"].sum()
        wins = runs[runs["reached"]]
        if len(wins):
            assert summary.loc[method, "median seconds to target"] == pytest.approx(
                wins["seconds"].median(), abs=1e-3
            )


def test_noisy_race_reports_held_out_accuracy():
    runs = race(problems=["blobs"], seeds=[0], methods=["lesson GA", "backprop"],
                parameters=dict(SMALL, difficulty=3, test_size=0.3), target=1.0,
                max_epochs=200)  # fmt: skip
    assert runs["test_accuracy"].between(0, 1).all()
    assert "median held-out accuracy" in race_summary(runs).columns


def test_unknown_methods_and_bad_values_are_refused():
    with pytest.raises(ValueError, match="unknown method 'pso'; known: lesson GA"):
        race(methods=["pso"])
    with pytest.raises(ValueError, match="MU must be an integer from 1 up"):
        race(parameters=dict(MU=0))


def test_backprop_stops_at_its_target_and_counts_the_steps():
    X, Y = load_data("circles", 100, 1, random_state=64)
    run = backprop_to_target(X, Y, seed=1)
    assert run.reached and run.train_accuracy == 1.0 and 0 < run.steps < 5000
    network, _ = train_backprop(X, Y, init="uniform", epochs=run.steps, seed=1)
    assert np.mean(network.predict(X) == Y) == 1.0  # the same descent, as many steps
    shorter, _ = train_backprop(X, Y, init="uniform", epochs=run.steps - 1, seed=1)
    assert np.mean(shorter.predict(X) == Y) < 1.0  # and not one fewer
    stuck = backprop_to_target(X, Y, init="normal", init_scale=0.01, max_epochs=300, seed=0)
    assert not stuck.reached and stuck.steps == 300


def test_compare_pairs_methods_by_problem_and_seed():
    import pandas as pd

    from neuroevo_utils.race import compare, compare_held_out

    rows = []
    for seed in range(12):
        rows.append(dict(method="A", problem="moons", seed=seed, reached=True,
                         test_accuracy=0.9 + seed / 1000))  # fmt: skip
        rows.append(dict(method="B", problem="moons", seed=seed, reached=seed < 2,
                         test_accuracy=0.8))  # fmt: skip
    runs = pd.DataFrame(rows)
    assert compare(runs, "B", "A") == (
        "B 2, A 12 of 12: A reaches its target more often than B (p = 0.002)"
    )
    assert "these seeds cannot tell" in compare(runs[runs["seed"] < 3], "A", "B")
    assert compare_held_out(runs, "A", "B", "moons").startswith(
        "moons, A vs B: median 0.905 vs 0.800; A holds out better than B (p = "
    )


def test_the_summary_gives_each_success_rate_its_interval(small_race):
    summary = race_summary(small_race)
    low, high = (float(v) for v in summary["95% CI"].iloc[0].split("–"))
    assert low <= summary["success rate"].iloc[0] <= high
