"""Notebook 07's digits race and sweep: rows per check, budgets counted in work, repeatable."""

import pytest

from neuroevo_utils.scaling import DIGITS_METHODS, digits_run, digits_sweep


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
