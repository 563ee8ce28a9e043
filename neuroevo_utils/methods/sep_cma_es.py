"""Separable CMA-ES: CMA-ES whose covariance is kept diagonal (Ros and Hansen, 2008).

Introduced in notebook 07. The usual CMA-ES updates — weighted recombination of the best
half, the evolution path for the covariance, rank-one and rank-mu updates — with every matrix
a vector of variances, one step size per gene, and the covariance learning rates raised by
``(n + 2) / 3`` as Ros and Hansen advise. Memory and time per generation are O(genes x
population), where full CMA-ES's are O(genes squared) and more. It returns the mean.

The step size follows two-point adaptation (TPA; Hansen 2008) from 300 genes on, as pycma's
does: the first two samples of each generation are the mean plus and minus the last mean
shift, rescaled to a sample's length, and sigma grows when the forward one ranks better.
With cumulative step-size adaptation (CSA, used below 300 genes) the path that decides sigma
remembers about n / 10 generations (c_sigma = 0.0074 at 1,210 genes), so sigma shrank too
slowly and digits needed twice pycma's networks to 95% held out; with TPA the median over
ten seeds equals pycma's (``benchmarks/bench_peers.py``).
"""

from __future__ import annotations

import math

import numpy as np

from .base import MeanStrategy
from .cma_es import population_size

TPA_FROM = 300
"""Genes from which the step size follows two-point adaptation rather than CSA (pycma's)."""


class SeparableCmaEs(MeanStrategy):
    """Separable CMA-ES on the loss, from the problem's start and first step size."""

    def __init__(self, problem, settings, toolbox=None) -> None:
        super().__init__(problem, settings)
        self.rng = np.random.default_rng(settings.seed)
        self.mean = problem.mean_start(self.rng)
        self.sigma = problem.initial_step
        n = self.mean.size
        self.lam = population_size(n)
        self.mu = self.lam // 2
        weights = np.log((self.lam + 1) / 2) - np.log(np.arange(1, self.mu + 1))  # pycma's
        self.weights = weights / weights.sum()
        self.mueff = mueff = 1.0 / np.sum(self.weights**2)
        self.cs = (mueff + 2) / (n + mueff + 5)
        self.damps = 1 + 2 * max(0.0, math.sqrt((mueff - 1) / (n + 1)) - 1) + self.cs
        self.cc = (4 + mueff / n) / (n + 4 + 2 * mueff / n)
        self.c1 = 2 / ((n + 1.3) ** 2 + mueff) * (n + 2) / 3
        self.cmu = min(
            1 - self.c1, 2 * (mueff - 2 + 1 / mueff) / ((n + 2) ** 2 + mueff) * (n + 2) / 3
        )
        self.chi_n = math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n**2))
        self.variances, self.path_sigma, self.path_c = np.ones(n), np.zeros(n), np.zeros(n)
        self.generation = 0
        self.two_point = n >= TPA_FROM
        self.shift, self.tpa_state = None, 0.0  # the last mean shift; TPA's running rank
        self.tpa_damping = 0.7 + 2 * math.log(n) + 2 * math.log(max(1, self.lam - n))

    def ask(self) -> np.ndarray:
        self.z = self.rng.standard_normal((self.lam, self.mean.size))
        if self.two_point and self.shift is not None:  # probe along the last shift, both ways
            probe = self.shift / (self.sigma * np.sqrt(self.variances))
            probe *= np.linalg.norm(self.rng.standard_normal(self.mean.size)) / np.linalg.norm(
                probe
            )
            self.z[0], self.z[1] = probe, -probe
        self.steps = self.z * np.sqrt(self.variances)  # y = D z
        return self.mean + self.sigma * self.steps

    def tell(self, genomes, evaluation) -> None:
        n, cs, cc, mueff = self.mean.size, self.cs, self.cc, self.mueff
        self.generation += 1
        order = np.argsort(evaluation.loss)[: self.mu]
        step = self.weights @ self.steps[order]
        before = self.mean
        self.mean = self.mean + self.sigma * step
        self.path_sigma = (1 - cs) * self.path_sigma + math.sqrt(cs * (2 - cs) * mueff) * (
            self.weights @ self.z[order]
        )
        norm = np.linalg.norm(self.path_sigma)
        steady = norm / math.sqrt(1 - (1 - cs) ** (2 * self.generation)) < (
            1.4 + 2 / (n + 1)
        ) * self.chi_n
        self.path_c = (1 - cc) * self.path_c + steady * math.sqrt(cc * (2 - cc) * mueff) * step
        self.variances = (
            (1 - self.c1 - self.cmu) * self.variances
            + self.c1 * (self.path_c**2 + (not steady) * cc * (2 - cc) * self.variances)
            + self.cmu * (self.weights @ self.steps[order] ** 2)
        )
        if not self.two_point:  # CSA: sigma grows when the path is longer than by chance
            self.sigma *= math.exp(cs / self.damps * (norm / self.chi_n - 1))
            return
        if self.shift is not None:  # TPA: did the forward probe rank above the backward one?
            loss = evaluation.loss
            rank = (np.sum(loss < loss[1]) - np.sum(loss < loss[0])) / (self.lam - 1)
            self.tpa_state = 0.7 * self.tpa_state + 0.3 * np.sign(rank) * abs(rank) ** 0.5
            self.sigma *= math.exp(self.tpa_state / self.tpa_damping)
        self.shift = self.mean - before
