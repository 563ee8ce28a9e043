"""Studies (notebooks 05-07): one runner for races, sweeps and the digits studies; its rows,
its budgets, its summaries and its comparisons."""

import pandas as pd
import pytest

from neuroevo_utils import Settings
from neuroevo_utils.methods.cma_es import population_size
from neuroevo_utils.study import (
    curves,
    fair_budget,
    first_to_target,
    plan,
    ratio_medians,
    run_study,
    summary,
)

SMALL = dict(MU=20, NGEN=15, RGEN=1)
METHODS = ["lesson GA", "elitist GA", "lesson GA + loss", "elitist GA + loss",
           "CMA-ES on accuracy", "CMA-ES + loss", "backprop"]  # fmt: skip


@pytest.fixture(scope="module")
def small_race():
    return run_study(["moons", "classification"], METHODS, [0, 1], base=SMALL, target="auto",
                     max_steps=300)  # fmt: skip


def test_one_row_per_method_problem_and_seed_in_order(small_race):
    assert len(small_race) == 2 * 2 * len(METHODS)
    assert list(small_race["method"][: len(METHODS)]) == METHODS
    assert set(small_race["work_unit"]) == {"evaluations", "gradient steps"}
    reached = small_race["reached"]
    assert (small_race.loc[reached, "train_accuracy"] >= small_race.loc[reached, "target"]).all()
    assert small_race["test_accuracy"].isna().all()  # no held-out points asked for
    assert small_race["error"].isna().all()


@pytest.mark.cluster
def test_the_same_rows_whichever_scheduler_runs_them(small_race):
    on_processes = run_study(
        ["moons", "classification"],
        METHODS,
        [0, 1],
        base=SMALL,
        target="auto",
        max_steps=300,
        scheduler="processes",
        workers=2,
    )
    columns = [c for c in small_race.columns if c != "seconds"]
    assert on_processes[columns].equals(small_race[columns])


def test_every_method_gets_the_genetic_algorithms_budget():
    genetic = Settings.of(MU=100, NGEN=300, RGEN=1)
    cma = Settings.of(algorithm="cma-es", NGEN=300, RGEN=1)
    assert population_size(21) == 13
    assert fair_budget(cma, genetic) == {"NGEN": 30_000, "RGEN": 1, "evaluations": 30_000}
    ten = Settings.of(MU=100, NGEN=30, RGEN=10)
    assert fair_budget(cma.but(RGEN=10), ten)["evaluations"] == 100 * 30 * 10
    backprop = Settings.of(algorithm="backprop")
    assert fair_budget(backprop, genetic, max_steps=500) == {"NGEN": 500, "RGEN": 1,
                                                              "evaluations": 0}  # fmt: skip
    assert fair_budget(genetic, genetic) == {}


def test_the_race_shares_what_each_method_uses_and_refuses_what_it_cannot_run():
    runs = plan(["circles"], ["lesson GA", "CMA-ES + loss"], [0], base=dict(MU=50, CXPB=0.5))
    ga, cma = (run.settings for run in runs)
    assert (ga.MU, ga.CXPB) == (50, 0.5) and (cma.MU, cma.CXPB) == (1000, 0.6)  # defaults
    with pytest.raises(ValueError, match="unknown method 'pso'; known: 'lesson GA'"):
        plan(methods=["pso"])
    with pytest.raises(ValueError, match="MU must be an integer from 1 up"):
        plan(methods=["lesson GA"], base=dict(MU=0))
    with pytest.raises(ValueError, match="give algorithm with methods=, not in base"):
        plan(methods=["lesson GA"], base=dict(algorithm="elitist"))
    with pytest.raises(ValueError, match="algorithm 'elitist' runs on the lesson's 2-h-1 tanh"):
        plan(["moons"], ["elitist GA"], [0], base=dict(activation="step"))


def test_data_that_cannot_be_split_is_refused_before_any_run():
    with pytest.raises(ValueError, match=r"problem 'moons', seed 0: cannot hold out 0\.5 of 2"):
        plan(["moons"], ["lesson GA"], [0], base=dict(number_samples=2, test_size=0.5))


def test_summary_counts_successes_and_medians_only_over_them(small_race):
    table = summary(small_race).set_index("method")
    for method, runs in small_race.groupby("method"):
        assert table.loc[method, "reached"] == runs["reached"].sum()
        wins = runs[runs["reached"]]
        if len(wins):
            assert table.loc[method, "median seconds"] == pytest.approx(
                wins["seconds"].median(), abs=1e-3
            )
    low, high = (float(v) for v in table["95% CI"].iloc[0].split("–"))
    assert low <= table["success rate"].iloc[0] <= high


def test_a_noisy_race_reports_held_out_accuracy():
    runs = run_study(["blobs"], ["lesson GA", "backprop"], [0], target=1.0, max_steps=200,
                     base=dict(SMALL, difficulty=3, test_size=0.3))  # fmt: skip
    assert runs["test_accuracy"].between(0, 1).all()
    assert "median held-out accuracy" in summary(runs).columns


