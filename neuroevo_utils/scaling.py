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
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from .digits import (
    N_FEATURES,
    digits_data,
    digits_genome_length,
    population_digits_accuracy,
    population_digits_loss,
)
from .population import single_threaded_blas
from .scheduling import results_as_completed
from .search import evolution_strategy, genetic_algorithm, separable_cma_es

DIGITS_METHODS = ("lesson GA", "lesson GA + loss", "separable CMA-ES", "evolution strategy",
                  "backprop")  # fmt: skip
"""Notebook 07's race on digits: the lesson's GA (on training accuracy) and notebook 05's best
GA (the same on the cross-entropy), population 100; CMA-ES with a diagonal covariance and an
evolution strategy (population 100), both on the cross-entropy; backprop (scikit-learn's
``MLPClassifier``, Adam, the same tanh units)."""


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
