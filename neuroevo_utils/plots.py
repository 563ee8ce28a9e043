"""Plots: the data, a model's decision surface, and fitness over generations.

``plot_data`` is introduced in notebook 01, ``show_predictions`` in notebook 02 and
``plot_fitness`` in notebook 04. Each draws on an ``ax`` (a new figure if none is given)
and returns it, so widgets and live displays can reuse the same functions.
"""

from __future__ import annotations

from typing import Protocol

import matplotlib.pyplot as plt
import numpy as np
from deap import tools
from matplotlib.axes import Axes

GRID_POINTS_PER_AXIS = 200
"""The decision surface is evaluated on at most 200 x 200 = 40,000 points.

The lesson stepped 0.01 across the data range plus a margin of 1, which for blobs at
difficulty 5 means millions of points, and grows with the range of the data.
"""

CMAP = plt.cm.Spectral


class Predictor(Protocol):
    def predict(self, X: np.ndarray) -> np.ndarray: ...


def plot_data(X: np.ndarray, Y: np.ndarray, title: str = "", ax: Axes | None = None) -> Axes:
    """Scatter the points coloured by class, as the lesson does."""
    if ax is None:
        _, ax = plt.subplots()
    ax.scatter(
        X[:, 0], X[:, 1], c=Y, s=40, cmap=CMAP, vmin=0, vmax=1, edgecolors="k", linewidths=0.3
    )
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    if title:
        ax.set_title(title)
    return ax


def decision_grid(
    X: np.ndarray, points_per_axis: int = GRID_POINTS_PER_AXIS
) -> tuple[np.ndarray, np.ndarray]:
    """A ``points_per_axis`` squared grid over the data's range plus a margin of 1."""
    x_min, y_min = X.min(axis=0) - 1
    x_max, y_max = X.max(axis=0) + 1
    return np.meshgrid(
        np.linspace(x_min, x_max, points_per_axis), np.linspace(y_min, y_max, points_per_axis)
    )


def show_predictions(
    model: Predictor,
    X: np.ndarray,
    Y: np.ndarray,
    name: str = "",
    ax: Axes | None = None,
) -> Axes:
    """The model's predicted class over the plane (filled contours) with the labelled points.

    ``model`` is anything with ``predict(X) -> labels``: a scikit-learn classifier or a
    :class:`~neuroevo_utils.NeuralNetwork`.
    """
    if ax is None:
        _, ax = plt.subplots()
    xx, yy = decision_grid(X)
    Z = np.asarray(model.predict(np.c_[xx.ravel(), yy.ravel()])).reshape(xx.shape)
    # Fixed levels and colour limits: class 0 is always red, class 1 always blue, even
    # when a model predicts one class everywhere.
    ax.contourf(xx, yy, Z, levels=[-0.5, 0.5, 1.5], cmap=CMAP, vmin=0, vmax=1, alpha=0.8)
    plot_data(X, Y, title=name, ax=ax)
    return ax


def plot_fitness(logbook: tools.Logbook, ax: Axes | None = None, title: str = "") -> Axes:
    """Best and mean training accuracy of the population per generation."""
    if ax is None:
        _, ax = plt.subplots()
    gens, best, mean = logbook.select("gen", "max", "avg")
    ax.plot(gens, best, label="best in population")
    ax.plot(gens, mean, label="population mean", alpha=0.7)
    ax.set_xlabel("generation")
    ax.set_ylabel("training accuracy")
    ax.set_ylim(0.0, 1.02)
    ax.legend(loc="lower right")
    if title:
        ax.set_title(title)
    return ax
