"""What a population pass costs, against this machine's floor, measured now.

Introduced in notebook 07 (why evaluation dominates evolution's cost); the peers benchmark
(``benchmarks/bench_peers.py``) prints the same measurement beside the libraries'.

A pass over a population must at least do its matrix products, its hidden ``tanh`` and, for a
softmax, its ``exp``. The floor is those three at the speed this machine runs them now: the
products at the GFLOP/s of a float32 product of the first layer's own shape, the other two
timed on arrays of the pass's sizes. Everything else the pass does (the biases, the labels,
the rest of the loss) is above the floor.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .population import single_threaded_blas
from .problems.base import Problem


@dataclass(frozen=True)
class PassCost:
    """Milliseconds of one pass and of its floor (one thread)."""

    product_ms: float
    """The first layer's float32 product alone."""
    gflops: float
    """The rate that product runs at."""
    products_ms: float
    """All the pass's products at that rate."""
    tanh_ms: float
    exp_ms: float
    pass_ms: float
    networks: int

    @property
    def floor_ms(self) -> float:
        return self.products_ms + self.tanh_ms + self.exp_ms

    @property
    def over_floor(self) -> float:
        return self.pass_ms / self.floor_ms


def _median_ms(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return 1e3 * statistics.median(times)


def pass_cost(problem: Problem, networks: int = 100, repeats: int = 40) -> PassCost:
    """Time ``problem``'s pass (loss and accuracy of ``networks`` genomes) and its floor."""
    shape, N = problem.shape, problem.X_train.shape[0]
    h, k, n_in = shape.hidden, shape.outputs, shape.inputs
    rng = np.random.default_rng(0)
    genomes = rng.normal(0.0, 0.125, (networks, problem.genes))
    weights = rng.standard_normal((networks * h, n_in + 1)).astype(np.float32)
    inputs = rng.standard_normal((n_in + 1, N)).astype(np.float32)
    hidden, out = np.empty((networks * h, N), np.float32), np.empty((networks * h, N), np.float32)
    logits = rng.standard_normal((networks * k, N)).astype(np.float32)
    scratch = np.empty_like(logits)
    with single_threaded_blas():
        product = _median_ms(lambda: np.matmul(weights, inputs, out=out), repeats)
        gflops = 2 * networks * h * (n_in + 1) * N / product / 1e6
        flops = 2 * networks * N * (h * (n_in + 1) + k * (h + 1))
        tanh = _median_ms(lambda: np.tanh(hidden, out=out), repeats)
        exp = _median_ms(lambda: np.exp(logits, out=scratch), repeats) if k > 1 else 0.0
        passed = _median_ms(lambda: problem.evaluate(genomes, "loss"), repeats)
    return PassCost(product, gflops, flops / gflops / 1e6, tanh, exp, passed, networks)
