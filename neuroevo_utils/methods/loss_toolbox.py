"""The lesson's toolbox with a fitness that has a slope: cross-entropy first, accuracy second.

Introduced in notebook 05, which defines :func:`build_loss_toolbox` in its own cells, word for
word (``tests/test_lesson_code.py`` fails if the two drift apart); this copy serves
``fitness="loss"`` in :func:`neuroevo_utils.evolve`, the command line and later notebooks.

Accuracy is a staircase: most small changes to the weights flip no label, so they score the
same and selection cannot tell a step towards the answer from a step away. The mean binary
cross-entropy of the network's output changes with every weight. The fitness holds two
values, ``(loss, accuracy)`` with weights ``(-1, +1)``: DEAP compares fitnesses value by
value, so selection follows the loss (accuracy would only break an exact tie in loss), while
the run is still reported, and stopped early, on accuracy — the last value, as in the
lesson's fitness.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from deap import base, tools

from ..network import NeuralNetwork, genome_length
from .toolbox import build_toolbox


class LossFitness(base.Fitness):
    """``(cross-entropy loss, training accuracy)``: the loss minimised, then accuracy maximised."""

    weights = (-1.0, 1.0)


class LossIndividual(list):
    """A genome whose fitness is :class:`LossFitness`."""

    def __init__(self, genes: Any = ()) -> None:
        super().__init__(genes)
        self.fitness = LossFitness()


def build_loss_toolbox(X: np.ndarray, Y: np.ndarray, middle_layer: int) -> base.Toolbox:
    """The lesson's toolbox, its fitness the cross-entropy loss (then accuracy)."""
    toolbox = build_toolbox(X, Y, middle_layer)  # same genes, operators and random draws
    network = NeuralNetwork(2, middle_layer, 1)

    def evaluate(individual):
        network.set_parameters(individual)
        accuracy = float(np.mean(network.predict(X) == Y))  # predict keeps Z2, the logits
        logits = network.Z2[0]
        # mean binary cross-entropy of sigmoid(logits), written so that it never overflows
        loss = float(np.mean(np.logaddexp(0.0, logits) - Y * logits))
        return (loss, accuracy)

    n_genes = genome_length(middle_layer)
    toolbox.register("individual", tools.initRepeat, LossIndividual, toolbox.attr_float, n=n_genes)
    toolbox.register("population", tools.initRepeat, list, toolbox.individual)
    toolbox.register("evaluate", evaluate)
    return toolbox
