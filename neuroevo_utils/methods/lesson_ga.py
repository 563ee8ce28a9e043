"""DEAP's own ``eaSimple`` on a toolbox: the lesson's loop, and the same loop made fast.

Introduced in notebook 04. Both engines run ``algorithms.eaSimple`` for RGEN generations per
round with a hall of fame, exactly as the lesson does, on whatever toolbox they are given —
the reader's, if notebook 04 passes one — so an edited operator is the operator that runs.
A toolbox builds the lesson's 2-h-1 network, so these engines run the problems that use it;
the array GA (:mod:`.array_ga`) runs the same algorithm on any problem.

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
from deap import algorithms, tools

from ..population import single_threaded_blas
from .base import STATISTICS, Row, Strategy
from .loss_toolbox import build_loss_toolbox
from .run_stream import StreamBinder
from .toolbox import build_toolbox


class PopulationMap:
    """A ``toolbox.map`` that evaluates a whole generation's networks in one NumPy pass.

    ``eaSimple`` evaluates with ``toolbox.map(toolbox.evaluate, individuals)``. This map
    returns what the lesson's ``evaluate`` returns — ``(training accuracy,)`` — for all of
    them at once (:meth:`~neuroevo_utils.problems.Problem.evaluate`); with ``fitness="loss"``,
    what notebook 05's returns, ``(loss, accuracy)``. So that an edited ``evaluate`` is never
    silently replaced, each call also runs ``evaluate`` on the first individual and compares
    (the loss to a relative 1e-9, since sums in another order round differently): on a
    difference it warns once and from then on maps ``evaluate`` over the individuals one at
    a time, as DEAP's default map does.
    """

    def __init__(self, problem, fitness: str = "accuracy") -> None:
        self.problem, self.fitness = problem, fitness
        self.batched = True

    def __call__(self, evaluate: Callable, individuals: Iterable[Sequence[float]]) -> list:
        individuals = list(individuals)
        if not self.batched or not individuals:
            return list(map(evaluate, individuals))
        genes = itertools.chain.from_iterable(individuals)
        genomes = np.fromiter(genes, float, len(individuals) * self.problem.genes)
        evaluation = self.problem.evaluate(genomes.reshape(-1, self.problem.genes), self.fitness)
        accuracies = evaluation.accuracy.tolist()
        if evaluation.loss is not None:
            fitnesses = list(zip(evaluation.loss.tolist(), accuracies, strict=True))
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


def _is_deaps_default(registered: Callable, function: Callable) -> bool:
    return getattr(registered, "func", None) is function


class DeapGA(Strategy):
    """The lesson's loop on a toolbox: ``eaSimple`` a round at a time, with a hall of fame.

    ``toolbox``: the function that builds it from ``(X, Y, middle_layer)`` (notebook 04's
    ``build_toolbox``, notebook 05's ``build_loss_toolbox``, as written in their cells;
    default: the package's copy for the fitness). Engine ``"deap"`` replaces DEAP's default
    ``map`` and ``clone``, on a copy of the toolbox, by :class:`PopulationMap` and
    :func:`clone`; engine ``"lesson"`` runs the toolbox as it is.

    With ``fitness="loss"`` the toolbox's fitness is ``(loss, accuracy)``: selection follows
    the loss, while the hall of fame (:class:`MostAccurate`), the logbook and early stopping
    follow accuracy.

    Every draw, the toolbox's genes included, comes from the run's own
    ``random.Random(seed)`` through copies of DEAP's functions (:mod:`.run_stream`): the
    numbers ``random.seed(seed)`` would give the lesson's loop, whatever else the process
    draws.
    """

    def __init__(self, problem, settings, toolbox=None) -> None:
        super().__init__(problem, settings)
        build = toolbox or (build_loss_toolbox if self.fitness == "loss" else build_toolbox)
        self.stream = random.Random(settings.seed)
        binder = StreamBinder(self.stream)
        # A copy drawing from the run's stream; registering on it leaves the reader's alone.
        toolbox = binder(build(problem.X_train, problem.Y_train, problem.shape.hidden))
        if settings.engine == "deap":
            if _is_deaps_default(toolbox.map, map):
                toolbox.register("map", PopulationMap(problem, self.fitness))
            if _is_deaps_default(toolbox.clone, copy.deepcopy):
                toolbox.register("clone", clone)
        self.toolbox, self.cxpb, self.mutpb = toolbox, settings.CXPB, settings.MUTPB
        self.ea_simple = binder(algorithms.eaSimple)  # DEAP's own, drawing from the run's stream
        # Accuracy is the fitness's last value, whichever fitness the toolbox has.
        self.statistics = tools.Statistics(lambda individual: individual.fitness.values[-1])
        for name, function in STATISTICS.items():
            self.statistics.register(name, function)
        self.hall_of_fame = MostAccurate() if self.fitness == "loss" else tools.HallOfFame(1)
        self.population = toolbox.population(n=settings.MU)

    def _generations(self, generations: int):
        """``generations`` more generations of ``eaSimple``: the population and its logbook."""
        return self.ea_simple(
            self.population, self.toolbox, cxpb=self.cxpb, mutpb=self.mutpb, ngen=generations,
            stats=self.statistics, halloffame=self.hall_of_fame, verbose=False,
        )  # fmt: skip

    def _run(self, generations: int) -> list[Row]:
        with single_threaded_blas():
            self.population, logbook = self._generations(generations)
        return [
            {"nevals": int(row["nevals"]), **{k: float(row[k]) for k in STATISTICS}}
            for row in logbook
        ]

    def start(self) -> Row:
        # Generation 0 of eaSimple evaluates the population it is given.
        return self._run(0)[0]

    def run(self, generations: int) -> list[Row]:
        # Row 0 of each later eaSimple call re-reports the population it was given.
        return self._run(generations)[1:]

    def best(self) -> tuple[np.ndarray, float]:
        best = self.hall_of_fame[0]
        return np.array(best, dtype=float), float(best.fitness.values[-1])
