"""Plain gradient descent on the same network, to check the lesson's claim about backprop.

Introduced in notebook 04, section "Was the genetic algorithm needed?". The lesson says the
same MLP trained by backpropagation only reaches 50% on circles. That holds for its
initialisation (weights x 0.01): near zero the network is almost linear, and on data as
symmetric as two rings the gradient is close to nothing, so descent stays put. Started at
the scale the genetic algorithm starts from, the same descent solves the problem.
"""

from __future__ import annotations

import numpy as np

from .network import NeuralNetwork


def train_backprop(
    X: np.ndarray,
    Y: np.ndarray,
    middle_layer: int = 5,
    init_scale: float = 0.01,
    epochs: int = 5000,
    learning_rate: float = 0.5,
    seed: int | None = None,
) -> tuple[NeuralNetwork, list[float]]:
    """Full-batch gradient descent on the cross-entropy of a 2-``middle_layer``-1 network.

    Weights start as ``init_scale`` times standard normal draws, biases at zero (the
    lesson's initialisation when ``init_scale=0.01``). Returns the trained network and the
    training accuracy after every 100 epochs.
    """
    if init_scale <= 0 or epochs < 1 or learning_rate <= 0:
        raise ValueError("init_scale and learning_rate must be positive, epochs at least 1")
    network = NeuralNetwork(X.shape[1], middle_layer, 1, init_scale=init_scale, random_state=seed)
    targets = np.asarray(Y, dtype=float)[None, :]
    history = []
    for epoch in range(1, epochs + 1):
        output = network.forward(X)
        d_z2 = (output - targets) / X.shape[0]  # gradient of mean cross-entropy at Z2
        d_z1 = (network.W2.T @ d_z2) * (1.0 - network.A1**2)
        # In-place updates keep network.parameters pointing at the same arrays.
        network.W2 -= learning_rate * (d_z2 @ network.A1.T)
        network.b2 -= learning_rate * d_z2.sum(axis=1, keepdims=True)
        network.W1 -= learning_rate * (d_z1 @ X)
        network.b1 -= learning_rate * d_z1.sum(axis=1, keepdims=True)
        if epoch % 100 == 0:
            history.append(float(np.mean(network.predict(X) == Y)))
    return network, history
