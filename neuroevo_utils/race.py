"""A race: every way of training the lesson's network, over many seeds and all five problems.

Introduced in notebook 05. One run is one method on one problem's data, made with one seed
(the seed draws the data, the split and the method's start, as everywhere in the series).
Each run counts what it spent until it reached its training target: seconds, and its work —
network evaluations for the evolutionary methods, gradient steps for backprop.

:func:`race` returns one row per run; :func:`race_summary` one row per method (and problem).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .backprop import backprop_to_target
from .baseline import logistic_regression_baseline
from .engines.cma_engine import population_size
from .evolution import evolve
from .experiment import experiment_data
from .methods import for_algorithm
from .parameters import DEFAULTS, PROBLEMS, validate, validate_all
from .plots import figure_grid
from .scheduling import results_as_completed
from .scoring import accuracy
from .uncertainty import paired_test, paired_values_test, success_summary, verdict

BACKPROP = "backprop"
"""The method name of gradient descent from the GA's start (:func:`backprop_to_target`)."""

METHODS: dict[str, dict[str, str] | None] = {
    "lesson GA": {"algorithm": "lesson", "fitness": "accuracy", "engine": "numpy"},
    "elitist GA": {"algorithm": "elitist", "fitness": "accuracy"},
    "lesson GA + loss": {"algorithm": "lesson", "fitness": "loss"},
    "elitist GA + loss": {"algorithm": "elitist", "fitness": "loss"},
    "CMA-ES on accuracy": {"algorithm": "cma-es", "fitness": "accuracy"},
    "CMA-ES + loss": {"algorithm": "cma-es", "fitness": "loss"},
    BACKPROP: None,
}
"""Every method of notebook 05: each fix alone (elitism, the loss, CMA-ES), fixes together,
and backprop. The values are the parameters a method sets; ``None`` is backprop."""

ALWAYS_SEPARABLE: tuple[str, ...] = ("gaussian quantiles", "moons", "circles")
"""Problems whose classes never overlap without noise (difficulty 1): the target is 100%.
``classification`` flips 1% of labels and two ``blobs`` can touch, so there the target is
what the logistic-regression baseline of notebook 02 reaches on the same points, capped at
100%: a level the 2-5-1 network can always reach, and that some seeds make hard."""


def training_target(problem: str, X: np.ndarray, Y: np.ndarray, seed: int) -> float:
    """The race's training target for these points (see :data:`ALWAYS_SEPARABLE`)."""
    if problem in ALWAYS_SEPARABLE:
        return 1.0
    return accuracy(logistic_regression_baseline(X, Y, random_state=seed), X, Y)


EVOLVE_PARAMETERS = ("middle_layer", "MU", "NGEN", "RGEN", "CXPB", "MUTPB", "seed",
                     "target_accuracy", "engine", "algorithm", "fitness")  # fmt: skip
"""What :func:`~neuroevo_utils.evolve` takes of a run's values (the rest made its data)."""


def _run_one(method: str, values: Mapping[str, Any], max_epochs: int) -> dict[str, Any]:
    """One run of the race: ``method`` with these values (its own included); one row."""
    X_train, X_test, Y_train, Y_test = experiment_data(values)  # once per run
    target = values["target_accuracy"]
    if method == BACKPROP:
        run = backprop_to_target(
            X_train, Y_train, values["middle_layer"], target, max_epochs, seed=values["seed"]
        )
        network, reached, work, seconds = run.network, run.reached, run.steps, run.seconds
        train = run.train_accuracy
    else:
        result = evolve(X_train, Y_train, **{name: values[name] for name in EVOLVE_PARAMETERS})
        network, train, work, seconds = (
            result.network(), result.train_accuracy, result.evaluations, result.seconds
        )  # fmt: skip
        reached = train >= target
    test = None if X_test is None else accuracy(network, X_test, Y_test)
    return {
        "method": method,
        "problem": values["problem"],
        "seed": values["seed"],
        "target": round(float(target), 3),
        "reached": bool(reached),
        "train_accuracy": round(float(train), 3),
        "test_accuracy": None if test is None else round(float(test), 3),
        "seconds": round(float(seconds), 4),
        "work": int(work),
        "work_unit": "gradient steps" if method == BACKPROP else "evaluations",
    }


