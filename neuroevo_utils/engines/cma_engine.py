"""CMA-ES with DEAP's own ``deap.cma.Strategy`` (``algorithm="cma-es"``).

Introduced in notebook 05. CMA-ES samples a population around a mean, moves the mean towards
the best samples and adapts the shape (covariance) and size (sigma) of its search to the
steps that paid off. That needs a fitness that ranks samples finely: by default it minimises
the continuous cross-entropy loss (``fitness="loss"``, see :mod:`.loss_toolbox`); with
``fitness="accuracy"`` it maximises the lesson's staircase and, as notebook 05 measures,
mostly stalls. Either way it reports, and stops early, on accuracy like every other engine;
the best network is the most accurate one it has seen.

It uses none of MU, CXPB, MUTPB or engine: CMA-ES samples DEAP's default population of
``4 + 3 ln(genes)`` (13 for 21 genes) around a mean it moves, from a covariance it adapts.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from deap import cma

from ..network import genome_length, sigmoid
from ..population import loss_from_logits, population_accuracy, population_logits
from ..scoring import label_accuracy
from .base import GENE_HIGH, GENE_LOW, summarise_fitness
from .loss_toolbox import LossIndividual
from .toolbox import Individual

START_SIGMA = 0.5
"""The first step size. 1.0 overflowed the logits and diverged on some seeds."""


def population_size(middle_layer: int) -> int:
    """Networks CMA-ES samples per generation: DEAP's default ``4 + 3 ln(genes)``."""
    return int(4 + 3 * math.log(genome_length(middle_layer)))


class SeededStrategy(cma.Strategy):
    """``deap.cma.Strategy`` drawing from its own NumPy generator, not NumPy's global one."""

    def __init__(self, centroid: np.ndarray, sigma: float, rng: np.random.Generator) -> None:
        super().__init__(centroid=centroid, sigma=sigma)
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


class CmaEsEngine:
    """CMA-ES from a uniform(-1, 1) start (the GA's), restarted from the best if it diverges."""

    def __init__(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        middle_layer: int,
        seed: int,
        fitness: str = "loss",
        hidden_activation: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> None:
        """``hidden_activation``: the hidden units' (default the lesson's ``tanh``; notebook
        07 trains a network of steps, :mod:`neuroevo_utils.threshold`)."""
        self.X, self.Y, self.middle_layer = X, Y, middle_layer
        self.hidden_activation = hidden_activation
        self.uses_loss = fitness == "loss"
        self.rng = np.random.default_rng(seed)
        start = self.rng.uniform(GENE_LOW, GENE_HIGH, genome_length(middle_layer))
        self.strategy = SeededStrategy(start, START_SIGMA, self.rng)
        self.best_genome, self.best_accuracy = start, -np.inf
        self.restarts = 0

    def _evaluate(self, genomes: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Accuracy, and with the loss fitness the loss, from one pass over the network."""
        if self.uses_loss or self.hidden_activation is not None:  # one pass, not two
            activation = self.hidden_activation or np.tanh
            logits = population_logits(genomes, self.X, self.middle_layer, activation)
            loss = loss_from_logits(logits, self.Y) if self.uses_loss else None
            accuracy = label_accuracy(np.round(sigmoid(logits)), self.Y, axis=1)
        else:
            loss, accuracy = None, population_accuracy(genomes, self.X, self.Y, self.middle_layer)
        best = int(np.argmax(accuracy))
        if accuracy[best] > self.best_accuracy:  # strictly better, as a hall of fame
            self.best_accuracy, self.best_genome = float(accuracy[best]), genomes[best].copy()
        return accuracy, loss

    def initialise(self) -> dict[str, float]:
        accuracy, _ = self._evaluate(self.strategy.centroid[None, :])
        return summarise_fitness(accuracy, 1)

    def fitnesses(self, population: list) -> list[tuple[float, ...]]:
        """What :func:`cma_es_generation` ranks by: ``(loss, accuracy)`` per network with the
        loss fitness, ``(accuracy,)`` without; the most accurate so far is kept."""
        accuracy, loss = self._evaluate(np.array(population))
        self._accuracy = accuracy
        if loss is not None:
            return list(zip(loss.tolist(), accuracy.tolist(), strict=True))
        return [(a,) for a in accuracy.tolist()]

    def _generation(self) -> dict[str, float]:
        individual = LossIndividual if self.uses_loss else Individual
        try:
            # After many generations the covariance can lose its positive eigenvalues; DEAP
            # then takes square roots of negative numbers. That is detected just below.
            with np.errstate(invalid="ignore"):
                cma_es_generation(self.strategy, individual, self.fitnesses)
            healthy = self.strategy.sigma > 0 and all(
                np.isfinite(matrix).all() for matrix in (self.strategy.C, self.strategy.BD)
            )
        except np.linalg.LinAlgError:
            healthy = False
        if not healthy:  # the covariance broke down: start afresh around the best so far
            self.strategy = SeededStrategy(self.best_genome.copy(), START_SIGMA, self.rng)
            self.restarts += 1
        return summarise_fitness(self._accuracy, len(self._accuracy))

    def run_round(self, generations: int) -> list[dict[str, float]]:
        return [self._generation() for _ in range(generations)]
