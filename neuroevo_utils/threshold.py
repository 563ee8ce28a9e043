"""A network that gradient descent cannot train: hidden units that are hard thresholds.

Introduced in notebook 07. The lesson's 2 -> ``middle_layer`` -> 1 network with
each hidden unit's ``tanh`` replaced by a step: 1 where its input is positive, else 0. Its
output changes only when a boundary line of a hidden unit crosses a point, so the gradient
of any loss with respect to the first layer's weights is zero wherever it is defined:
backpropagation has nothing to follow there. A genetic algorithm only ranks networks, so it
does not care. The genome is laid out exactly as the lesson's (W1, b1, W2, b2).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any, TextIO

import numpy as np
import pandas as pd

from .engines.cma_engine import CmaEsEngine
from .experiment import experiment_data
from .network import NeuralNetwork, genome_length, sigmoid
from .parameters import DEFAULTS, PROBLEMS, validate_all
from .population import loss_from_logits, population_logits, single_threaded_blas
from .race import training_target
from .scheduling import results_as_completed
from .scoring import label_accuracy
from .search import genetic_algorithm


class ThresholdNetwork(NeuralNetwork):
    """The lesson's network, its hidden units steps (0 or 1) instead of ``tanh``."""

    def forward(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.n_x:
            raise ValueError(f"X must have shape (n_samples, {self.n_x}); got {X.shape}")
        self.Z1 = self.W1.dot(X.T) + self.b1
        self.A1 = (self.Z1 > 0).astype(float)  # the step: no slope anywhere but at 0
        self.Z2 = self.W2.dot(self.A1) + self.b2
        self.A2 = sigmoid(self.Z2)
        return self.A2


def population_threshold_logits(
    genomes: np.ndarray, X: np.ndarray, middle_layer: int
) -> np.ndarray:
    """Every genome's output before the sigmoid on every point, shape ``(P, N)``."""
    genomes, X = np.asarray(genomes, dtype=float), np.asarray(X, dtype=float)
    return population_logits(genomes, X, middle_layer, hidden_activation=_step)


def _step(z: np.ndarray) -> np.ndarray:
    return (z > 0).astype(float)


def population_threshold_accuracy(
    genomes: np.ndarray, X: np.ndarray, Y: np.ndarray, middle_layer: int
) -> np.ndarray:
    """Training accuracy of every genome's threshold network, shape ``(P,)`` (label 1 where
    the output is above one half, as ``predict`` rounds it)."""
    labels = population_threshold_logits(genomes, X, middle_layer) > 0
    return np.mean(labels == (np.asarray(Y) == 1), axis=1)


def hidden_layer_gradient(
    network: ThresholdNetwork, X: np.ndarray, Y: np.ndarray, step: float = 1e-6
) -> np.ndarray:
    """The mean cross-entropy's gradient with respect to the first layer (W1, then b1),
    measured by central differences: each weight moved by ``step`` either way. Unless a
    point sits within ``step`` of a hidden unit's line, no output changes, and the measured
    gradient is exactly zero."""
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)

    def loss() -> float:
        z = network.forward(X)[0]
        p = np.clip(z, 1e-12, 1 - 1e-12)
        return float(-np.mean(Y * np.log(p) + (1 - Y) * np.log(1 - p)))

    gradient = []
    for weights in (network.W1, network.b1):
        for index in np.ndindex(weights.shape):
            kept = weights[index]
            weights[index] = kept + step
            above = loss()
            weights[index] = kept - step
            below = loss()
            weights[index] = kept
            gradient.append((above - below) / (2 * step))
    return np.array(gradient)


def threshold_descent(
    network: ThresholdNetwork,
    X: np.ndarray,
    Y: np.ndarray,
    *,
    straight_through: bool = False,
    target_accuracy: float = 1.0,
    max_steps: int = 5000,
    learning_rate: float = 0.5,
) -> int:
    """Full-batch gradient descent on the mean cross-entropy, in place, until the training
    accuracy reaches ``target_accuracy``; returns the gradient steps taken.

    The step's slope is zero wherever it is defined, so the true gradient never moves the
    first layer: only W2 and b2 learn, on the lines the start drew. ``straight_through``:
    backward as if each step were the identity between -1 and 1 (the straight-through
    estimator, the usual workaround), so the first layer moves too.
    """
    X, Y = np.asarray(X, dtype=float), np.asarray(Y)
    targets = Y.astype(float)[None, :]
    for step in range(max_steps):
        output = network.forward(X)
        if label_accuracy(np.round(output[0]), Y) >= target_accuracy:
            return step
        d_z2 = (output - targets) / X.shape[0]  # the cross-entropy's gradient at Z2
        if straight_through:  # through W2 before it moves, as if the step's slope were 1
            d_z1 = (network.W2.T @ d_z2) * (np.abs(network.Z1) <= 1)
        network.W2 -= learning_rate * (d_z2 @ network.A1.T)
        network.b2 -= learning_rate * d_z2.sum(axis=1, keepdims=True)
        if straight_through:
            network.W1 -= learning_rate * (d_z1 @ X)
            network.b1 -= learning_rate * d_z1.sum(axis=1, keepdims=True)
    return max_steps


