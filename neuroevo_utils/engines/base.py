"""What every engine shares: the contract, the lesson's operator settings, the logbook row.

Introduced in notebook 04. An engine holds one population and runs the lesson's genetic
algorithm a round at a time; :func:`neuroevo_utils.evolve` drives any engine the same way
(rounds, callbacks, early stop, logbook), so engines differ only in how a generation is made.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

# The lesson's operators, as numbers. The DEAP toolbox (notebook 04, toolbox.py) writes
# them out in its register calls; the numpy engine, which cannot take a toolbox, uses these.
GENE_LOW, GENE_HIGH = -1.0, 1.0
TOURNAMENT_SIZE = 5
BLEND_ALPHA = 0.5
MUTATION_MU, MUTATION_SIGMA, MUTATION_INDPB = 0.0, 0.1, 0.25

LOG_FIELDS = ("gen", "nevals", "avg", "std", "min", "max")
"""The columns of the logbook :func:`neuroevo_utils.evolve` returns."""


@runtime_checkable
class Engine(Protocol):
    """How :func:`neuroevo_utils.evolve` runs the genetic algorithm.

    An engine is created with its population already drawn (from Python's ``random``,
    seeded by ``evolve``). Each logbook row is a dict of ``nevals, avg, std, min, max``.
    """

    def initialise(self) -> dict[str, float]:
        """Evaluate the first population; its logbook row (generation 0)."""
        ...

    def run_round(self, generations: int) -> list[dict[str, float]]:
        """Run ``generations`` more generations; one logbook row for each."""
        ...

    @property
    def best_genome(self) -> np.ndarray:
        """The best individual ever seen (the hall of fame's), as a float array."""
        ...

    @property
    def best_accuracy(self) -> float:
        """Its training accuracy."""
        ...


STATISTICS = {"avg": np.mean, "std": np.std, "min": np.min, "max": np.max}
"""The population's accuracy statistics in every logbook row (DEAP's ``Statistics`` registers
the same functions in the DEAP engines)."""


def summarise_fitness(fitnesses: np.ndarray, nevals: int) -> dict[str, float]:
    """One logbook row: evaluations made and the population's accuracy statistics."""
    return {"nevals": int(nevals), **{k: float(f(fitnesses)) for k, f in STATISTICS.items()}}
