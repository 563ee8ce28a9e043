"""CMA-ES with DEAP's own ``deap.cma.Strategy`` (``algorithm="cma-es"``).

Introduced in notebook 05. CMA-ES samples a population around a mean, moves the mean towards
the best samples and adapts the shape (covariance) and size (sigma) of its search to the
steps that paid off. That needs a fitness that ranks samples finely: by default it minimises
the continuous cross-entropy loss (``fitness="loss"``, see :mod:`.loss_toolbox`); with
``fitness="accuracy"`` it maximises the lesson's staircase and, as notebook 05 measures,
mostly stalls. Either way it reports, and stops early, on accuracy like every other method;
the best network is the most accurate one it has seen.

It uses none of MU, CXPB, MUTPB or engine: CMA-ES samples DEAP's default population of
``4 + 3 ln(genes)`` (13 for 21 genes) around a mean it moves, from a covariance it adapts.
Its first step size is the problem's (0.5 on the toy problems: 1.0 overflowed the logits
and diverged on some seeds). The covariance is n x n, so on thousands of genes it is slow
(notebook 07 measures it); separable CMA-ES (:mod:`.sep_cma_es`) keeps only its diagonal.
"""

from __future__ import annotations

import math

import numpy as np
from deap import cma

from .base import Row, Strategy
from .loss_toolbox import LossIndividual
from .toolbox import Individual


class SeededStrategy(cma.Strategy):
    """``deap.cma.Strategy`` drawing from its own NumPy generator, not NumPy's global one."""

    def __init__(self, centroid: np.ndarray, sigma: float, rng: np.random.Generator,
                 population: int | None = None) -> None:  # fmt: skip
        extra = {} if population is None else {"lambda_": population}
        super().__init__(centroid=centroid, sigma=sigma, **extra)
        self.rng = rng

    def generate(self, ind_init):
        z = self.rng.standard_normal((self.lambda_, self.dim))  # as DEAP's, but seeded
        return [ind_init(row) for row in self.centroid + self.sigma * z @ self.BD.T]


def cma_es_generation(strategy, individual, evaluate):
    """One generation of CMA-ES: sample networks around the mean, rank them, adapt."""
    population = strategy.generate(individual)  # lambda_ networks around the mean
    for network, fitness in zip(population, evaluate(population), strict=True):
        network.fitness.values = fitness  # (loss, accuracy) or (accuracy,)
    strategy.update(population)  # the mean moves towards the best; steps are reshaped
    return population


STALL = 150
"""Generations without a more accurate network after which CMA-ES starts again from a fresh
start with twice its population (IPOP). On circles one seed of 20 stalled below 100% for its
whole budget without it."""
MOST_DOUBLINGS = 6
"""Restarts double the population at most this many times (64 x the default: 832 samples a
generation on the lesson's network), so that a long run's memory stays bounded."""


class CmaEs(Strategy):
    """CMA-ES from the problem's start (for the toy problems the GA's: every gene uniform in
    [-1, 1]), restarted from the best so far if its covariance breaks down. What it returns
    is the most accurate network it has sampled, as a hall of fame would keep."""

    def __init__(self, problem, settings, toolbox=None) -> None:
        super().__init__(problem, settings)
        self.rng = np.random.default_rng(settings.seed)
        self.start_mean = problem.mean_start(self.rng)
        self.step = problem.initial_step
        self.strategy = SeededStrategy(self.start_mean, self.step, self.rng)
        self.first_lambda = self.strategy.lambda_
        self.individual = LossIndividual if self.fitness == "loss" else Individual
        self.restarts, self._best_seen, self._since = 0, -np.inf, 0

    def first(self) -> np.ndarray:
        return self.start_mean[None, :]

    def tell_first(self, genomes, evaluation) -> None:
        pass  # the start is only reported

    def fitnesses(self, population: list) -> list[tuple[float, ...]]:
        """What :func:`cma_es_generation` ranks by: ``(loss, accuracy)`` per network with the
        loss fitness, ``(accuracy,)`` without; the most accurate so far is kept."""
        genomes = np.array(population)
        self._row = self._evaluate_and_tell(genomes, tell=self._keep)
        if self._evaluation.loss is not None:
            accuracy = self._evaluation.accuracy.tolist()
            return list(zip(self._evaluation.loss.tolist(), accuracy, strict=True))
        return [(a,) for a in self._evaluation.accuracy.tolist()]

    def _keep(self, genomes, evaluation) -> None:
        self._evaluation = evaluation

    def run(self, generations: int) -> list[Row]:
        return [self._generation() for _ in range(generations)]

    def _generation(self) -> Row:
        try:
            # After many generations the covariance can lose its positive eigenvalues; DEAP
            # then takes square roots of negative numbers. That is detected just below.
            with np.errstate(invalid="ignore"):
                cma_es_generation(self.strategy, self.individual, self.fitnesses)
            healthy = self.strategy.sigma > 0 and all(
                np.isfinite(matrix).all() for matrix in (self.strategy.C, self.strategy.BD)
            )
        except np.linalg.LinAlgError:
            healthy = False
        if not healthy:  # the covariance broke down: start afresh around the best so far
            self.strategy = SeededStrategy(self.best_genome.copy(), self.step, self.rng,
                                           self.strategy.lambda_)  # fmt: skip
            self.restarts += 1
        elif self._stalled():  # IPOP: a fresh start, twice the samples (Auger & Hansen 2005)
            grown = min(2 * self.strategy.lambda_, self.first_lambda << MOST_DOUBLINGS)
            self.strategy = SeededStrategy(self.problem.mean_start(self.rng), self.step,
                                           self.rng, grown)  # fmt: skip
            self.restarts += 1
            self._best_seen, self._since = -np.inf, 0
        return self._row

    def _stalled(self) -> bool:
        """The current run (since the start or the last restart) has found no more accurate
        network for STALL generations."""
        accuracy = float(np.max(self._evaluation.accuracy))
        if accuracy > self._best_seen:
            self._best_seen, self._since = accuracy, 0
            return False
        self._since += 1
        return self._since >= STALL


def population_size(genes: int) -> int:
    """Networks CMA-ES samples per generation: its default ``4 + 3 ln(genes)`` (13 for the
    lesson's 21 genes, 25 for 1,210)."""
    return int(4 + 3 * math.log(genes))
