"""Evolution against backprop on real data, digits, as the genome grows.

Introduced in notebook 07. One run trains a 64 -> ``middle_layer`` -> 10 network on a seeded
three-quarters of the digits with one method and checks its held-out accuracy every
``check_every`` network evaluations (backprop: after every epoch), recording the work and
seconds spent so far. The budget is counted in evaluations, never in seconds, so the rows are
the same on any machine except for their ``seconds``.

* :func:`digits_race`: every method at one size, each check a row: accuracy against work and
  against time.
* :func:`digits_sweep`: every method at several sizes, each run stopped at a held-out target:
  one row per run, with the work and seconds it took.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterable
from typing import Any, TextIO

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from .digits import (
    N_FEATURES,
    digits_data,
    digits_genome_length,
    population_digits_accuracy,
    population_digits_loss,
)
from .plots import figure_grid
from .population import single_threaded_blas
from .scheduling import results_as_completed
from .search import evolution_strategy, genetic_algorithm, separable_cma_es
from .uncertainty import ALPHA, paired_values_test, rank_trend, success_summary, verdict

DIGITS_METHODS = ("lesson GA", "lesson GA + loss", "separable CMA-ES", "evolution strategy",
                  "backprop")  # fmt: skip
"""Notebook 07's race on digits: the lesson's GA (on training accuracy) and notebook 05's best
GA (the same on the cross-entropy), population 100; CMA-ES with a diagonal covariance and an
evolution strategy (population 100), both on the cross-entropy; backprop (scikit-learn's
``MLPClassifier``, Adam, the same tanh units)."""


COLOURS = dict(zip(DIGITS_METHODS, ("C0", "C1", "C2", "C3", "C4"), strict=True))
"""One colour per method in every figure of notebook 07's digits sections."""


def digits_start(n_genes: int, seed: int) -> np.ndarray:
    """Where CMA-ES and the evolution strategy start: normal genes of standard deviation
    1/8 (1/sqrt(64 inputs)), so the hidden units start in tanh's slope."""
    return np.random.default_rng([seed, 7]).normal(0.0, 1.0 / np.sqrt(N_FEATURES), n_genes)


def digits_run(
    method: str,
    seed: int,
    middle_layer: int = 16,
    *,
    evaluations: int = 30_000,
    check_every: int = 1_000,
    max_epochs: int = 300,
    target: float | None = None,
) -> list[dict[str, Any]]:
    """One run of ``method``; a row per check, the last one where the run stopped (out of
    budget, or at ``target`` held-out accuracy if given)."""
    if method not in DIGITS_METHODS:
        raise ValueError(f"unknown method {method!r}; known: {', '.join(DIGITS_METHODS)}")
    X_train, X_test, Y_train, Y_test = digits_data(seed)
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()

    def record(work: int, held_out: float) -> bool:
        rows.append({
            "method": method, "seed": seed, "middle_layer": middle_layer,
            "genes": digits_genome_length(middle_layer), "work": int(work),
            "work_unit": "epochs" if method == "backprop" else "evaluations",
            "seconds": round(time.perf_counter() - started, 4),
            "test_accuracy": round(float(held_out), 3),
        })  # fmt: skip
        return target is not None and held_out >= target

    with single_threaded_blas():
        if method == "backprop":
            _backprop(X_train, Y_train, X_test, Y_test, middle_layer, seed, max_epochs, record)
        else:
            _evolve(method, X_train, Y_train, X_test, Y_test, middle_layer, seed,
                    evaluations, check_every, record)  # fmt: skip
    return rows


