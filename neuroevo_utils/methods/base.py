"""One interface for every search method: ask for genomes, tell how they scored.

Introduced in notebook 05, where several algorithms train the same network, and used by every
method since. A method is a :class:`Strategy` (as in pycma's ``OOOptimizer`` or evosax's
strategies): :meth:`Strategy.ask` proposes genomes, the problem scores them, and
:meth:`Strategy.tell` hands the scores back. The base class keeps the best network seen so
far (by training accuracy, as the lesson's hall of fame does) and turns a generation into a
logbook row, once for every method. One loop runs every strategy
(:func:`neuroevo_utils.evolution.run`): budget, rounds, reports, early stop.

A strategy that is naturally a whole loop — DEAP's ``eaSimple`` on a toolbox, which
evaluates through the toolbox — overrides :meth:`Strategy.run` and :meth:`Strategy.best`
instead of ask/tell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from ..population import single_threaded_blas

if TYPE_CHECKING:
    from deap import base as deap_base

    from ..problems.base import Evaluation, Problem
    from ..settings import Settings

Row = dict[str, float]
"""One logbook row: ``nevals`` and the population's accuracy ``avg, std, min, max``."""

STATISTICS = {"avg": np.mean, "std": np.std, "min": np.min, "max": np.max}
"""The population's accuracy statistics in every logbook row (the DEAP strategies register
the same functions in DEAP's ``Statistics``)."""


def summarise_fitness(accuracy: np.ndarray, nevals: int) -> Row:
    """One logbook row: evaluations made and the population's accuracy statistics."""
    return {"nevals": int(nevals), **{k: float(f(accuracy)) for k, f in STATISTICS.items()}}


class Strategy:
    """A search method on one problem, with the settings it runs with.

    Subclasses implement :meth:`first` (the genomes evaluated before the first generation),
    :meth:`ask` and :meth:`tell`, each drawing from a random generator of its own made from
    ``settings.seed``. ``toolbox``: only the DEAP strategies take one (the registry refuses
    it elsewhere).
    """

    work_unit: ClassVar[str] = "evaluations"
    """What :attr:`~neuroevo_utils.evolution.EvolutionResult.evaluations` counts."""

    def __init__(
        self,
        problem: Problem,
        settings: Settings,
        toolbox: deap_base.Toolbox | None = None,
    ) -> None:
        self.problem, self.settings, self.fitness = problem, settings, settings.fitness
        self.best_genome: np.ndarray | None = None
        self.best_accuracy = -np.inf

    # -- ask / tell: what a method defines ------------------------------------------------
    def first(self) -> np.ndarray:
        """The genomes to evaluate before the first generation (the logbook's row 0)."""
        raise NotImplementedError

    def ask(self) -> np.ndarray:
        """The genomes of the next generation that need a score, ``(count, genes)``."""
        raise NotImplementedError

    def tell(self, genomes: np.ndarray, evaluation: Evaluation) -> None:
        """Their scores: training accuracy, and the loss if the method ranks by it."""
        raise NotImplementedError

    def population_accuracy(self, evaluation: Evaluation) -> np.ndarray:
        """The accuracy the logbook summarises: by default the generation's evaluations (a
        genetic algorithm's whole population, unchanged individuals included)."""
        return evaluation.accuracy

    # -- what the loop calls ----------------------------------------------------------------
    def start(self) -> Row:
        """Evaluate :meth:`first`; the logbook's row 0."""
        return self._evaluate_and_tell(self.first(), tell=self.tell_first)

    def tell_first(self, genomes: np.ndarray, evaluation: Evaluation) -> None:
        """What the first evaluation tells the method (by default: as any generation)."""
        self.tell(genomes, evaluation)

    def run(self, generations: int) -> list[Row]:
        """Run ``generations`` generations; a logbook row for each."""
        with single_threaded_blas():  # entered once for them all: each pass nests for free
            return [self._evaluate_and_tell(self.ask(), tell=self.tell)
                    for _ in range(generations)]  # fmt: skip

    def best(self) -> tuple[np.ndarray, float]:
        """The genome the method would return now and its training accuracy: by default the
        most accurate network it has evaluated (the first of the most accurate, as DEAP's
        hall of fame keeps)."""
        return self.best_genome, self.best_accuracy

    def recommended(self) -> np.ndarray:
        """The genome of :meth:`best`, without measuring anything."""
        return self.best()[0]

    def _evaluate_and_tell(self, genomes: np.ndarray, tell) -> Row:
        evaluation = self.problem.evaluate(genomes, self.fitness)
        if len(genomes):
            top = int(np.argmax(evaluation.accuracy))
            if evaluation.accuracy[top] > self.best_accuracy:  # strictly better
                self.best_accuracy = float(evaluation.accuracy[top])
                self.best_genome = np.array(genomes[top], dtype=float)
        tell(genomes, evaluation)
        return summarise_fitness(self.population_accuracy(evaluation), len(genomes))


class MeanStrategy(Strategy):
    """A method that moves one mean genome (an evolution strategy, separable CMA-ES): what it
    returns is the mean, not its best sample, and the mean's accuracy is measured when asked
    (not counted as an evaluation: it is a report, as the held-out checks are)."""

    mean: np.ndarray

    def first(self) -> np.ndarray:
        return self.mean[None, :]

    def tell_first(self, genomes: np.ndarray, evaluation: Evaluation) -> None:
        pass  # the start is only reported

    def best(self) -> tuple[np.ndarray, float]:
        return self.mean, float(self.problem.evaluate(self.mean[None, :]).accuracy[0])

    def recommended(self) -> np.ndarray:
        return self.mean