def test_the_threshold_race_trains_step_units_with_every_method_and_repeats_itself():
    methods = ["lesson GA", "lesson GA + loss", "CMA-ES + loss", "backprop", "straight-through"]
    arguments = dict(base=dict(activation="step", test_size=0.25, MU=100, NGEN=30, RGEN=1),
                     target="auto", max_steps=200)  # fmt: skip
    runs = run_study(["moons"], methods, [0], **arguments)
    assert list(runs["method"]) == methods and (runs["activation"] == "step").all()
    assert set(runs["engine"].dropna()) == {"numpy"}  # a toolbox builds tanh units only
    evolved = runs[runs["work_unit"] == "evaluations"]
    assert (evolved["evaluations"] <= 100 * 31).all()
    assert (runs.loc[runs["method"] == "backprop", "evaluations"] == 200).all()  # never 100%
    again = run_study(["moons"], methods, [0], **arguments)
    columns = [c for c in runs if c != "seconds"]
    assert runs[columns].equals(again[columns])


DIGITS = dict(base=dict(NGEN=2_000, RGEN=1, evaluations=2_000, middle_layer=4),
              check_every=1_000, max_steps=3, early_stop=False)  # fmt: skip


@pytest.mark.parametrize("method", ["lesson GA", "separable CMA-ES", "evolution strategy",
                                    "backprop"])  # fmt: skip
def test_a_digits_run_checks_at_every_step_of_its_budget_and_repeats_itself(method):
    runs = run_study(["digits"], [method], [1], **DIGITS)
    checks = curves(runs)
    if method == "backprop":
        assert checks["evaluations"].tolist() == [1, 2, 3]
        assert set(checks["work_unit"]) == {"epochs"}
    else:
        works = checks["evaluations"].tolist()
        assert len(works) == 2 and 1_000 <= works[0] < 1_100 and 2_000 <= works[1] < 2_100
    assert set(checks["genes"]) == {64 * 4 + 4 + 4 * 10 + 10}
    assert checks["test_accuracy"].between(0, 1).all()
    assert checks["seconds"].is_monotonic_increasing
    again = curves(run_study(["digits"], [method], [1], **DIGITS))
    assert checks.drop(columns="seconds").equals(again.drop(columns="seconds"))


def test_a_digits_sweep_stops_each_run_at_its_held_out_target():
    runs = run_study(["digits"], ["evolution strategy", "backprop"], [0],
                     base=dict(NGEN=50_000, RGEN=1, evaluations=50_000), grid={"middle_layer":
                     [8]}, check_every=500, max_steps=300, held_out_target=0.5)  # fmt: skip
    assert runs["reached"].all() and (runs["target"] == 0.5).all()
    for row in runs.to_dict("records"):
        accuracies = [held_out for _, _, held_out in row["checks"]]
        assert accuracies[-1] >= 0.5 > max(accuracies[:-1], default=0)


def curve_rows(method, seed, accuracies, step=1000):
    return [{"method": method, "seed": seed, "middle_layer": 4, "genes": 310,
             "evaluations": step * (i + 1), "work_unit": "evaluations", "seconds": 0.5 * (i + 1),
             "test_accuracy": a} for i, a in enumerate(accuracies)]  # fmt: skip


def test_first_to_target_takes_the_first_check_at_the_target_or_the_last_one():
    checks = pd.DataFrame(curve_rows("A", 0, [0.5, 0.96, 0.97]) + curve_rows("A", 1, [0.5, 0.9]))
    first = first_to_target(checks, 0.95)
    assert first[["seed", "evaluations", "reached"]].values.tolist() == [[0, 2000, True],
                                                                   [1, 2000, False]]  # fmt: skip


def sweep_rows(method, work_of_genes, seeds=range(4)):
    return [{"method": method, "seed": s, "genes": g, "reached": True, "evaluations": w(g, s),
             "seconds": w(g, s) / 1000} for s in seeds for g, w in work_of_genes]  # fmt: skip


def test_ratio_medians_are_per_genome_size_over_the_seeds_both_reached():
    sizes = (310, 610, 1210)
    flat = sweep_rows("ES", [(g, lambda g, s: 1000) for g in sizes])
    growing = sweep_rows("GA", [(g, lambda g, s: g * (1 + s)) for g in sizes])
    runs = pd.DataFrame(flat + growing)
    medians = ratio_medians(runs, "GA", "ES", "seconds")
    assert medians.to_dict() == {310: 0.8, 610: 1.5, 1210: 3.0}
    with pytest.raises(ValueError, match="no runs of 'XX'"):
        ratio_medians(runs, "GA", "XX")
    never = runs.assign(reached=runs["method"] == "GA")  # ES never reached the target
    assert ratio_medians(never, "GA", "ES").empty
