"""The lesson's genetic algorithm on a population held as one NumPy array.

Introduced in notebook 04 (section "Making it fast"). The algorithm is the one DEAP runs
in :mod:`neuroevo_utils.ga`, operator for operator:

* genes uniform(-1, 1);
* tournament selection of size 5 (ties go to the first aspirant drawn, as in DEAP);
* blend crossover, alpha = .5, on consecutive pairs, each pair with probability CXPB
  (DEAP's ``varAnd``);
* Gaussian mutation, sigma = .1, of each gene with probability .25, applied to each
  individual with probability MUTPB;
* only the changed individuals are evaluated; a hall of fame keeps the best ever seen.

Its random numbers come from one seeded ``numpy.random.Generator`` in whole arrays, so
it follows a different (equally valid) trajectory than DEAP for the same seed.
"""

from __future__ import annotations

import numpy as np

from .ga import (
    BLEND_ALPHA,
    GENE_HIGH,
    GENE_LOW,
    MUTATION_INDPB,
    MUTATION_MU,
    MUTATION_SIGMA,
    TOURNAMENT_SIZE,
    summarise_fitness,
)
from .network import genome_length
from .population import population_accuracy


class NumpyLoop:
    """One population of shape (MU, genes), evolved a round at a time."""

    def __init__(self, X, Y, middle_layer, MU, CXPB, MUTPB, seed) -> None:
        self.X, self.Y, self.middle_layer = X, Y, middle_layer
        self.cxpb, self.mutpb = CXPB, MUTPB
        self.rng = np.random.default_rng(seed)
        n_genes = genome_length(middle_layer, n_in=X.shape[1])
        self.population = self.rng.uniform(GENE_LOW, GENE_HIGH, size=(MU, n_genes))
        self.fitness = np.empty(MU)
        self.best_genome = self.population[0].copy()
        self.best_accuracy = -np.inf

    def _evaluate(self, rows: np.ndarray) -> None:
        if rows.size:
            self.fitness[rows] = population_accuracy(
                self.population[rows], self.X, self.Y, self.middle_layer
            )

    def _record(self, nevals: int) -> dict[str, float]:
        best = int(np.argmax(self.fitness))
        if self.fitness[best] > self.best_accuracy:  # strictly better, as DEAP's HallOfFame
            self.best_accuracy = float(self.fitness[best])
            self.best_genome = self.population[best].copy()
        return summarise_fitness(self.fitness, nevals)

    def initialise(self) -> dict[str, float]:
        everyone = np.arange(len(self.population))
        self._evaluate(everyone)
        return self._record(len(everyone))

    def _select(self) -> np.ndarray:
        size = len(self.population)
        aspirants = self.rng.integers(0, size, size=(size, TOURNAMENT_SIZE))
        winners = np.argmax(self.fitness[aspirants], axis=1)
        return aspirants[np.arange(size), winners]

    def _crossover(self, changed: np.ndarray) -> None:
        pairs = len(self.population) // 2
        mated = np.flatnonzero(self.rng.random(pairs) < self.cxpb)
        first, second = 2 * mated, 2 * mated + 1
        a, b = self.population[first], self.population[second]
        gamma = (1.0 + 2.0 * BLEND_ALPHA) * self.rng.random(a.shape) - BLEND_ALPHA
        # (1-g)a + gb = a + g(b-a) and ga + (1-g)b = b - g(b-a): one product, not four.
        step = gamma * (b - a)
        self.population[first] = a + step
        self.population[second] = b - step
        changed[first] = changed[second] = True

    def _mutate(self, changed: np.ndarray) -> None:
        mutants = np.flatnonzero(self.rng.random(len(self.population)) < self.mutpb)
        hit_rows, hit_genes = np.nonzero(
            self.rng.random((mutants.size, self.population.shape[1])) < MUTATION_INDPB
        )
        # Normal draws only for the genes hit (a quarter of them): the costly part.
        self.population[mutants[hit_rows], hit_genes] += self.rng.normal(
            MUTATION_MU, MUTATION_SIGMA, size=hit_rows.size
        )
        changed[mutants] = True

    def run_round(self, generations: int) -> list[dict[str, float]]:
        rows = []
        for _ in range(generations):
            chosen = self._select()
            self.population = self.population[chosen]  # fancy indexing copies
            self.fitness = self.fitness[chosen]
            changed = np.zeros(len(self.population), dtype=bool)
            self._crossover(changed)
            self._mutate(changed)
            to_evaluate = np.flatnonzero(changed)
            self._evaluate(to_evaluate)
            rows.append(self._record(to_evaluate.size))
        return rows
