"""The lesson's NumPy multi-layer perceptron, whose weights come from a genome.

Introduced in notebook 03, which defines ``sigmoid`` and ``NeuralNetwork`` in its own cells,
word for word (``tests/test_lesson_code.py`` fails if the two drift apart); this copy serves
the other notebooks, the methods and the command line. There is no backpropagation here:
the weights are whatever genes :meth:`NeuralNetwork.set_parameters` copies in.
:class:`ThresholdNetwork` (notebook 07, written in its cells too) is the same network with
hard thresholds for hidden units.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-x))``, without overflow warnings for large ``-x``."""
    with np.errstate(over="ignore"):  # exp(-x) = inf gives the correct limit 0
        return 1.0 / (1.0 + np.exp(-x))


GENE_LOW, GENE_HIGH = -1.0, 1.0
"""Where the lesson draws every gene: a genetic algorithm's first population and, for the
toy problems, the start of the methods that move one mean genome."""


def genome_length(middle_layer: int, n_in: int = 2, n_out: int = 1) -> int:
    """Number of genes of a ``n_in -> middle_layer -> n_out`` network: W1, b1, W2, b2.

    For the lesson's 2-5-1 network: 2*5 + 5 + 5*1 + 1 = 21.
    """
    return n_in * middle_layer + middle_layer + middle_layer * n_out + n_out


class NeuralNetwork:
    """A 2 -> ``n_hidden`` (tanh) -> 1 (sigmoid) network, as in the lesson.

    ``parameters`` is the list ``[W1, b1, W2, b2]`` with shapes ``(n_hidden, n_in)``,
    ``(n_hidden, 1)``, ``(n_out, n_hidden)`` and ``(n_out, 1)``. A genome is those four
    arrays flattened (row-major) and concatenated in that order.
    """

    def __init__(
        self,
        n_in: int,
        n_hidden: int,
        n_out: int,
        init_scale: float = 0.01,
        random_state: int | np.random.Generator | None = None,
    ) -> None:
        rng = np.random.default_rng(random_state)
        self.n_x, self.n_h, self.n_y = n_in, n_hidden, n_out
        # The lesson's initialisation: small random weights, zero biases. The genetic
        # algorithm overwrites them all, so they only matter before set_parameters.
        self.W1 = rng.standard_normal((n_hidden, n_in)) * init_scale
        self.b1 = np.zeros((n_hidden, 1))
        self.W2 = rng.standard_normal((n_out, n_hidden)) * init_scale
        self.b2 = np.zeros((n_out, 1))
        self.parameters = [self.W1, self.b1, self.W2, self.b2]

    @property
    def num_parameters(self) -> int:
        """Genes a genome for this network must have (21 for 2-5-1)."""
        return sum(p.size for p in self.parameters)

    def set_parameters(self, individual: Sequence[float] | np.ndarray) -> None:
        """Copy a flat genome into W1, b1, W2, b2 *in place*.

        In place matters: ``self.parameters`` and the attributes ``W1`` … ``b2`` are the
        same arrays, so writing into them keeps every reference valid.
        """
        genes = np.asarray(individual, dtype=float)
        if genes.ndim != 1 or genes.size != self.num_parameters:
            raise ValueError(
                f"a genome for a {self.n_x}-{self.n_h}-{self.n_y} network needs "
                f"{self.num_parameters} genes; got shape {genes.shape}"
            )
        start = 0
        for p in self.parameters:
            p[...] = genes[start : start + p.size].reshape(p.shape)
            start += p.size

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Output probabilities, shape ``(n_out, n)``; also kept as ``self.A2``."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.n_x:
            raise ValueError(f"X must have shape (n_samples, {self.n_x}); got {X.shape}")
        self.Z1 = self.W1.dot(X.T) + self.b1
        self.A1 = np.tanh(self.Z1)
        self.Z2 = self.W2.dot(self.A1) + self.b2
        self.A2 = sigmoid(self.Z2)
        return self.A2

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Class labels 0/1 as ints, shape ``(n,)`` for one output (the lesson's network)."""
        labels = np.round(self.forward(X)).astype(int)
        return labels[0] if self.n_y == 1 else labels



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
