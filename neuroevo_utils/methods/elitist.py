"""The elitist GA: the lesson's operators in ``eaMuPlusLambda``, so the best always survive.

Introduced in notebook 05, which defines :func:`elitist_generations` in its own cells, word
for word (``tests/test_lesson_code.py`` fails if the two drift apart). MU children are made
with the toolbox's ``mate`` and ``mutate`` (each child by crossover with probability CXPB,
by mutation with MUTPB, else a copy), then the best MU of parents and children survive
(``select`` is ``selBest`` on a copy of the toolbox), so the best network is never lost. The
lesson's ``eaSimple`` replaces every parent, the best included.
"""

from __future__ import annotations

import copy

from deap import algorithms, tools

from .lesson_ga import DeapGA
from .run_stream import with_stream


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


class ElitistGA(DeapGA):
    """:class:`~neuroevo_utils.methods.lesson_ga.DeapGA` with :func:`elitist_generations`
    for ``eaSimple`` (algorithm ``"elitist"``)."""

    def __init__(self, problem, settings, toolbox=None) -> None:
        super().__init__(problem, settings, toolbox)
        self.elitist_generations = with_stream(elitist_generations, self.stream)

    def _generations(self, generations: int):
        return self.elitist_generations(
            self.population, self.toolbox, self.cxpb, self.mutpb, generations,
            self.statistics, self.hall_of_fame,
        )  # fmt: skip


def check_rates(settings) -> None:
    """Each child is made by crossover, mutation or copying, so CXPB + MUTPB <= 1."""
    if settings.CXPB + settings.MUTPB > 1:
        raise ValueError(
            "the elitist GA makes each child by crossover (CXPB), mutation (MUTPB) or "
            f"copying, so CXPB + MUTPB must be at most 1; got {settings.CXPB} + {settings.MUTPB}"
        )
