"""Separable CMA-ES: CMA-ES whose covariance is kept diagonal (Ros and Hansen, 2008).

Introduced in notebook 07. The usual CMA-ES updates — weighted recombination of the best
half, the evolution paths for step size and covariance, rank-one and rank-mu updates — with
every matrix a vector of variances, one step size per gene, and the covariance learning
rates raised by ``(n + 2) / 3`` as Ros and Hansen advise. Memory and time per generation are
O(genes x population), where full CMA-ES's are O(genes squared) and more. It returns the mean.
"""

from __future__ import annotations

import math

import numpy as np

from .base import MeanStrategy
from .cma_es import population_size


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
        weights = np.log(self.mu + 0.5) - np.log(np.arange(1, self.mu + 1))
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

    def ask(self) -> np.ndarray:
        self.z = self.rng.standard_normal((self.lam, self.mean.size))
        self.steps = self.z * np.sqrt(self.variances)  # y = D z
        return self.mean + self.sigma * self.steps

    def tell(self, genomes, evaluation) -> None:
        n, cs, cc, mueff = self.mean.size, self.cs, self.cc, self.mueff
        self.generation += 1
        order = np.argsort(evaluation.loss)[: self.mu]
        step = self.weights @ self.steps[order]
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
        self.sigma *= math.exp(cs / self.damps * (norm / self.chi_n - 1))
