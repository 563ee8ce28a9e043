"""The loop every method runs in: NGEN rounds of RGEN generations, a budget, early stopping.

Introduced in notebook 04, which writes the lesson's loop out with ``eaSimple`` before handing
over to :func:`evolve`. :func:`run` runs any method (a
:class:`~neuroevo_utils.methods.base.Strategy`) on any problem
(:class:`~neuroevo_utils.problems.Problem`), so rounds, callbacks, budgets, held-out checks,
early stopping, the logbook and the result are the same whichever method makes the
generations. :func:`evolve` is the lesson's interface: points and labels in, a run out.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from deap import base, tools

from .methods.base import Strategy
from .network import NeuralNetwork
from .population import NetworkShape, single_threaded_blas
from .problems import GenomeNetwork, Problem, array_problem
from .settings import Settings

LOG_FIELDS = ("gen", "nevals", "avg", "std", "min", "max")
"""The columns of the logbook every run returns."""


@dataclass(frozen=True)
class RoundReport:
    """What a callback receives after each round of RGEN generations."""

    round: int
    """1-based number of the round just finished."""
    rounds: int
    """NGEN, the most rounds the run may take."""
    generation: int
    """Generations run so far."""
    evaluations: int
    """Work done so far (network evaluations; gradient descent: steps or epochs)."""
    best_genome: np.ndarray
    best_accuracy: float
    logbook: tools.Logbook
    seconds: float
    problem: Problem = field(repr=False)
    settings: Settings | None = field(default=None, repr=False)
    """What the run runs (the live display's title says it)."""

    @property
    def X(self) -> np.ndarray:
        """The training points, for plots."""
        return self.problem.X_train

    @property
    def Y(self) -> np.ndarray:
        return self.problem.Y_train

    def network(self) -> NeuralNetwork | GenomeNetwork:
        """The best network so far, ready for ``show_predictions``."""
        return self.problem.network(self.best_genome)


@dataclass(frozen=True)
class Check:
    """The network a run would return, scored on the held-out points during the run."""

    work: int
    seconds: float
    test_accuracy: float


@dataclass
class EvolutionResult:
    """What :func:`run` and :func:`evolve` return."""

    best_individual: np.ndarray
    """The genome the method returns: the most accurate it evaluated, or its mean."""
    train_accuracy: float
    generations: int
    evaluations: int
    """The work done, in :attr:`work_unit` (network evaluations; for gradient descent,
    steps or epochs)."""
    stopped_early: bool
    seconds: float
    logbook: tools.Logbook = field(repr=False)
    settings: Settings = field(repr=False)
    problem: Problem = field(repr=False)
    work_unit: str = "evaluations"
    checks: list[Check] = field(default_factory=list, repr=False)
    """Held-out checks made during the run (``check_every``)."""

    @property
    def middle_layer(self) -> int:
        return self.problem.shape.hidden

    @property
    def engine(self) -> str | None:
        """The engine that ran; None for a method that runs on its own."""
        return self.settings.engine_that_runs

    @property
    def algorithm(self) -> str:
        return self.settings.algorithm

    @property
    def fitness(self) -> str:
        """What the search ranked networks by (``"auto"`` resolved)."""
        return self.settings.fitness

    def network(self) -> NeuralNetwork | GenomeNetwork:
        """The best network found, its weights set from :attr:`best_individual`."""
        return self.problem.network(self.best_individual)


def run(
    problem: Problem,
    settings: Settings,
    *,
    toolbox: Callable[[np.ndarray, np.ndarray, int], base.Toolbox] | None = None,
    on_round: Callable[[RoundReport], None] | None = None,
    early_stop: bool = True,
    check_every: int = 0,
    held_out_target: float | None = None,
    strategy: type[Strategy] | None = None,
) -> EvolutionResult:
    """Run ``settings.algorithm`` on ``problem``: up to NGEN rounds of RGEN generations.

    After each round ``on_round`` (if given) receives a :class:`RoundReport`, and the run
    stops early once the training accuracy of what the method would return reaches
    ``settings.target_accuracy`` (unless ``early_stop`` is False). With a budget
    (``settings.evaluations`` > 0) the run also stops after the generation that reaches it.
    ``check_every``: score the network the method would return on the held-out points each
    time the work done passes another multiple of it (and at the budget's end); the run
    stops once a check reaches ``held_out_target``. ``toolbox``: the function that builds
    the toolbox a DEAP engine runs, from ``(X, Y, middle_layer)``. ``strategy``: a
    :class:`~neuroevo_utils.methods.base.Strategy` class to run instead of the registry's
    for ``settings.algorithm`` (notebook 07 passes the evolution strategy written in its
    cells, so an edit there is what runs).
    """
    if toolbox is not None:
        settings.check_toolbox()
    started = time.perf_counter()
    # Every method draws from generators of its own made from the seed; the global stream is
    # seeded too, as the lesson does, for code of the reader's own that calls random.
    random.seed(settings.seed)
    chosen = strategy or settings.method.strategy_class(settings.engine)
    strategy = chosen(problem, settings, toolbox)
    with single_threaded_blas():  # once: each pass inside nests for free
        return _loop(problem, settings, strategy, started, on_round, early_stop, check_every,
                     held_out_target)  # fmt: skip


def _loop(problem, settings, strategy, started, on_round, early_stop, check_every,
          held_out_target) -> EvolutionResult:  # fmt: skip
    logbook = tools.Logbook()
    logbook.header = LOG_FIELDS
    logbook.record(gen=0, **strategy.start())
    evaluations, generation = logbook[0]["nevals"], 0
    checks: list[Check] = []
    next_check, budget = check_every, settings.evaluations
    one_by_one = bool(budget or check_every)  # budgets and checks look after each generation
    stopped_early = finished = False
    for round_number in range(1, settings.NGEN + 1):
        for _ in range(settings.RGEN if one_by_one else 1):
            for row in strategy.run(1 if one_by_one else settings.RGEN):
                generation += 1
                evaluations += row["nevals"]
                logbook.record(gen=generation, **row)
            spent = bool(budget) and evaluations >= budget
            if check_every and (evaluations >= next_check or spent):
                while next_check <= evaluations:
                    next_check += check_every
                held_out = problem.held_out_accuracy(strategy.recommended()[None])
                if held_out is None:
                    raise ValueError("held-out checks need a held-out share (test_size > 0)")
                checks.append(Check(int(evaluations), time.perf_counter() - started,
                                    float(held_out[0])))  # fmt: skip
                finished = held_out_target is not None and held_out[0] >= held_out_target
            finished = finished or spent
            if finished:
                break
        if on_round is not None or early_stop:
            genome, accuracy = strategy.best()
            if on_round is not None:
                on_round(RoundReport(round_number, settings.NGEN, generation, int(evaluations),
                                     genome, accuracy, logbook, time.perf_counter() - started,
                                     problem, settings))  # fmt: skip
            if early_stop and accuracy >= settings.target_accuracy:
                stopped_early = True
                break
        if finished:
            break
    genome, accuracy = strategy.best()
    return EvolutionResult(
        best_individual=genome, train_accuracy=accuracy, generations=generation,
        evaluations=int(evaluations), stopped_early=stopped_early,
        seconds=time.perf_counter() - started, logbook=logbook, settings=settings,
        problem=problem, work_unit=strategy.work_unit, checks=checks,
    )  # fmt: skip


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
    activation: str = "tanh",
    evaluations: int = 0,
    toolbox: Callable[[np.ndarray, np.ndarray, int], base.Toolbox] | None = None,
    on_round: Callable[[RoundReport], None] | None = None,
) -> EvolutionResult:
    """Train a network's weights on the points ``X`` with labels ``Y``, the lesson's way.

    The network is ``X``'s features -> ``middle_layer`` hidden units -> one output (two
    classes, the lesson's) or one per class. Runs up to ``NGEN`` rounds of ``RGEN``
    generations; after each ``on_round`` (if given) receives a :class:`RoundReport`, and the
    run stops early once the best training accuracy reaches ``target_accuracy`` (unless
    ``early_stop`` is False).

    ``engine``: ``"lesson"`` runs DEAP's ``eaSimple`` one evaluation at a time, as the lesson
    does; ``"deap"`` runs the same ``eaSimple`` with a generation evaluated in one NumPy pass;
    ``"numpy"`` runs the same algorithm on arrays. All three make the same random draws from
    ``seed``: with the lesson's values and seed 64 each gives the lesson's run. ``toolbox``:
    the function that builds the toolbox the DEAP engines run, called with ``(X, Y,
    middle_layer)`` — notebook 04's ``build_toolbox`` or notebook 05's
    ``build_loss_toolbox``, as written in their cells (default: the package's copy), so an
    edited operator changes the run.

    ``algorithm`` and ``fitness``: any registered method (``python -m neuroevo_utils --help``
    lists them): ``"lesson"``, ``"elitist"``, ``"cma-es"``, ... and what it ranks by
    (``"auto"``: its own). The result, the logbook and early stopping follow training
    accuracy whichever it is.
    """
    X, Y = _check_data(X, Y)
    outputs = 1 if Y.max() <= 1 else int(Y.max()) + 1
    settings = Settings.of(
        dict(middle_layer=middle_layer, MU=MU, NGEN=NGEN, RGEN=RGEN, CXPB=CXPB, MUTPB=MUTPB,
             seed=seed, target_accuracy=target_accuracy, engine=engine, algorithm=algorithm,
             fitness=fitness, activation=activation, evaluations=evaluations),
        data_shape=(X.shape[1], outputs),
    )  # fmt: skip
    shape = NetworkShape(X.shape[1], settings.middle_layer, outputs, settings.activation)
    return run(array_problem(X, Y, shape), settings, toolbox=toolbox, on_round=on_round,
               early_stop=early_stop)  # fmt: skip


def _check_data(X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    X, Y = np.asarray(X, dtype=float), np.asarray(Y)
    if X.ndim != 2:
        raise ValueError(f"X must have shape (n_samples, n_features); got {X.shape}")
    if Y.shape != (X.shape[0],):
        raise ValueError(f"Y must have shape ({X.shape[0]},) to match X; got {Y.shape}")
    labels = np.unique(Y)
    if len(labels) < 2 or not np.array_equal(labels, np.arange(len(labels))):
        raise ValueError("Y must hold class labels 0, 1, ... (each at least once, two or more)")
    return X, Y.astype(int)