def race(
    problems: Iterable[str] = PROBLEMS,
    seeds: Iterable[int] = range(20),
    methods: Iterable[str] = tuple(METHODS),
    *,
    parameters: Mapping[str, Any] | None = None,
    target: float | None = None,
    max_epochs: int = 5000,
    scheduler: str = "serial",
    workers: int | None = None,
    progress: bool | TextIO = False,
) -> pd.DataFrame:
    """Run every method on every problem with every seed; one row per run, in that order.

    ``parameters`` (checked like everywhere else) set the data and the evolutionary
    methods' budget, e.g. ``dict(MU=100, NGEN=300, RGEN=1)``; a method's own (:data:`METHODS`)
    win. CMA-ES samples only 13 networks a generation, so it gets as many generations as
    give it the genetic algorithms' most evaluations, MU per generation
    (:func:`cma_rounds`). ``target``: the training accuracy that counts as success;
    ``None`` chooses it per data set (:func:`training_target`). Backprop may take
    ``max_epochs`` gradient steps. ``scheduler`` and ``workers``: where the runs go
    (:mod:`neuroevo_utils.scheduling`); the rows are the same whichever runs them.
    ``progress``: a bar of runs done / total (see :func:`~neuroevo_utils.scheduling.progress_bar`).
    """
    methods = list(methods)
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown method {unknown[0]!r}; known: {', '.join(METHODS)}")
    base = validate_all(parameters or {})
    tasks = []
    for problem in problems:
        for seed in seeds:
            values = {**DEFAULTS, **base, **validate_all({"problem": problem, "seed": seed})}
            if target is None:
                X_train, _, Y_train, _ = experiment_data(values)
                values["target_accuracy"] = training_target(problem, X_train, Y_train, seed)
            else:
                values["target_accuracy"] = validate("target_accuracy", target)
            for method in methods:
                budget = {}
                if METHODS[method] is not None and METHODS[method]["algorithm"] == "cma-es":
                    budget["NGEN"] = cma_rounds(values)
                run_values = {**values, **budget, **(METHODS[method] or {})}
                tasks.append((method, for_algorithm(run_values), max_epochs))
    rows = [None] * len(tasks)
    for index, row in results_as_completed(
        _race_task, tasks, scheduler, workers=workers, progress=progress, name="race"
    ):
        rows[index] = row
    return pd.DataFrame(rows)


def cma_rounds(values: Mapping[str, Any]) -> int:
    """NGEN for CMA-ES that gives it as many evaluations as MU x NGEN x RGEN, at most."""
    generations = values["MU"] * values["NGEN"] * values["RGEN"] / population_size(
        values["middle_layer"]
    )
    return max(1, math.floor(generations / values["RGEN"]))


def _race_task(task: tuple[str, dict[str, Any], int]) -> dict[str, Any]:
    return _run_one(*task)


def race_summary(runs: pd.DataFrame, by: Iterable[str] = ("method",)) -> pd.DataFrame:
    """Per method (and whatever else ``by`` names): success rate with its 95% interval
    (:func:`~neuroevo_utils.uncertainty.success_interval`), and the median seconds and work of
    the runs that reached their target; median held-out accuracy if there is one."""
    by = list(by)
    medians = {"median seconds to target": "seconds", "median work to target": "work"}
    summary = success_summary(runs, by, medians)
    summary["median seconds to target"] = summary["median seconds to target"].round(3)
    summary["median work to target"] = summary["median work to target"].round(0)
    groups = runs.groupby(by, sort=False)
    summary["work unit"] = groups["work_unit"].first()
    if runs["test_accuracy"].notna().any():
        summary["median held-out accuracy"] = groups["test_accuracy"].median().round(3)
    return summary.reset_index()