THRESHOLD_METHODS = ("lesson GA", "lesson GA + loss", "CMA-ES + loss", "backprop",
                     "straight-through")  # fmt: skip
"""Notebook 07's methods for the threshold network: the lesson's GA, notebook 05's best GA
(the lesson's on the loss) and CMA-ES on the loss; gradient descent with the true gradient
(``backprop``) and with the straight-through estimator, both from the GA's start."""


def threshold_race(
    problems: Iterable[str] = PROBLEMS,
    seeds: Iterable[int] = range(20),
    methods: Iterable[str] = THRESHOLD_METHODS,
    *,
    middle_layer: int = 10,
    MU: int = 100,
    generations: int = 300,
    max_steps: int = 5000,
    scheduler: str = "serial",
    workers: int | None = None,
    progress: bool | TextIO = False,
) -> pd.DataFrame:
    """Every method on the threshold network, every problem and seed: one row per run, in
    notebook 05's race's columns (so ``race_summary``, ``compare`` and ``plot_race`` read it).

    The data and the training target are the race's (:func:`~neuroevo_utils.race.training_target`),
    with a quarter held out. The evolutionary methods may evaluate ``MU x generations``
    networks; gradient descent may take ``max_steps`` steps.
    """
    methods = list(methods)
    unknown = [m for m in methods if m not in THRESHOLD_METHODS]
    if unknown:
        raise ValueError(f"unknown method {unknown[0]!r}; known: {', '.join(THRESHOLD_METHODS)}")
    values = validate_all(dict(middle_layer=middle_layer, MU=MU))
    budget = dict(values, generations=generations, max_steps=max_steps)
    tasks = [(method, problem, seed, budget)
             for problem in problems for seed in seeds for method in methods]  # fmt: skip
    rows = [None] * len(tasks)
    for index, row in results_as_completed(
        _threshold_task, tasks, scheduler, workers=workers, progress=progress, name="runs"
    ):
        rows[index] = row
    return pd.DataFrame(rows)


def _threshold_task(task: tuple[str, str, int, dict[str, int]]) -> dict[str, Any]:
    method, problem, seed, budget = task
    values = {**DEFAULTS, **validate_all({"problem": problem, "seed": seed, "test_size": 0.25})}
    X_train, X_test, Y_train, Y_test = experiment_data(values)
    target = training_target(problem, X_train, Y_train, seed)
    h = budget["middle_layer"]
    started = time.perf_counter()
    with single_threaded_blas():
        genome, work = _train_threshold(method, X_train, Y_train, h, seed, target, budget)
    seconds = time.perf_counter() - started
    train, test = (
        float(population_threshold_accuracy(genome[None], X, Y, h)[0])
        for X, Y in ((X_train, Y_train), (X_test, Y_test))
    )
    gradient = method in ("backprop", "straight-through")
    return {
        "method": method,
        "problem": problem,
        "seed": seed,
        "target": round(float(target), 3),
        "reached": bool(train >= target),
        "train_accuracy": round(train, 3),
        "test_accuracy": round(test, 3),
        "seconds": round(seconds, 4),
        "work": int(work),
        "work_unit": "gradient steps" if gradient else "evaluations",
    }


def _train_threshold(
    method: str, X: np.ndarray, Y: np.ndarray, h: int, seed: int, target: float,
    budget: dict[str, int],
) -> tuple[np.ndarray, int]:  # fmt: skip
    """One method's run: the genome it ends with and the work it took."""
    n_genes = genome_length(h)
    evaluations = budget["MU"] * budget["generations"]

    def accuracy_of(genomes):
        return population_threshold_accuracy(genomes, X, Y, h)

    if method in ("backprop", "straight-through"):
        network = ThresholdNetwork(2, h, 1)
        network.set_parameters(np.random.default_rng(seed).uniform(-1, 1, n_genes))  # GA's start
        steps = threshold_descent(
            network, X, Y, straight_through=method == "straight-through",
            target_accuracy=target, max_steps=budget["max_steps"],
        )  # fmt: skip
        return np.concatenate([p.ravel() for p in network.parameters]), steps
    if method == "CMA-ES + loss":
        engine = CmaEsEngine(X, Y, h, seed, "loss", hidden_activation=_step)
        done = engine.initialise()["nevals"]
        while engine.best_accuracy < target and done < evaluations:
            done += engine.run_round(1)[0]["nevals"]
        return engine.best_genome, done
    if method == "lesson GA":
        score = accuracy_of
    else:
        def score(genomes):
            logits = population_threshold_logits(genomes, X, h)
            return -loss_from_logits(logits, Y)
    found = {"work": 0}

    def reached(generation, done, genome):  # or out of evaluations, as CMA-ES is
        found["work"] = done
        return accuracy_of(genome[None])[0] >= target or done >= evaluations

    genome = genetic_algorithm(score, n_genes, seed, generations=evaluations,
                               population=budget["MU"], on_generation=reached)  # fmt: skip
    return genome, found["work"]
