"""DEAP's own ``eaSimple`` on a toolbox: the lesson's loop, and the same loop made fast.

Introduced in notebook 04. Both engines run ``algorithms.eaSimple`` for RGEN generations per
round with a hall of fame, exactly as the lesson does, on whatever toolbox they are given —
the reader's, if notebook 04 passes one — so an edited operator is the operator that runs.

* ``"lesson"``: the toolbox as it is: DEAP's ``map`` calls ``evaluate`` once per
  individual and ``clone`` is ``deepcopy``. The lesson's loop, literally.
* ``"deap"``: the same loop with two of DEAP's hooks set on a copy of the toolbox (where the
  toolbox still has DEAP's defaults): ``map`` evaluates a generation's new individuals in
  one NumPy pass (:class:`PopulationMap`) and ``clone`` copies an individual cheaply
  (:func:`clone`). Same draws, same run, several times faster.
"""

from __future__ import annotations

import copy
import itertools
import random
import warnings
from collections.abc import Callable, Iterable, Sequence

import numpy as np
from deap import algorithms, base, tools

from ..network import genome_length
from ..population import population_accuracy, population_loss, single_threaded_blas
from .base import STATISTICS
from .run_stream import bind_toolbox, drawing_from


class PopulationMap:
    """A ``toolbox.map`` that evaluates a whole generation's networks in one NumPy pass.

    ``eaSimple`` evaluates with ``toolbox.map(toolbox.evaluate, individuals)``. This map
    returns what the lesson's ``evaluate`` returns — ``(training accuracy,)`` — for all of
    them at once (:func:`~neuroevo_utils.population_accuracy`); with ``fitness="loss"``,
    what notebook 05's returns, ``(loss, accuracy)``. So that an edited ``evaluate`` is never
    silently replaced, each call also runs ``evaluate`` on the first individual and compares
    (the loss to a relative 1e-9, since sums in another order round differently): on a
    difference it warns once and from then on maps ``evaluate`` over the individuals one at
    a time, as DEAP's default map does.
    """

    def __init__(
        self, X: np.ndarray, Y: np.ndarray, middle_layer: int, fitness: str = "accuracy"
    ) -> None:
        self.X, self.Y, self.middle_layer = X, Y, middle_layer
        self.n_genes = genome_length(middle_layer)
        self.uses_loss = fitness == "loss"
        self.batched = True

    def __call__(self, evaluate: Callable, individuals: Iterable[Sequence[float]]) -> list:
        individuals = list(individuals)
        if not self.batched or not individuals:
            return list(map(evaluate, individuals))
        genes = itertools.chain.from_iterable(individuals)
        genomes = np.fromiter(genes, float, len(individuals) * self.n_genes)
        genomes = genomes.reshape(-1, self.n_genes)
        accuracies = population_accuracy(genomes, self.X, self.Y, self.middle_layer).tolist()
        if self.uses_loss:
            losses = population_loss(genomes, self.X, self.Y, self.middle_layer).tolist()
            fitnesses = list(zip(losses, accuracies, strict=True))
        else:
            fitnesses = [(accuracy,) for accuracy in accuracies]
        if not _same_fitness(tuple(evaluate(individuals[0])), fitnesses[0]):
            self.batched = False
            warnings.warn(
                "toolbox.evaluate no longer returns the training accuracy that engine 'deap' "
                "computes in one pass, so it now evaluates one individual at a time",
                stacklevel=2,
            )
            return list(map(evaluate, individuals))
        return fitnesses


def _same_fitness(given: tuple, computed: tuple) -> bool:
    if len(given) != len(computed) or given[-1] != computed[-1]:  # accuracy: exactly
        return False
    return all(np.isclose(g, c, rtol=1e-9, atol=0.0) for g, c in zip(given, computed, strict=True))


def clone(individual: list) -> list:
    """A copy of an individual that is safe to change: a new list of the same genes.

    Genes are floats, which never change in place, so ``deepcopy`` (DEAP's default clone)
    copying each of them is wasted work. The fitness is copied as DEAP's own
    ``Fitness.__deepcopy__`` does, through its public weighted values ``wvalues``.
    """
    twin = type(individual)(individual)
    twin.fitness.wvalues = individual.fitness.wvalues
    return twin


class MostAccurate(tools.HallOfFame):
    """A hall of fame of one that keeps the most accurate individual ever seen.

    DEAP's ``HallOfFame`` keeps the fittest, which under a loss fitness is the lowest loss,
    not always the most accurate network. This one ranks by accuracy, the fitness's last
    value; a later individual replaces the kept one only when strictly more accurate.
    """

    def __init__(self) -> None:
        super().__init__(1)

    def update(self, population: Sequence) -> None:
        best = max(population, key=lambda individual: individual.fitness.values[-1])
        if not self or best.fitness.values[-1] > self[0].fitness.values[-1]:
            self.clear()
            self.insert(best)


