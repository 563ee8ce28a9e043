"""Gradient descent on the same networks: the one implementation in the package.

Introduced in notebook 04, section "Was the genetic algorithm needed?". The lesson says the
same MLP trained by backpropagation only reaches 50% on circles. That holds for its
initialisation (weights x 0.01): near zero the network is almost linear, and on data as
symmetric as two rings the gradient is close to nothing, so descent stays put. Started at
the genetic algorithm's own starting point (``init="uniform"``: every gene, biases included,
uniform in [-1, 1]), the same descent solves it from most starts.

:class:`Descender` takes the steps, for every problem: the mean cross-entropy's gradient
through a sigmoid output (two classes) or a softmax (more), with plain full-batch steps (the
toy problems) or Adam on shuffled minibatches (digits; the problem's
:class:`~neuroevo_utils.problems.Descent` says which). Hidden units that are steps (notebook
07) have a slope of zero wherever it exists, so the true gradient moves only the output
layer; ``straight_through=True`` passes the gradient back as if each step had slope 1
between -1 and 1, the usual workaround. :class:`GradientDescent` is the same descent as a
method (``algorithm="backprop"`` or ``"straight-through"``), raced against evolution in
notebooks 05 and 07.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..network import NeuralNetwork, ThresholdNetwork
from ..problems.base import Descent
from ..scoring import accuracy
from .base import Row, Strategy, summarise_fitness

ADAM_BETAS, ADAM_EPSILON = (0.9, 0.999), 1e-8


class Descender:
    """Gradient descent, in place, on ``network``'s mean cross-entropy over ``X, Y``.

    :meth:`step` is one unit of work: one full-batch step, or one epoch of minibatches.
    :meth:`accuracy` is the training accuracy of the weights as they are now (from the
    forward pass the next step needs anyway).
    """

    def __init__(
        self,
        network: NeuralNetwork,
        X: np.ndarray,
        Y: np.ndarray,
        descent: Descent | None = None,
        *,
        straight_through: bool = False,
        rng: np.random.Generator | None = None,
    ) -> None:
        descent = descent or Descent()
        if descent.learning_rate <= 0:
            raise ValueError("learning_rate must be positive")
        self.network, self.descent, self.straight_through = network, descent, straight_through
        self.X, self.Y = np.asarray(X, dtype=float), np.asarray(Y)
        self.rng = rng if rng is not None else np.random.default_rng(0)
        self.steps = 0
        self._fresh = False  # is network.forward's state that of the current weights on X?
        self._moments = [(np.zeros_like(p), np.zeros_like(p)) for p in network.parameters]
        self._updates = 0  # Adam's step count: one per minibatch

    def accuracy(self) -> float:
        """Training accuracy of the current weights, labels as ``predict`` gives them."""
        if not self._fresh:
            self.network.forward(self.X)
            self._fresh = True
        return float(np.mean(self._labels() == self.Y))

    def step(self) -> None:
        """One unit of work: a full-batch step, or an epoch of shuffled minibatches."""
        if self.descent.batch_size is None:
            if not self._fresh:
                self.network.forward(self.X)
            self._update(self.X, self.Y)
        else:
            order = self.rng.permutation(len(self.Y))
            for start in range(0, len(order), self.descent.batch_size):
                batch = order[start : start + self.descent.batch_size]
                self.network.forward(self.X[batch])
                self._update(self.X[batch], self.Y[batch])
        self._fresh = False
        self.steps += 1

    def _labels(self) -> np.ndarray:
        if self.network.n_y == 1:
            return np.round(self.network.A2[0])  # round half to even, as predict does
        return np.argmax(self.network.Z2, axis=0)

    def _update(self, X: np.ndarray, Y: np.ndarray) -> None:
        """One step from the forward pass just made on ``X``."""
        net = self.network
        if net.n_y == 1:
            probabilities, targets = net.A2, Y.astype(float)[None, :]
        else:
            scores = np.exp(net.Z2 - net.Z2.max(axis=0))
            probabilities = scores / scores.sum(axis=0)  # softmax over the classes
            targets = np.eye(net.n_y)[:, Y]
        d_z2 = (probabilities - targets) / X.shape[0]  # the cross-entropy's gradient at Z2
        if isinstance(net, ThresholdNetwork):  # a step's slope: 0, or 1 near 0 if pretended
            slope = (np.abs(net.Z1) <= 1) if self.straight_through else 0.0
        else:
            slope = 1.0 - net.A1**2  # tanh's
        d_z1 = (net.W2.T @ d_z2) * slope  # through W2 before it moves
        gradients = (d_z1 @ X, d_z1.sum(axis=1, keepdims=True),
                     d_z2 @ net.A1.T, d_z2.sum(axis=1, keepdims=True))  # fmt: skip
        # In-place updates keep network.parameters pointing at the same arrays; W2 and b2
        # first, as the gradients above were taken before any moved.
        self._updates += 1
        for index in (2, 3, 0, 1):
            net.parameters[index] -= self._change(index, gradients[index])

    def _change(self, index: int, gradient: np.ndarray) -> np.ndarray:
        rate = self.descent.learning_rate
        if self.descent.optimizer == "sgd":
            return rate * gradient
        (b1, b2), (mean, square) = ADAM_BETAS, self._moments[index]
        mean *= b1
        mean += (1 - b1) * gradient
        square *= b2
        square += (1 - b2) * gradient**2
        t = self._updates
        return rate * (mean / (1 - b1**t)) / (np.sqrt(square / (1 - b2**t)) + ADAM_EPSILON)


class GradientDescent(Strategy):
    """Gradient descent as a method: from the problem's start (the toy problems': the GA's
    uniform genes), one unit of work per generation, stopping its steps once the weights
    reach the training target. It returns its current network."""

    straight_through = False

    def __init__(self, problem, settings, toolbox=None) -> None:
        super().__init__(problem, settings)
        rng = np.random.default_rng(settings.seed)
        shape = problem.shape
        kind = ThresholdNetwork if shape.activation == "step" else NeuralNetwork
        network = kind(shape.inputs, shape.hidden, shape.outputs)
        network.set_parameters(problem.mean_start(rng))
        self.descender = Descender(network, problem.X_train, problem.Y_train, problem.descent,
                                   straight_through=self.straight_through, rng=rng)  # fmt: skip
        self.target = settings.target_accuracy

    @property
    def work_unit(self) -> str:  # type: ignore[override]
        return "gradient steps" if self.problem.descent.batch_size is None else "epochs"

    def _row(self, nevals: int) -> Row:
        return summarise_fitness(np.array([self.descender.accuracy()]), nevals)

    def start(self) -> Row:
        return self._row(0)

    def run(self, generations: int) -> list[Row]:
        rows = []
        for _ in range(generations):
            reached = self.descender.accuracy() >= self.target
            if not reached:
                self.descender.step()
            rows.append(self._row(0 if reached else 1))
        return rows

    def recommended(self) -> np.ndarray:
        return np.concatenate([p.ravel() for p in self.descender.network.parameters])

    def best(self) -> tuple[np.ndarray, float]:
        return self.recommended(), self.descender.accuracy()


class StraightThrough(GradientDescent):
    """Gradient descent with the straight-through estimator (threshold networks)."""

    straight_through = True


def hidden_layer_gradient(
    network: NeuralNetwork, X: np.ndarray, Y: np.ndarray, step: float = 1e-6
) -> np.ndarray:
    """The mean cross-entropy's gradient with respect to the first layer (W1, then b1),
    measured by central differences: each weight moved by ``step`` either way (notebook 07).
    For a :class:`~neuroevo_utils.network.ThresholdNetwork`, unless a point sits within
    ``step`` of a hidden unit's line no output changes, and the measured gradient is
    exactly zero."""
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)

    def loss() -> float:
        z = network.forward(X)[0]
        p = np.clip(z, 1e-12, 1 - 1e-12)
        return float(-np.mean(Y * np.log(p) + (1 - Y) * np.log(1 - p)))

    gradient = []
    for weights in (network.W1, network.b1):
        for index in np.ndindex(weights.shape):
            kept = weights[index]
            weights[index] = kept + step
            above = loss()
            weights[index] = kept - step
            below = loss()
            weights[index] = kept
            gradient.append((above - below) / (2 * step))
    return np.array(gradient)


# -- the lesson's claim, checked (notebooks 04 and 05) ------------------------------------


def _start(
    X: np.ndarray, middle_layer: int, init: str, init_scale: float | None, seed: int | None
) -> NeuralNetwork:
    if init_scale is None:
        init_scale = 1.0 if init == "uniform" else 0.01
    if init not in ("normal", "uniform"):
        raise ValueError(f"init must be 'normal' or 'uniform'; got {init!r}")
    if init_scale <= 0:
        raise ValueError("init_scale must be positive")
    network = NeuralNetwork(X.shape[1], middle_layer, 1, init_scale=init_scale, random_state=seed)
    if init == "uniform":
        rng = np.random.default_rng(seed)
        network.set_parameters(rng.uniform(-init_scale, init_scale, network.num_parameters))
    return network


def train_backprop(
    X: np.ndarray,
    Y: np.ndarray,
    middle_layer: int = 5,
    init_scale: float | None = None,
    epochs: int = 5000,
    learning_rate: float = 0.5,
    seed: int | None = None,
    init: str = "normal",
) -> tuple[NeuralNetwork, list[float]]:
    """Full-batch gradient descent on the cross-entropy of a 2-``middle_layer``-1 network.

    ``init="normal"``: weights start as ``init_scale`` (default 0.01) times standard normal
    draws, biases at zero: the lesson's initialisation. ``init="uniform"``: every gene, biases
    included, uniform in [-``init_scale``, ``init_scale``] (default 1): exactly how the genetic
    algorithm draws its first population. Returns the trained network and the training
    accuracy after every 100 epochs.
    """
    if epochs < 1:
        raise ValueError("epochs must be at least 1")
    network = _start(X, middle_layer, init, init_scale, seed)
    descender = Descender(network, X, Y, Descent(learning_rate))
    history = []
    for epoch in range(1, epochs + 1):
        descender.step()
        if epoch % 100 == 0:
            history.append(accuracy(network, X, Y))
    return network, history


@dataclass
class BackpropRun:
    """What :func:`backprop_to_target` returns."""

    network: NeuralNetwork
    steps: int
    """Gradient steps taken: to the target if it was reached, else all allowed."""
    train_accuracy: float
    reached: bool
    seconds: float


def backprop_to_target(
    X: np.ndarray,
    Y: np.ndarray,
    middle_layer: int = 5,
    target_accuracy: float = 1.0,
    max_epochs: int = 5000,
    learning_rate: float = 0.5,
    seed: int | None = None,
    init: str = "uniform",
    init_scale: float | None = None,
) -> BackpropRun:
    """:func:`train_backprop` until the training accuracy reaches ``target_accuracy``.

    Introduced in notebook 05. Starts by default where the genetic algorithm starts
    (``init="uniform"``), and counts the gradient steps and seconds to the target.
    """
    if max_epochs < 1:
        raise ValueError("max_epochs must be at least 1")
    started = time.perf_counter()
    network = _start(X, middle_layer, init, init_scale, seed)
    descender = Descender(network, X, Y, Descent(learning_rate))
    while descender.steps < max_epochs and descender.accuracy() < target_accuracy:
        descender.step()
    reached = accuracy(network, X, Y)
    return BackpropRun(network, descender.steps, reached, reached >= target_accuracy,
                       time.perf_counter() - started)  # fmt: skip
