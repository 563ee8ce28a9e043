"""The lesson's genetic algorithm in DEAP: toolbox, fitness, and two ways to run a generation.

Introduced in notebook 04.

* :func:`build_toolbox` registers the lesson's operators: genes uniform(-1, 1),
  ``selTournament(tournsize=5)``, ``cxBlend(alpha=.5)``,
  ``mutGaussian(mu=0, sigma=.1, indpb=.25)`` and an ``evaluate`` returning accuracy.
* :class:`LessonLoop` runs the lesson's loop literally: ``algorithms.eaSimple`` for
  ``RGEN`` generations per round, one individual evaluated at a time.
* :class:`BatchedDeapLoop` makes exactly the same random draws in the same order (DEAP's
  own ``selTournament``, ``varAnd``, ``cxBlend``, ``mutGaussian``), but evaluates all new
  individuals of a generation in one NumPy pass and clones individuals with a shallow copy
  instead of ``deepcopy``. Same seed, same run as :class:`LessonLoop`, several times faster.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from typing import Any

import numpy as np
from deap import algorithms, base, tools

from .network import NeuralNetwork, genome_length
from .population import population_accuracy, single_threaded_blas

GENE_LOW, GENE_HIGH = -1.0, 1.0
TOURNAMENT_SIZE = 5
BLEND_ALPHA = 0.5
MUTATION_MU, MUTATION_SIGMA, MUTATION_INDPB = 0.0, 0.1, 0.25


class AccuracyFitness(base.Fitness):
    """One objective, training accuracy, maximised (weight +1).

    The lesson minimised ``1/np.sum(correct)/N``: that is ``1/(correct*N)``, not
    ``1/accuracy``, and it divides by zero when no point is right. Maximising accuracy
    ranks individuals exactly as the lesson's fitness did, so the search is unchanged.
    """

    weights = (1.0,)


class Individual(list):
    """A genome: a list of floats with a ``fitness``, like ``creator.Individual``.

    Defined as a plain class rather than with ``creator.create``, so re-running a
    notebook cell never warns about overwriting a class.
    """

    def __init__(self, genes: Any = ()) -> None:
        super().__init__(genes)
        self.fitness = AccuracyFitness()


def clone_individual(individual: Individual) -> Individual:
    """A copy that is safe to modify: genes are immutable floats, so a shallow copy suffices.

    Built without calling ``__init__`` (DEAP's ``Fitness.__init__`` runs an ``isinstance``
    check against an abstract class, which costs more than copying the genes).
    """
    twin = Individual.__new__(Individual)
    twin[:] = individual
    fitness = AccuracyFitness.__new__(AccuracyFitness)
    fitness.wvalues = individual.fitness.wvalues
    twin.fitness = fitness
    return twin


def genome_matrix(individuals: Sequence[Sequence[float]], n_genes: int) -> np.ndarray:
    """Individuals (lists of floats) as a float64 array ``(P, n_genes)``.

    ``np.fromiter`` over the concatenated genes is several times faster than ``np.asarray``
    on a list of list subclasses, which NumPy inspects one by one.
    """
    if any(len(individual) != n_genes for individual in individuals):
        raise ValueError(f"every individual must have {n_genes} genes")
    genes = itertools.chain.from_iterable(individuals)
    return np.fromiter(genes, float, len(individuals) * n_genes).reshape(-1, n_genes)


def build_toolbox(X: np.ndarray, Y: np.ndarray, middle_layer: int) -> base.Toolbox:
    """The lesson's DEAP toolbox for a 2-``middle_layer``-1 network trained on ``X, Y``.

    ``toolbox.evaluate(individual)`` returns ``(accuracy,)`` for one individual, through
    :meth:`NeuralNetwork.set_parameters` and :meth:`NeuralNetwork.predict` as in the lesson.
    """
    n_genes = genome_length(middle_layer, n_in=X.shape[1])
    network = NeuralNetwork(X.shape[1], middle_layer, 1)

    def evaluate(individual: Individual) -> tuple[float]:
        network.set_parameters(individual)
        return (float(np.sum(network.predict(X) == Y) / Y.shape[0]),)

    toolbox = base.Toolbox()
    toolbox.register("attr_float", random.uniform, GENE_LOW, GENE_HIGH)
    toolbox.register("individual", tools.initRepeat, Individual, toolbox.attr_float, n=n_genes)
    toolbox.register("population", tools.initRepeat, list, toolbox.individual)
    toolbox.register("select", tools.selTournament, tournsize=TOURNAMENT_SIZE)
    toolbox.register("mate", tools.cxBlend, alpha=BLEND_ALPHA)
    toolbox.register(
        "mutate", tools.mutGaussian, mu=MUTATION_MU, sigma=MUTATION_SIGMA, indpb=MUTATION_INDPB
    )
    toolbox.register("evaluate", evaluate)
    return toolbox


def summarise_fitness(fitnesses: np.ndarray, nevals: int) -> dict[str, float]:
    """One logbook row: evaluations made and the population's accuracy statistics."""
    return {
        "nevals": int(nevals),
        "avg": float(np.mean(fitnesses)),
        "std": float(np.std(fitnesses)),
        "min": float(np.min(fitnesses)),
        "max": float(np.max(fitnesses)),
    }


