"""CMA-ES on a continuous loss, with DEAP's own ``deap.cma.Strategy`` (``algorithm="cma-es"``).

To be introduced in notebook 05. The lesson's fitness, accuracy, is a staircase: most small
steps in weight space change no label, so they score the same and give the search no slope.
This engine lets CMA-ES minimise the mean binary cross-entropy of the network's output
logits instead, which changes with every weight, while it reports and early-stops on
accuracy like every other engine. The best network is the most accurate one it has seen.

It uses none of MU, CXPB, MUTPB or engine: CMA-ES samples DEAP's default population of
``4 + 3 ln(genes)`` (13 for 21 genes) around a mean it moves, from a covariance it adapts.
"""

from __future__ import annotations

import numpy as np
from deap import base, cma

from ..network import genome_length
from ..population import population_logits
from .base import GENE_HIGH, GENE_LOW, summarise_fitness

START_SIGMA = 0.5
"""The first step size. 1.0 overflowed the logits and diverged on some seeds."""


class LossFitness(base.Fitness):
    """The cross-entropy loss, minimised (weight -1)."""

    weights = (-1.0,)


class LossIndividual(list):
    """A genome CMA-ES sampled, with its loss."""

    def __init__(self, genes=()) -> None:
        super().__init__(genes)
        self.fitness = LossFitness()


class SeededStrategy(cma.Strategy):
    """``deap.cma.Strategy`` drawing from its own NumPy generator, not NumPy's global one."""

    def __init__(self, centroid: np.ndarray, sigma: float, rng: np.random.Generator) -> None:
        super().__init__(centroid=centroid, sigma=sigma)
        self.rng = rng

    def generate(self, ind_init):
        z = self.rng.standard_normal((self.lambda_, self.dim))  # as DEAP's, but seeded
        return [ind_init(row) for row in self.centroid + self.sigma * z @ self.BD.T]


def loss_and_accuracy(
    genomes: np.ndarray, X: np.ndarray, Y: np.ndarray, middle_layer: int
) -> tuple[np.ndarray, np.ndarray]:
    """Mean binary cross-entropy and accuracy of each genome's network: two ``(P,)`` arrays."""
    z = population_logits(genomes, X, middle_layer)
    with np.errstate(invalid="ignore", over="ignore"):
        loss = np.mean(np.logaddexp(0.0, z) - Y * z, axis=1)
    loss[~np.isfinite(loss)] = np.finfo(float).max  # a diverging sample is simply the worst
    return loss, np.mean((z > 0) == (Y == 1), axis=1)


class CmaEsEngine:
    """CMA-ES from a uniform(-1, 1) start (the GA's), restarted from the best if it diverges."""

    def __init__(self, X: np.ndarray, Y: np.ndarray, middle_layer: int, seed: int) -> None:
        self.X, self.Y, self.middle_layer = X, Y, middle_layer
        self.rng = np.random.default_rng(seed)
        start = self.rng.uniform(GENE_LOW, GENE_HIGH, genome_length(middle_layer))
        self.strategy = SeededStrategy(start, START_SIGMA, self.rng)
        self.best_genome, self.best_accuracy = start, -np.inf
        self.restarts = 0

    def _evaluate(self, genomes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        loss, accuracy = loss_and_accuracy(genomes, self.X, self.Y, self.middle_layer)
        best = int(np.argmax(accuracy))
        if accuracy[best] > self.best_accuracy:  # strictly better, as a hall of fame
            self.best_accuracy, self.best_genome = float(accuracy[best]), genomes[best].copy()
        return loss, accuracy

    def initialise(self) -> dict[str, float]:
        _, accuracy = self._evaluate(self.strategy.centroid[None, :])
        return summarise_fitness(accuracy, 1)

    def _generation(self) -> dict[str, float]:
        population = self.strategy.generate(LossIndividual)
        loss, accuracy = self._evaluate(np.array(population))
        for individual, value in zip(population, loss.tolist(), strict=True):
            individual.fitness.values = (value,)
        try:
            self.strategy.update(population)
            healthy = np.isfinite(self.strategy.C).all() and self.strategy.sigma > 0
        except np.linalg.LinAlgError:
            healthy = False
        if not healthy:  # the covariance broke down: start afresh around the best so far
            self.strategy = SeededStrategy(self.best_genome.copy(), START_SIGMA, self.rng)
            self.restarts += 1
        return summarise_fitness(accuracy, len(population))

    def run_round(self, generations: int) -> list[dict[str, float]]:
        return [self._generation() for _ in range(generations)]
