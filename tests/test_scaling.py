"""Notebook 07's digits race and sweep: rows per check, budgets counted in work, repeatable."""

import pandas as pd
import pytest

from neuroevo_utils.scaling import (
    DIGITS_METHODS,
    compare_runs,
    digits_run,
    digits_summary,
    digits_sweep,
    first_to_target,
    genome_trend,
    ratio_trend,
)


def without_seconds(rows):
    return [{k: v for k, v in row.items() if k != "seconds"} for row in rows]


@pytest.mark.parametrize("method", DIGITS_METHODS)
def test_a_run_checks_at_every_step_of_its_budget_and_repeats_itself(method):
    rows = digits_run(method, 1, 4, evaluations=2_000, check_every=1_000, max_epochs=3)
    if method == "backprop":
        assert [row["work"] for row in rows] == [1, 2, 3]
        assert {row["work_unit"] for row in rows} == {"epochs"}
    else:
        works = [row["work"] for row in rows]
        assert len(works) == 2 and 1_000 <= works[0] < 1_100 and 2_000 <= works[1] < 2_100
    assert rows[0]["genes"] == 64 * 4 + 4 + 4 * 10 + 10
    assert all(0 <= row["test_accuracy"] <= 1 for row in rows)
    assert rows[-1]["seconds"] >= rows[0]["seconds"]
    again = digits_run(method, 1, 4, evaluations=2_000, check_every=1_000, max_epochs=3)
    assert without_seconds(rows) == without_seconds(again)


def test_a_run_stops_at_its_target():
    rows = digits_run("evolution strategy", 0, 8, evaluations=50_000, check_every=500,
                      target=0.5)  # fmt: skip
    assert rows[-1]["test_accuracy"] >= 0.5 > max(row["test_accuracy"] for row in rows[:-1])
    assert rows[-1]["work"] < 50_000


def test_the_sweep_keeps_each_run_s_last_check():
    runs = digits_sweep([4], [0], ["backprop", "evolution strategy"], target=0.3,
                        evaluations=3_000, max_epochs=5)  # fmt: skip
    assert list(runs["method"]) == ["backprop", "evolution strategy"]
    assert runs["reached"].tolist() == (runs["test_accuracy"] >= 0.3).tolist()


def test_an_unknown_method_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown method 'sgd'; known: lesson GA"):
        digits_run("sgd", 0)


def curve_rows(method, seed, accuracies, step=1000):
    return [{"method": method, "seed": seed, "middle_layer": 4, "genes": 310,
             "work": step * (i + 1), "work_unit": "evaluations", "seconds": 0.5 * (i + 1),
             "test_accuracy": a} for i, a in enumerate(accuracies)]  # fmt: skip


def test_first_to_target_takes_the_first_check_at_the_target_or_the_last_one():
    curves = pd.DataFrame(curve_rows("A", 0, [0.5, 0.96, 0.97]) + curve_rows("A", 1, [0.5, 0.9]))
    first = first_to_target(curves, 0.95)
    assert first[["seed", "work", "reached"]].values.tolist() == [[0, 2000, True],
                                                                   [1, 2000, False]]  # fmt: skip
    summary = digits_summary(first)
    assert summary.loc[0, ["runs", "reached"]].tolist() == [2, 1]
    assert summary.loc[0, "median work"] == 2000  # over the run that reached it only


def test_compare_runs_pairs_seeds_and_says_when_they_cannot_tell():
    pairs = [(s, ("A", 0.9 + s / 100), ("B", 0.8 + s / 100)) for s in range(10)]
    rows = [{"method": m, "seed": s, "test_accuracy": v} for s, *both in pairs for m, v in both]
    said = compare_runs(pd.DataFrame(rows), "A", "B", "test_accuracy", "holds out better than")
    assert "A holds out better than B (p = 0.002)" in said and "over 10 seeds" in said
    few = pd.DataFrame(rows[:6])
    assert "these seeds cannot tell" in compare_runs(few, "A", "B", "test_accuracy", "beats")
    assert "no seed where both" in compare_runs(few, "A", "C", "test_accuracy", "beats")


def sweep_rows(method, work_of_genes, seeds=range(4)):
    return [{"method": method, "seed": s, "genes": g, "reached": True, "work": w(g, s),
             "seconds": w(g, s) / 1000} for s in seeds for g, w in work_of_genes]  # fmt: skip


def test_trends_over_the_genome_are_tested_not_eyeballed():
    sizes = (310, 610, 1210, 2410)
    falling = sweep_rows("ES", [(g, lambda g, s: 10**6 / g + s) for g in sizes])
    flat = sweep_rows("GA", [(g, lambda g, s: 1000 + 100 * ((g + s) % 3)) for g in sizes])
    runs = pd.DataFrame(falling + flat)
    assert "ES: work to target falls as the genome grows" in genome_trend(runs, "ES")
    assert "GA: these runs cannot tell" in genome_trend(runs, "GA")
    medians, said = ratio_trend(runs, "GA", "ES", "seconds")
    assert "GA's multiple of ES's seconds grows as the genome grows" in said
    assert list(medians.index) == list(sizes)
