"""A network that gradient descent cannot train: hidden units that are hard thresholds.

Groundwork for notebook 07 (issue 21). The lesson's 2 -> ``middle_layer`` -> 1 network with
each hidden unit's ``tanh`` replaced by a step: 1 where its input is positive, else 0. Its
output changes only when a boundary line of a hidden unit crosses a point, so the gradient
of any loss with respect to the first layer's weights is zero wherever it is defined:
backpropagation has nothing to follow there. A genetic algorithm only ranks networks, so it
does not care. The genome is laid out exactly as the lesson's (W1, b1, W2, b2).
"""

from __future__ import annotations

import numpy as np

from .network import NeuralNetwork, sigmoid
from .population import population_logits


class ThresholdNetwork(NeuralNetwork):
    """The lesson's network, its hidden units steps (0 or 1) instead of ``tanh``."""

    def forward(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.n_x:
            raise ValueError(f"X must have shape (n_samples, {self.n_x}); got {X.shape}")
        self.Z1 = self.W1.dot(X.T) + self.b1
        self.A1 = (self.Z1 > 0).astype(float)  # the step: no slope anywhere but at 0
        self.Z2 = self.W2.dot(self.A1) + self.b2
        self.A2 = sigmoid(self.Z2)
        return self.A2


def population_threshold_logits(
    genomes: np.ndarray, X: np.ndarray, middle_layer: int
) -> np.ndarray:
    """Every genome's output before the sigmoid on every point, shape ``(P, N)``."""
    genomes, X = np.asarray(genomes, dtype=float), np.asarray(X, dtype=float)
    return population_logits(genomes, X, middle_layer, hidden_activation=_step)


def _step(z: np.ndarray) -> np.ndarray:
    return (z > 0).astype(float)


def population_threshold_accuracy(
    genomes: np.ndarray, X: np.ndarray, Y: np.ndarray, middle_layer: int
) -> np.ndarray:
    """Training accuracy of every genome's threshold network, shape ``(P,)`` (label 1 where
    the output is above one half, as ``predict`` rounds it)."""
    labels = population_threshold_logits(genomes, X, middle_layer) > 0
    return np.mean(labels == (np.asarray(Y) == 1), axis=1)


def hidden_layer_gradient(
    network: ThresholdNetwork, X: np.ndarray, Y: np.ndarray, step: float = 1e-6
) -> np.ndarray:
    """The mean cross-entropy's gradient with respect to the first layer (W1, then b1),
    measured by central differences: each weight moved by ``step`` either way. Unless a
    point sits within ``step`` of a hidden unit's line, no output changes, and the measured
    gradient is exactly zero."""
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
