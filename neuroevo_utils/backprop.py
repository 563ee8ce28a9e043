"""Plain gradient descent on the same network, to check the lesson's claim about backprop.

Introduced in notebook 04, section "Was the genetic algorithm needed?". The lesson says the
same MLP trained by backpropagation only reaches 50% on circles. That holds for its
initialisation (weights x 0.01): near zero the network is almost linear, and on data as
symmetric as two rings the gradient is close to nothing, so descent stays put. Started at
the genetic algorithm's own starting point (``init="uniform"``: every gene, biases included,
uniform in [-1, 1]), the same descent solves it from most starts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .network import NeuralNetwork
from .scoring import accuracy, label_accuracy


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
    network = _start(X, middle_layer, init, init_scale, seed)
    history, _ = _descend(network, X, Y, epochs, learning_rate)
    return network, history


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


def _descend(
    network: NeuralNetwork,
    X: np.ndarray,
    Y: np.ndarray,
    epochs: int,
    learning_rate: float,
    target_accuracy: float | None = None,
) -> tuple[list[float], int]:
    """Gradient steps in place; the accuracy every 100 steps, and the steps taken.

    With ``target_accuracy``, stops before the first step whose starting weights already
    reach it (so the steps taken are the steps that were needed).
    """
    if epochs < 1 or learning_rate <= 0:
        raise ValueError("learning_rate must be positive and epochs at least 1")
    targets = np.asarray(Y, dtype=float)[None, :]
    history = []
    for epoch in range(1, epochs + 1):
        output = network.forward(X)
        if target_accuracy is not None:
            # the labels predict() would give for these weights (round half to even, as it)
            if label_accuracy(np.round(output[0]), Y) >= target_accuracy:
                return history, epoch - 1
        d_z2 = (output - targets) / X.shape[0]  # gradient of mean cross-entropy at Z2
        d_z1 = (network.W2.T @ d_z2) * (1.0 - network.A1**2)
        # In-place updates keep network.parameters pointing at the same arrays.
        network.W2 -= learning_rate * (d_z2 @ network.A1.T)
        network.b2 -= learning_rate * d_z2.sum(axis=1, keepdims=True)
        network.W1 -= learning_rate * (d_z1 @ X)
        network.b1 -= learning_rate * d_z1.sum(axis=1, keepdims=True)
        if epoch % 100 == 0:
            history.append(accuracy(network, X, Y))
    return history, epochs


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

    Introduced in notebook 05's race. Starts by default where the genetic algorithm starts
    (``init="uniform"``), and counts the gradient steps and seconds to the target.
    """
    started = time.perf_counter()
    network = _start(X, middle_layer, init, init_scale, seed)
    _, steps = _descend(network, X, Y, max_epochs, learning_rate, target_accuracy)
    reached = accuracy(network, X, Y)
    return BackpropRun(
        network, steps, reached, reached >= target_accuracy, time.perf_counter() - started
    )
