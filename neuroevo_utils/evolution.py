"""``evolve``: the lesson's training loop — NGEN rounds of RGEN generations, early stopping.

Introduced in notebook 04. Both engines (``"deap"`` and ``"numpy"``) run under the same
loop here, so rounds, callbacks, early stopping, the logbook and the result are the same
whichever does the generations.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from deap import tools

from .ga import BatchedDeapLoop, LessonLoop
from .network import NeuralNetwork
from .numpy_engine import NumpyLoop
from .parameters import validate

LOG_FIELDS = ("gen", "nevals", "avg", "std", "min", "max")


@dataclass(frozen=True)
class RoundReport:
    """What a callback receives after each round of RGEN generations."""

    round: int
    """1-based number of the round just finished."""
    rounds: int
    """NGEN, the most rounds the run may take."""
    generation: int
    """Generations run so far."""
    best_genome: np.ndarray
    best_accuracy: float
    logbook: tools.Logbook
    middle_layer: int
    seconds: float
    X: np.ndarray = field(repr=False)
    """The training points, for plots."""
    Y: np.ndarray = field(repr=False)

    def network(self) -> NeuralNetwork:
        """The best network so far, ready for ``show_predictions``."""
        return _network_from(self.best_genome, self.middle_layer)


@dataclass
class EvolutionResult:
    """What :func:`evolve` returns."""

    best_individual: np.ndarray
    train_accuracy: float
    generations: int
    evaluations: int
    stopped_early: bool
    seconds: float
    logbook: tools.Logbook = field(repr=False)
    middle_layer: int
    engine: str

    def network(self) -> NeuralNetwork:
        """The best network found, its weights set from :attr:`best_individual`."""
        return _network_from(self.best_individual, self.middle_layer)


def _network_from(genome: np.ndarray, middle_layer: int) -> NeuralNetwork:
    network = NeuralNetwork(2, middle_layer, 1)
    network.set_parameters(genome)
    return network


def evolve(
    X: np.ndarray,
    Y: np.ndarray,
    *,
    middle_layer: int = 5,
    MU: int = 1000,
    NGEN: int = 100,
    RGEN: int = 10,
    CXPB: float = 0.6,
    MUTPB: float = 0.3,
    seed: int = 64,
    target_accuracy: float = 1.0,
    early_stop: bool = True,
    engine: str = "deap",
    batched: bool = True,
    on_round: Callable[[RoundReport], None] | None = None,
) -> EvolutionResult:
    """Train a 2-``middle_layer``-1 network's weights on ``X, Y`` with the lesson's GA.

    Runs up to ``NGEN`` rounds of ``RGEN`` generations. After each round ``on_round``
    (if given) receives a :class:`RoundReport`, and the run stops early once the best
    training accuracy reaches ``target_accuracy`` (unless ``early_stop`` is False).

    ``engine="deap"`` uses DEAP's operators and Python's ``random`` seeded with ``seed``:
    with the lesson's defaults and seed 64 it reproduces the lesson's run. ``batched=False``
    runs the lesson's literal loop (``eaSimple``, one evaluation at a time): same result,
    slower. ``engine="numpy"`` runs the same algorithm on arrays, reading the same random
    stream in bulk: the same run again, much faster.
    """
    middle_layer = validate("middle_layer", middle_layer)
    MU, NGEN, RGEN = validate("MU", MU), validate("NGEN", NGEN), validate("RGEN", RGEN)
    CXPB, MUTPB = validate("CXPB", CXPB), validate("MUTPB", MUTPB)
    seed = validate("seed", seed)
    target_accuracy = validate("target_accuracy", target_accuracy)
    engine = validate("engine", engine)
    X, Y = _check_data(X, Y)

    started = time.perf_counter()
    random.seed(seed)  # DEAP draws from Python's random; the numpy engine reads a copy of it
    if engine == "numpy":
        loop = NumpyLoop(X, Y, middle_layer, MU, CXPB, MUTPB, seed)
    elif batched:
        loop = BatchedDeapLoop(X, Y, middle_layer, MU, CXPB, MUTPB)
    else:
        loop = LessonLoop(X, Y, middle_layer, MU, CXPB, MUTPB)

    logbook = tools.Logbook()
    logbook.header = LOG_FIELDS
    logbook.record(gen=0, **loop.initialise())
    generation, stopped_early = 0, False
    for round_number in range(1, NGEN + 1):
        for row in loop.run_round(RGEN):
            generation += 1
            logbook.record(gen=generation, **row)
        if on_round is not None:
            on_round(
                RoundReport(
                    round=round_number,
                    rounds=NGEN,
                    generation=generation,
                    best_genome=loop.best_genome,
                    best_accuracy=loop.best_accuracy,
                    logbook=logbook,
                    middle_layer=middle_layer,
                    seconds=time.perf_counter() - started,
                    X=X,
                    Y=Y,
                )
            )
        if early_stop and loop.best_accuracy >= target_accuracy:
            stopped_early = True
            break

    return EvolutionResult(
        best_individual=loop.best_genome,
        train_accuracy=loop.best_accuracy,
        generations=generation,
        evaluations=int(sum(logbook.select("nevals"))),
        stopped_early=stopped_early,
        seconds=time.perf_counter() - started,
        logbook=logbook,
        middle_layer=middle_layer,
        engine=engine,
    )


def _check_data(X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    X, Y = np.asarray(X, dtype=float), np.asarray(Y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n_samples, 2); got {X.shape}")
    if Y.shape != (X.shape[0],):
        raise ValueError(f"Y must have shape ({X.shape[0]},) to match X; got {Y.shape}")
    if not np.isin(Y, (0, 1)).all():
        raise ValueError("Y must hold class labels 0 and 1 only")
    return X, Y.astype(int)