def paired(runs: pd.DataFrame, a: str, b: str, column: str = "reached",
           problems: Iterable[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Methods ``a`` and ``b``'s ``column`` on the same problems and seeds, row for row."""
    chosen = runs if problems is None else runs[runs["problem"].isin(list(problems))]
    table = chosen.pivot_table(index=["problem", "seed"], columns="method", values=column,
                               aggfunc="first")  # fmt: skip
    return table[a].to_numpy(), table[b].to_numpy()


def compare(runs: pd.DataFrame, a: str, b: str, problems: Iterable[str] | None = None) -> str:
    """One sentence: did ``a`` reach its target more often than ``b`` on the same seeds?
    Their counts, and the exact paired (McNemar) test's verdict."""
    reached_a, reached_b = paired(runs, a, b, problems=problems)
    p_value = paired_test(reached_a.astype(bool), reached_b.astype(bool))
    better, worse = (a, b) if reached_a.sum() >= reached_b.sum() else (b, a)
    counts = f"{a} {int(reached_a.sum())}, {b} {int(reached_b.sum())} of {reached_a.size}"
    return f"{counts}: {verdict(p_value, better, worse, 'reaches its target more often than')}"


def compare_held_out(runs: pd.DataFrame, a: str, b: str, problem: str) -> str:
    """One sentence: did ``a`` hold out better than ``b`` on ``problem``, seed for seed?
    Their medians, and the Wilcoxon signed-rank test's verdict."""
    held_a, held_b = paired(runs, a, b, column="test_accuracy", problems=[problem])
    p_value = paired_values_test(held_a, held_b)
    better, worse = (a, b) if np.mean(held_a - held_b) >= 0 else (b, a)
    medians = f"median {np.median(held_a):.3f} vs {np.median(held_b):.3f}"
    said = verdict(p_value, better, worse, "holds out better than")
    return f"{problem}, {a} vs {b}: {medians}; {said}"


def plot_race(runs: pd.DataFrame, value: str = "success rate", title: str = "") -> Figure:
    """Two panels: ``value`` per method and problem as a heat map, and beside it the spread
    of seconds to target over each method's successful runs (log scale), or for held-out
    accuracy, its spread over every run.

    ``value``: ``"success rate"`` (targets reached / runs) or ``"median held-out accuracy"``.
    """
    table = race_summary(runs, by=("method", "problem")).pivot(
        index="method", columns="problem", values=value
    )
    methods = list(dict.fromkeys(runs["method"]))
    problems = list(dict.fromkeys(runs["problem"]))
    table = table.loc[methods, problems]
    figure, axes = figure_grid(1, 2, panel_height=4.2)
    heat, times = axes[0]
    image = heat.imshow(table.to_numpy(float), vmin=0.5 if "accuracy" in value else 0.0,
                        vmax=1.0, cmap="viridis", aspect="auto")  # fmt: skip
    heat.set_xticks(range(len(problems)), [p.replace(" ", "\n") for p in problems], fontsize=8)
    heat.set_yticks(range(len(methods)), methods, fontsize=8)
    for (row, column), number in np.ndenumerate(table.to_numpy(float)):
        heat.text(column, row, "–" if np.isnan(number) else f"{number:.2f}", ha="center",
                  va="center", fontsize=8, color="white" if number < 0.8 else "black")  # fmt: skip
    heat.set_title(value)
    figure.colorbar(image, ax=heat, shrink=0.8)
    if "accuracy" in value:  # every run's held-out accuracy
        spread = [runs.loc[runs["method"] == m, "test_accuracy"].astype(float) for m in methods]
        times.boxplot(spread, vert=False)
        times.set_xlabel("held-out accuracy (every run)")
        times.set_title("spread over seeds and problems")
    else:  # seconds of the runs that reached their target
        spread = [runs.loc[runs["reached"] & (runs["method"] == m), "seconds"] for m in methods]
        times.boxplot([s.clip(lower=1e-4) for s in spread], vert=False)
        times.set_xscale("log")
        times.set_xlabel("seconds to target (runs that reached it)")
        times.set_title("time to target")
    times.set_yticks(range(1, len(methods) + 1), methods, fontsize=8)
    times.invert_yaxis()
    if title:
        figure.suptitle(title)
    return figure