def elitist_generations(population, toolbox, CXPB, MUTPB, generations, stats=None,
                        hall_of_fame=None):
    """The elitist GA: MU children, then the best MU of parents and children survive."""
    survivors = copy.copy(toolbox)  # the same operators, but the best always survive:
    survivors.register("select", tools.selBest)
    return algorithms.eaMuPlusLambda(
        population, survivors, mu=len(population), lambda_=len(population),  # MU children
        cxpb=CXPB, mutpb=MUTPB,  # each child by crossover, or mutation, or a copy
        ngen=generations, stats=stats, halloffame=hall_of_fame, verbose=False,
    )


def _is_deaps_default(registered: Callable, function: Callable) -> bool:
    return getattr(registered, "func", None) is function


class DeapEngine:
    """The lesson's loop on ``toolbox``: ``eaSimple`` a round at a time, with a hall of fame.

    With ``fast=True`` (engine ``"deap"``), DEAP's default ``map`` and ``clone`` are
    replaced, on a copy of the toolbox, by :class:`PopulationMap` and :func:`clone`.

    With ``elitist=True`` (algorithm ``"elitist"``) each round is :func:`elitist_generations`,
    DEAP's ``eaMuPlusLambda``
    instead: MU children made with the toolbox's ``mate`` and ``mutate`` (each child by
    crossover with probability CXPB, by mutation with MUTPB, else a copy), then the best MU of
    parents and children survive (``select`` is ``selBest`` on the copy), so the best network
    is never lost. The lesson's ``eaSimple`` replaces every parent, the best included.

    With ``fitness="loss"`` the toolbox's fitness is ``(loss, accuracy)`` (notebook 05's
    :func:`~neuroevo_utils.engines.build_loss_toolbox`): selection follows the loss, while the
    hall of fame (:class:`MostAccurate`), the logbook and early stopping follow accuracy.

    Every draw, the toolbox's genes included, comes from the engine's own
    ``random.Random(seed)`` (:mod:`.run_stream`), the numbers ``random.seed(seed)`` would
    give the lesson's loop, so no other thread or run in the process can change the run.
    """

    def __init__(
        self,
        toolbox: base.Toolbox,
        X: np.ndarray,
        Y: np.ndarray,
        middle_layer: int,
        MU: int,
        CXPB: float,
        MUTPB: float,
        seed: int,
        fast: bool = True,
        elitist: bool = False,
        fitness: str = "accuracy",
    ) -> None:
        self.stream = random.Random(seed)
        # A copy drawing from the run's stream; registering on it leaves the reader's alone.
        toolbox = bind_toolbox(toolbox, self.stream)
        if fast:
            if _is_deaps_default(toolbox.map, map):
                toolbox.register("map", PopulationMap(X, Y, middle_layer, fitness))
            if _is_deaps_default(toolbox.clone, copy.deepcopy):
                toolbox.register("clone", clone)
        if elitist:
            if CXPB + MUTPB > 1:
                raise ValueError(
                    "the elitist GA makes each child by crossover (CXPB), mutation (MUTPB) or "
                    f"copying, so CXPB + MUTPB must be at most 1; got {CXPB} + {MUTPB}"
                )
        self.toolbox, self.cxpb, self.mutpb, self.elitist = toolbox, CXPB, MUTPB, elitist
        # Accuracy is the fitness's last value, whichever fitness the toolbox has.
        self.statistics = tools.Statistics(lambda individual: individual.fitness.values[-1])
        for name, function in STATISTICS.items():
            self.statistics.register(name, function)
        self.hall_of_fame = MostAccurate() if fitness == "loss" else tools.HallOfFame(1)
        with drawing_from(self.stream):
            self.population = toolbox.population(n=MU)

    def _ea_simple(self, generations: int) -> list[dict[str, float]]:
        common = dict(
            cxpb=self.cxpb, mutpb=self.mutpb, ngen=generations, stats=self.statistics,
            halloffame=self.hall_of_fame, verbose=False,
        )  # fmt: skip
        with single_threaded_blas(), drawing_from(self.stream):
            if self.elitist:  # notebook 05 writes elitist_generations in a cell
                self.population, logbook = elitist_generations(
                    self.population, self.toolbox, self.cxpb, self.mutpb, generations,
                    self.statistics, self.hall_of_fame,
                )  # fmt: skip
            else:
                self.population, logbook = algorithms.eaSimple(
                    self.population, self.toolbox, **common
                )
        return [
            {"nevals": int(row["nevals"]), **{k: float(row[k]) for k in STATISTICS}}
            for row in logbook
        ]

    def initialise(self) -> dict[str, float]:
        # Generation 0 of eaSimple evaluates the population it is given.
        return self._ea_simple(0)[0]

    def run_round(self, generations: int) -> list[dict[str, float]]:
        # Row 0 of each later eaSimple call re-reports the population it was given.
        return self._ea_simple(generations)[1:]

    @property
    def best_genome(self) -> np.ndarray:
        return np.array(self.hall_of_fame[0], dtype=float)

    @property
    def best_accuracy(self) -> float:
        return float(self.hall_of_fame[0].fitness.values[-1])
