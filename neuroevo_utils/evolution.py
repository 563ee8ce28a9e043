"""``evolve``: the lesson's training loop — NGEN rounds of RGEN generations, early stopping.

Introduced in notebook 04, which writes the same loop out with ``eaSimple`` before handing
over to this function. Every engine (:mod:`neuroevo_utils.engines`) runs under the loop here,
so rounds, callbacks, early stopping, the logbook and the result are the same whichever
makes the generations.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from deap import base, tools

from .engines import LOG_FIELDS, make_engine
from .methods import check_method, engine_that_runs, given
from .network import NeuralNetwork
from .parameters import validate_all


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
    engine: str | None
    """The engine that ran; None for an algorithm that runs on its own (CMA-ES)."""
    algorithm: str = "lesson"
    fitness: str = "accuracy"
    """What the search ranked networks by (``"auto"`` resolved)."""

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
    algorithm: str = "lesson",
    fitness: str = "auto",
    toolbox: Callable[[np.ndarray, np.ndarray, int], base.Toolbox] | None = None,
    on_round: Callable[[RoundReport], None] | None = None,
) -> EvolutionResult:
    """Train a 2-``middle_layer``-1 network's weights on ``X, Y`` with the lesson's GA.

    Runs up to ``NGEN`` rounds of ``RGEN`` generations. After each round ``on_round``
    (if given) receives a :class:`RoundReport`, and the run stops early once the best
    training accuracy reaches ``target_accuracy`` (unless ``early_stop`` is False).

    ``engine`` (see :mod:`neuroevo_utils.engines`): ``"lesson"`` runs DEAP's ``eaSimple``
    one evaluation at a time, as the lesson does; ``"deap"`` runs the same ``eaSimple`` with a
    generation evaluated in one NumPy pass; ``"numpy"`` runs the same algorithm on arrays.
    All three make the same random draws from ``seed``: with the lesson's values and seed 64
    each gives the lesson's run. ``toolbox``: the function that builds the toolbox the DEAP
    engines run, called with ``(X, Y, middle_layer)`` — notebook 04's ``build_toolbox`` or
    notebook 05's ``build_loss_toolbox``, as written in their cells (default: the package's
    copy), so an edited operator changes the run. :func:`~neuroevo_utils.run_experiment`
    takes it the same way.

    ``algorithm``: ``"lesson"`` (the lesson's GA, above); ``"elitist"``, the same operators
    with parents and children competing so the best always survive (DEAP engines); or
    ``"cma-es"``, CMA-ES, which ignores MU, CXPB, MUTPB and engine.

    ``fitness``: what selection ranks by. ``"accuracy"`` is the lesson's; ``"loss"`` is the
    cross-entropy (then accuracy, see :func:`~neuroevo_utils.engines.build_loss_toolbox`);
    ``"auto"``: accuracy for the GAs, loss for CMA-ES. The hall of fame, the logbook and
    early stopping follow training accuracy whichever it is.
    """
    values = validate_all(
        dict(middle_layer=middle_layer, MU=MU, NGEN=NGEN, RGEN=RGEN, CXPB=CXPB, MUTPB=MUTPB,
             seed=seed, target_accuracy=target_accuracy, engine=engine, algorithm=algorithm,
             fitness=fitness)
    )  # fmt: skip
    X, Y = _check_data(X, Y)
    built = None if toolbox is None else toolbox(X, Y, values["middle_layer"])
    return _run_evolution(X, Y, **values, early_stop=early_stop, toolbox=built, on_round=on_round)


def _run_evolution(
    X: np.ndarray,
    Y: np.ndarray,
    *,
    middle_layer: int,
    MU: int,
    NGEN: int,
    RGEN: int,
    CXPB: float,
    MUTPB: float,
    seed: int,
    target_accuracy: float,
    engine: str,
    algorithm: str = "lesson",
    fitness: str = "auto",
    early_stop: bool = True,
    toolbox: base.Toolbox | None = None,
    on_round: Callable[[RoundReport], None] | None = None,
) -> EvolutionResult:
    """:func:`evolve` for values already checked (by ``evolve`` or ``run_experiment``); the
    method is checked here (:func:`~neuroevo_utils.methods.check_method`), where every run
    passes."""
    chosen = dict(MU=MU, CXPB=CXPB, MUTPB=MUTPB, engine=engine)
    fitness = check_method(algorithm, engine, fitness, given=given(chosen),
                           toolbox=toolbox is not None)  # fmt: skip
    started = time.perf_counter()
    # Every engine draws from a stream of its own made from the seed (the DEAP engines: a
    # random.Random(seed); see engines/run_stream.py). The global stream is seeded too, as
    # the lesson does, for code of the reader's own that calls random directly.
    random.seed(seed)
    loop = make_engine(
        engine, X, Y, middle_layer=middle_layer, MU=MU, CXPB=CXPB, MUTPB=MUTPB, seed=seed,
        toolbox=toolbox, algorithm=algorithm, fitness=fitness,
    )  # fmt: skip

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
        engine=engine_that_runs(algorithm, engine),
        algorithm=algorithm,
        fitness=fitness,
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