def _evolve(method, X_train, Y_train, X_test, Y_test, middle_layer, seed, evaluations,
            check_every, record: Callable[[int, float], bool]) -> None:  # fmt: skip
    n_genes = digits_genome_length(middle_layer)
    next_check = [check_every]

    def loss(genomes):
        return population_digits_loss(genomes, X_train, Y_train, middle_layer)

    def check(generation, done, genome):
        if done < next_check[0] and done < evaluations:
            return False
        while next_check[0] <= done:
            next_check[0] += check_every
        held_out = population_digits_accuracy(genome[None], X_test, Y_test, middle_layer)[0]
        return record(done, held_out) or done >= evaluations

    if method.startswith("lesson GA"):
        def score(genomes):
            if method == "lesson GA":
                return population_digits_accuracy(genomes, X_train, Y_train, middle_layer)
            return -loss(genomes)

        genetic_algorithm(score, n_genes, seed, generations=evaluations, on_generation=check)
    elif method == "separable CMA-ES":
        separable_cma_es(loss, digits_start(n_genes, seed), seed, generations=evaluations,
                         on_generation=check)  # fmt: skip
    else:
        evolution_strategy(loss, digits_start(n_genes, seed), seed, generations=evaluations,
                           on_generation=check)  # fmt: skip


def _backprop(X_train, Y_train, X_test, Y_test, middle_layer, seed, max_epochs,
              record: Callable[[int, float], bool]) -> None:  # fmt: skip
    model = MLPClassifier(hidden_layer_sizes=(middle_layer,), activation="tanh",
                          random_state=seed)  # fmt: skip
    classes = np.arange(10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for epoch in range(1, max_epochs + 1):
            model.partial_fit(X_train, Y_train, classes=classes)
            if record(epoch, model.score(X_test, Y_test)):
                return


def digits_race(
    seeds: Iterable[int] = range(5),
    methods: Iterable[str] = DIGITS_METHODS,
    *,
    middle_layer: int = 16,
    evaluations: int = 30_000,
    check_every: int = 1_000,
    max_epochs: int = 300,
    scheduler: str = "serial",
    workers: int | None = None,
    progress: bool | TextIO = False,
) -> pd.DataFrame:
    """Every method with every seed at one size, to its whole budget: a row per check."""
    budget = dict(middle_layer=middle_layer, evaluations=evaluations, check_every=check_every,
                  max_epochs=max_epochs)  # fmt: skip
    tasks = [(method, seed, budget) for seed in seeds for method in methods]
    return _run_all(tasks, scheduler, workers, progress)


def digits_sweep(
    middle_layers: Iterable[int] = (4, 8, 16, 32, 64),
    seeds: Iterable[int] = range(3),
    methods: Iterable[str] = DIGITS_METHODS,
    *,
    target: float = 0.9,
    evaluations: int = 60_000,
    check_every: int = 500,
    max_epochs: int = 300,
    scheduler: str = "serial",
    workers: int | None = None,
    progress: bool | TextIO = False,
) -> pd.DataFrame:
    """Every method, size and seed, each run stopped at ``target`` held-out accuracy: one row
    per run, its last check (``reached`` says whether it got there within the budget)."""
    tasks = [
        (method, seed, dict(middle_layer=h, evaluations=evaluations, check_every=check_every,
                            max_epochs=max_epochs, target=target))
        for h in middle_layers for seed in seeds for method in methods
    ]  # fmt: skip
    runs = _run_all(tasks, scheduler, workers, progress, last_only=True)
    runs.insert(4, "reached", runs["test_accuracy"] >= target)
    return runs


def _run_all(tasks, scheduler, workers, progress, last_only: bool = False) -> pd.DataFrame:
    results: list[list[dict[str, Any]]] = [[] for _ in tasks]
    for index, rows in results_as_completed(
        _digits_task, tasks, scheduler, workers=workers, progress=progress, name="runs"
    ):
        results[index] = rows[-1:] if last_only else rows
    return pd.DataFrame([row for rows in results for row in rows])


def _digits_task(task: tuple[str, int, dict[str, Any]]) -> list[dict[str, Any]]:
    method, seed, budget = task
    return digits_run(method, seed, **budget)


def first_to_target(curves: pd.DataFrame, target: float) -> pd.DataFrame:
    """Each run's (method, seed) first check at ``target`` held-out accuracy or above, or its
    last check if it never got there; ``reached`` says which."""
    curves = curves.assign(reached=curves["test_accuracy"] >= target)
    runs = curves.groupby(["method", "seed", "middle_layer"], sort=False)
    first_hit = runs["reached"].idxmax()  # a run's first row if it never reached the target
    last = runs["reached"].apply(lambda reached: reached.index[-1])
    chosen = [hit if curves.at[hit, "reached"] else end
              for hit, end in zip(first_hit, last, strict=True)]  # fmt: skip
    return curves.loc[chosen].reset_index(drop=True)


def digits_summary(runs: pd.DataFrame, by: Iterable[str] = ("method",)) -> pd.DataFrame:
    """Per method (and ``by``): runs reaching their target with the 95% interval, and the
    median work and seconds of those that did. ``runs``: one row per run with ``reached``
    (:func:`first_to_target`, or :func:`digits_sweep`'s rows)."""
    summary = success_summary(runs, list(by), {"median work": "work", "median seconds": "seconds"})
    summary["median work"] = summary["median work"].round(0)
    summary["median seconds"] = summary["median seconds"].round(2)
    return summary.reset_index()


def final_accuracy(curves: pd.DataFrame) -> pd.DataFrame:
    """Each run's held-out accuracy at its last check (the end of its budget)."""
    return curves.groupby(["method", "seed"], sort=False).tail(1).reset_index(drop=True)


def plot_digits_race(curves: pd.DataFrame, target: float | None = None) -> Figure:
    """Held-out accuracy against work (left) and against seconds (right, log scale): the
    median over seeds per method, and the range of the seeds shaded."""
    figure, axes = figure_grid(1, 2, panel_height=4.0)
    for method, rows in curves.groupby("method", sort=False):
        rows = rows.assign(check=rows.groupby("seed").cumcount())  # the n-th check of a run
        table = rows.pivot_table(index="check", columns="seed", values="test_accuracy")
        checks = rows.groupby("check")[["work", "seconds"]].median()
        median = table.median(axis=1)
        for ax, x in ((axes[0, 0], checks["work"]), (axes[0, 1], checks["seconds"])):
            ax.plot(x, median, label=method, color=COLOURS[method])
            ax.fill_between(x, table.min(axis=1), table.max(axis=1), alpha=0.15,
                            color=COLOURS[method])  # fmt: skip
    axes[0, 0].set_xscale("log")
    axes[0, 0].set_xlabel("networks evaluated (backprop: epochs, passes forward and back)")
    axes[0, 1].set_xscale("log")
    axes[0, 1].set_xlabel("seconds (median over seeds)")
    for ax in axes[0]:
        ax.set_ylabel("held-out accuracy")
        ax.set_ylim(0, 1)
        if target is not None:
            ax.axhline(target, color="grey", linestyle=":", linewidth=1)
    axes[0, 0].legend(fontsize=8, loc="lower right")
    return figure


def plot_scaling(runs: pd.DataFrame, target: float) -> Figure:
    """Work (left) and seconds (right) to ``target`` against the genome's length, log-log:
    the median over the seeds that reached it; an open marker where not every seed did."""
    figure, axes = figure_grid(1, 2, panel_height=4.0)
    summary = digits_summary(runs, ("method", "genes"))
    for method, rows in summary.groupby("method", sort=False):
        for ax, column in ((axes[0, 0], "median work"), (axes[0, 1], "median seconds")):
            ax.plot(rows["genes"], rows[column], marker="o", label=method,
                    color=COLOURS[method])  # fmt: skip
            partial = rows[rows["reached"] < rows["runs"]]
            ax.plot(partial["genes"], partial[column], "o", markerfacecolor="white",
                    color=COLOURS[method])  # fmt: skip
    for ax, column, label in (
        (axes[0, 0], "median work", "work to target (evaluations; backprop: epochs)"),
        (axes[0, 1], "median seconds", "seconds to target"),
    ):
        ax.set_xscale("log")
        if (summary[column] > 0).any():  # else no run reached the target: nothing to scale
            ax.set_yscale("log")
        sizes = sorted(runs["genes"].unique())
        ax.set_xticks(sizes, [f"{g:,}" for g in sizes])
        ax.minorticks_off()
        ax.set_xlabel("genes (weights and biases)")
        ax.set_ylabel(label)
    axes[0, 0].legend(fontsize=8)
    figure.suptitle(f"to {target:.0%} held-out accuracy on digits (open: not every seed got there)")
    return figure


def compare_runs(runs: pd.DataFrame, a: str, b: str, column: str, how: str,
                 lower_is_better: bool = False) -> str:  # fmt: skip
    """One sentence: methods ``a`` and ``b``'s ``column`` on the seeds where both have it
    (their medians), and the Wilcoxon signed-rank test's verdict."""
    table = runs.pivot_table(index="seed", columns="method", values=column)
    if a not in table or b not in table or table[[a, b]].dropna().empty:
        return f"{a} vs {b}: no seed where both have a {column}"
    table = table.dropna(subset=[a, b])
    values_a, values_b = table[a].to_numpy(), table[b].to_numpy()
    p_value = paired_values_test(values_a, values_b)
    a_ahead = np.mean(values_a - values_b) * (-1 if lower_is_better else 1) >= 0
    better, worse = (a, b) if a_ahead else (b, a)
    medians = f"median {np.median(values_a):.3g} vs {np.median(values_b):.3g}"
    said = verdict(p_value, better, worse, how)
    return f"{a} vs {b}, {column} over {len(table)} seeds: {medians}; {said}"


def genome_trend(runs: pd.DataFrame, method: str, column: str = "work") -> str:
    """One sentence: does ``method``'s ``column`` to its target rise or fall as the genome
    grows, over the runs that reached it? Spearman's rank correlation and its test."""
    reached = runs[(runs["method"] == method) & runs["reached"]]
    if reached["genes"].nunique() < 3:
        return f"{method}: too few sizes reached the target to tell a trend"
    rho, p_value = rank_trend(reached["genes"], reached[column])
    numbers = f"Spearman rho {rho:.2f}, p = {p_value:.2g}, {len(reached)} runs"
    if p_value < ALPHA:
        direction = "grows" if rho > 0 else "falls"
        return f"{method}: {column} to target {direction} as the genome grows ({numbers})"
    return (f"{method}: these runs cannot tell whether {column} to target changes with the "
            f"genome ({numbers})")  # fmt: skip


def ratio_trend(
    runs: pd.DataFrame, a: str, b: str, column: str = "seconds"
) -> tuple[pd.Series, str]:
    """How many times ``a``'s ``column`` to target is ``b``'s, seed by seed at each size
    where both reached it: the median ratio per genome length, and one sentence saying
    whether the ratio rises or falls as the genome grows (Spearman, as :func:`genome_trend`)."""
    table = runs[runs["reached"]].pivot_table(index=["genes", "seed"], columns="method",
                                              values=column)  # fmt: skip
    if a not in table or b not in table:
        return pd.Series(dtype=float), f"{a} / {b}: no size where both reached the target"
    both = table[[a, b]].dropna()
    ratio = (both[a] / both[b]).rename(f"{a} / {b}").reset_index()
    medians = ratio.groupby("genes")[f"{a} / {b}"].median().round(1)
    rho, p_value = rank_trend(ratio["genes"], ratio[f"{a} / {b}"])
    numbers = f"Spearman rho {rho:.2f}, p = {p_value:.2g}, {len(ratio)} pairs"
    if p_value < ALPHA:
        direction = "grows" if rho > 0 else "shrinks"
        said = f"{a}'s multiple of {b}'s {column} {direction} as the genome grows"
        return medians, f"{said} ({numbers})"
    return medians, (f"these runs cannot tell whether {a}'s multiple of {b}'s {column} "
                     f"changes with the genome ({numbers})")  # fmt: skip
