"""Accuracy: the share of points whose predicted label is right. One helper for every model.

Introduced in notebook 02 (the baseline's accuracy) and used wherever a model or a set of
predicted labels is scored: plots, backprop, CMA-ES. (The toolboxes that notebooks 04 and 05
write out compute it inline, as the lesson does; ``population_accuracy`` scores a whole
population at once.)
"""

from __future__ import annotations

from typing import Any

import numpy as np


def label_accuracy(labels: np.ndarray, Y: np.ndarray, axis: int | None = None) -> Any:
    """Share of ``labels`` equal to ``Y``; with ``axis=1``, one share per row of ``labels``
    (one network's labels per row)."""
    return np.mean(np.asarray(labels) == np.asarray(Y), axis=axis)


def accuracy(model: Any, X: np.ndarray, Y: np.ndarray) -> float:
    """Accuracy of anything with ``predict(X) -> labels`` (a scikit-learn classifier, a
    :class:`~neuroevo_utils.NeuralNetwork`) on the points ``X`` with labels ``Y``."""
    return float(label_accuracy(model.predict(X), Y))