class _DeapLoop:
    """What both DEAP loops share: the population, the hall of fame, the best so far."""

    def __init__(self, X, Y, middle_layer, MU, CXPB, MUTPB) -> None:
        self.X, self.Y, self.middle_layer = X, Y, middle_layer
        self.cxpb, self.mutpb = CXPB, MUTPB
        self.toolbox = build_toolbox(X, Y, middle_layer)
        self.population = self.toolbox.population(n=MU)
        self.hall_of_fame = tools.HallOfFame(1)

    @property
    def best_genome(self) -> np.ndarray:
        return np.array(self.hall_of_fame[0], dtype=float)

    @property
    def best_accuracy(self) -> float:
        return float(self.hall_of_fame[0].fitness.values[0])


class LessonLoop(_DeapLoop):
    """The lesson's loop: ``eaSimple`` per round, per-individual evaluation, ``deepcopy`` clones."""

    def initialise(self) -> dict[str, float]:
        for individual in self.population:
            individual.fitness.values = self.toolbox.evaluate(individual)
        self.hall_of_fame.update(self.population)
        return summarise_fitness(
            np.array([i.fitness.values[0] for i in self.population]), len(self.population)
        )

    def run_round(self, generations: int) -> list[dict[str, float]]:
        stats = tools.Statistics(lambda ind: ind.fitness.values[0])
        for name, func in (("avg", np.mean), ("std", np.std), ("min", np.min), ("max", np.max)):
            stats.register(name, func)
        self.population, logbook = algorithms.eaSimple(
            self.population,
            self.toolbox,
            cxpb=self.cxpb,
            mutpb=self.mutpb,
            ngen=generations,
            stats=stats,
            halloffame=self.hall_of_fame,
            verbose=False,
        )
        # Row 0 of each eaSimple call re-reports the population it was given (0 evaluations).
        return [
            {"nevals": int(r["nevals"]), **{k: float(r[k]) for k in ("avg", "std", "min", "max")}}
            for r in logbook[1:]
        ]


class BatchedDeapLoop(_DeapLoop):
    """Same draws as :class:`LessonLoop`; one NumPy pass evaluates each generation."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.toolbox.register("clone", clone_individual)
        self.n_genes = genome_length(self.middle_layer, n_in=self.X.shape[1])

    def _evaluate(self, individuals: list[Individual]) -> None:
        if individuals:
            genomes = genome_matrix(individuals, self.n_genes)
            accuracies = population_accuracy(genomes, self.X, self.Y, self.middle_layer)
            for individual, accuracy in zip(individuals, accuracies.tolist(), strict=True):
                # What ``fitness.values = (accuracy,)`` stores, as the weight is 1.0.
                individual.fitness.wvalues = (accuracy,)

    def _record(self, population: list[Individual], nevals: int) -> dict[str, float]:
        fitnesses = np.fromiter((i.fitness.wvalues[0] for i in population), float, len(population))
        # HallOfFame(1).update keeps the first individual with the highest fitness, so
        # offering it only that one gives the same result as offering everyone.
        self.hall_of_fame.update([population[int(np.argmax(fitnesses))]])
        return summarise_fitness(fitnesses, nevals)

    def initialise(self) -> dict[str, float]:
        self._evaluate(self.population)
        return self._record(self.population, len(self.population))

    def run_round(self, generations: int) -> list[dict[str, float]]:
        rows = []
        with single_threaded_blas():
            for _ in range(generations):
                offspring = self.toolbox.select(self.population, len(self.population))
                offspring = algorithms.varAnd(offspring, self.toolbox, self.cxpb, self.mutpb)
                invalid = [ind for ind in offspring if not ind.fitness.valid]
                self._evaluate(invalid)
                self.population[:] = offspring
                rows.append(self._record(self.population, len(invalid)))
        return rows
