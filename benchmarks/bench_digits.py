"""Benchmark: evolution against backprop on real data, digits, to the same held-out target.

    .venv/bin/python benchmarks/bench_digits.py            # 5 seeds, target 95%
    .venv/bin/python benchmarks/bench_digits.py --seeds 2 --target 0.9

Groundwork for notebook 07 (issue 21). For each seed: scikit-learn's digits, 25% held out
(stratified, seeded); a 64-16-10 network (1,210 genes). The evolution strategy of
``neuroevo_utils.digits`` (population 100) checks its mean network's held-out accuracy every
10 generations; backprop (scikit-learn's ``MLPClassifier``, Adam, the same 16 tanh units)
checks after every epoch. Each stops at the target or at its time limit. Both run in this
process, one after the other per seed, on the same data; the table gives seconds and work to
the target (networks evaluated, or epochs) and the medians.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from neuroevo_utils.digits import digits_data, evolution_strategy, population_digits_accuracy

MIDDLE_LAYER = 16
POPULATION = 100
CHECK_EVERY = 10


def evolution_to_target(seed: int, target: float, limit: float) -> tuple[bool, float, int]:
    X_train, X_test, Y_train, Y_test = digits_data(seed)
    started, reached, done = time.perf_counter(), [False], [0]

    def check(generation, mean):
        done[0] = generation
        if generation % CHECK_EVERY:
            return False
        accuracy = population_digits_accuracy(mean[None], X_test, Y_test, MIDDLE_LAYER)[0]
        reached[0] = accuracy >= target
        return reached[0] or time.perf_counter() - started > limit

    evolution_strategy(X_train, Y_train, MIDDLE_LAYER, seed, generations=10**6,
                       population=POPULATION, on_generation=check)  # fmt: skip
    return reached[0], time.perf_counter() - started, done[0] * POPULATION


def backprop_to_target(seed: int, target: float, limit: float) -> tuple[bool, float, int]:
    X_train, X_test, Y_train, Y_test = digits_data(seed)
    model = MLPClassifier(hidden_layer_sizes=(MIDDLE_LAYER,), activation="tanh",
                          random_state=seed)  # fmt: skip
    started, epochs, classes = time.perf_counter(), 0, np.arange(10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        while time.perf_counter() - started <= limit:
            model.partial_fit(X_train, Y_train, classes=classes)
            epochs += 1
            if model.score(X_test, Y_test) >= target:
                return True, time.perf_counter() - started, epochs
    return False, time.perf_counter() - started, epochs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--target", type=float, default=0.95)
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per run at most")
    options = parser.parse_args()
    print(f"| seed | evolution strategy: s to {options.target:.0%} | networks evaluated "
          "| backprop: s | epochs |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|")
    results = {"es": [], "bp": []}
    for seed in range(options.seeds):
        es = evolution_to_target(seed, options.target, options.limit)
        bp = backprop_to_target(seed, options.target, options.limit)
        results["es"].append(es)
        results["bp"].append(bp)
        cells = [f"{s:.1f}" if ok else f">{s:.0f}" for ok, s, _ in (es, bp)]
        print(f"| {seed} | {cells[0]} | {es[2]:,} | {cells[1]} | {bp[2]} |", flush=True)
    for name, runs in (("evolution strategy", results["es"]), ("backprop", results["bp"])):
        reached = [s for ok, s, _ in runs if ok]
        median = f"{statistics.median(reached):.1f} s" if reached else "-"
        print(f"{name}: reached {len(reached)} of {len(runs)}, median {median}")


if __name__ == "__main__":
    main()
