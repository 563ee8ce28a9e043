"""Plain gradient descent on the same network, to check the lesson's claim about backprop.

Introduced in notebook 04, section "Was the genetic algorithm needed?". The lesson says the
same MLP trained by backpropagation only reaches 50% on circles. That holds for its
initialisation (weights x 0.01): near zero the network is almost linear, and on data as
symmetric as two rings the gradient is close to nothing, so descent stays put. Started at
the genetic algorithm's own starting point (``init="uniform"``: every gene, biases included,
uniform in [-1, 1]), the same descent solves it from most starts.
"""

from __future__ import annotations

import numpy as np

from .network import NeuralNetwork


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
    if init_scale is None:
        init_scale = 1.0 if init == "uniform" else 0.01
    if init_scale <= 0 or epochs < 1 or learning_rate <= 0:
        raise ValueError("init_scale and learning_rate must be positive, epochs at least 1")
    if init not in ("normal", "uniform"):
        raise ValueError(f"init must be 'normal' or 'uniform'; got {init!r}")
    network = NeuralNetwork(X.shape[1], middle_layer, 1, init_scale=init_scale, random_state=seed)
    if init == "uniform":
        rng = np.random.default_rng(seed)
        network.set_parameters(rng.uniform(-init_scale, init_scale, network.num_parameters))
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
