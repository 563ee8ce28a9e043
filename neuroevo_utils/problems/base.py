"""A problem: its data, the network that learns it, and the pass that scores a population.

Introduced behind notebook 04's ``run_experiment`` and named in notebook 07, where the same
methods train networks that are not the lesson's. Every method (:mod:`neuroevo_utils.methods`)
sees a problem only through this class: it asks for genomes of :attr:`Problem.genes` genes,
and :meth:`Problem.evaluate` scores a whole population at once. So any method runs on any
problem, and a new problem is a new :class:`Problem`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..network import GENE_HIGH, GENE_LOW, NeuralNetwork, ThresholdNetwork
from ..population import (
    NetworkShape,
    population_accuracy,
    population_evaluate,
    population_predict,
    single_threaded_blas,
)


@dataclass(frozen=True)
class Evaluation:
    """A population's scores: training accuracy, and the loss when it was asked for."""

    accuracy: np.ndarray
    loss: np.ndarray | None = None


@dataclass(frozen=True)
class Descent:
    """How gradient descent trains a problem's network (:mod:`neuroevo_utils.methods.backprop`).

    ``batch_size=None``: full-batch steps (the lesson's toy problems); otherwise shuffled
    minibatches, and one unit of work is an epoch.
    """

    learning_rate: float = 0.5
    optimizer: str = "sgd"
    """``"sgd"``: plain steps; ``"adam"``: Adam's running averages (digits)."""
    batch_size: int | None = None


class GenomeNetwork:
    """One genome's network of any shape, with ``predict`` (for plots and held-out scores)."""

    def __init__(self, genome: np.ndarray, shape: NetworkShape) -> None:
        self.genome, self.shape = np.asarray(genome, dtype=float), shape

    def predict(self, X: np.ndarray) -> np.ndarray:
        return population_predict(self.genome[None], X, self.shape)[0]


@dataclass
class Problem:
    """Training data (and held-out data, if any), the network's shape, and how to start.

    ``mean_start(rng)``: where the methods that move one mean genome start (CMA-ES, the
    evolution strategy, gradient descent), drawn from the method's own generator before
    anything else, so at one seed they all start at the same genome; the genetic algorithms
    draw their genes uniformly from [-1, 1], as the lesson does. ``initial_step``: CMA-ES's
    first step size.
    """

    name: str
    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray | None
    Y_test: np.ndarray | None
    shape: NetworkShape
    mean_start: Callable[[np.random.Generator], np.ndarray] = field(repr=False)
    initial_step: float = 0.5
    descent: Descent = Descent()

    @property
    def genes(self) -> int:
        return self.shape.genes

    @property
    def is_lessons_network(self) -> bool:
        """A 2-h-1 ``tanh`` network on two classes: what the lesson's DEAP toolbox builds."""
        return (self.shape.inputs, self.shape.outputs, self.shape.activation) == (2, 1, "tanh")

    def evaluate(self, genomes: np.ndarray, fitness: str = "accuracy") -> Evaluation:
        """Every genome's training accuracy and, with ``fitness="loss"``, its cross-entropy."""
        with single_threaded_blas():
            accuracy, loss = population_evaluate(genomes, self.X_train, self.Y_train,
                                                 self.shape, loss=fitness == "loss")  # fmt: skip
        return Evaluation(accuracy, loss)

    def held_out_accuracy(self, genomes: np.ndarray) -> np.ndarray | None:
        """Every genome's accuracy on the held-out points (None if none are held out)."""
        if self.X_test is None:
            return None
        with single_threaded_blas():
            return population_accuracy(genomes, self.X_test, self.Y_test, self.shape)

    def network(self, genome: np.ndarray) -> NeuralNetwork | GenomeNetwork:
        """The network a genome makes: the lesson's :class:`NeuralNetwork` (or its threshold
        version) for one output, ready for ``show_predictions``; else a :class:`GenomeNetwork`."""
        shape = self.shape
        if shape.outputs == 1:
            kind = ThresholdNetwork if shape.activation == "step" else NeuralNetwork
            network = kind(shape.inputs, shape.hidden, 1)
            network.set_parameters(genome)
            return network
        return GenomeNetwork(genome, shape)


def uniform_start(genes: int) -> Callable[[np.random.Generator], np.ndarray]:
    """The lesson's start for a mean: every gene uniform in [-1, 1]."""

    def start(rng: np.random.Generator) -> np.ndarray:
        return rng.uniform(GENE_LOW, GENE_HIGH, genes)

    return start


def array_problem(X: np.ndarray, Y: np.ndarray, shape: NetworkShape) -> Problem:
    """A problem made of the points and labels given (all for training), for
    :func:`~neuroevo_utils.evolve`: the lesson's start and steps."""
    return Problem("the points given", X, Y, None, None, shape,
                   mean_start=uniform_start(shape.genes))  # fmt: skip
