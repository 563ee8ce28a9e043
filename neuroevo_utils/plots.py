"""Plots: the data, a model's decision surface, and fitness over generations.

``plot_data`` and ``figure_grid`` are introduced in notebook 01, ``show_predictions`` in
notebook 02 and ``plot_fitness`` in notebook 04. Each draws on an ``ax`` (a new figure if
none is given) and returns it, so widgets and live displays reuse the same functions.

One style for the whole series: a legend names the class colours; x1 and x2 share units,
so the axes have equal aspect (circles look round); a figure is at most ``FIGURE_WIDTH``
inches wide, the width of a notebook column at the inline backend's 100 dpi, so nothing is
scaled down; a plot of a model's predictions states its accuracy on the points shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import matplotlib.pyplot as plt
import numpy as np
from deap import tools
from matplotlib.axes import Axes

from .scoring import accuracy

GRID_POINTS_PER_AXIS = 200
"""The decision surface is evaluated on at most 200 x 200 = 40,000 points.

The lesson stepped 0.01 across the data range plus a margin of 1, which for blobs at
difficulty 5 means millions of points, and grows with the range of the data.
"""

CMAP = plt.cm.Spectral
CLASS_LABELS = ("class 0", "class 1")
FIGURE_WIDTH = 9.0
"""Inches: 900 pixels at the inline backend's 100 dpi, about a notebook column."""


def figure_grid(rows: int, columns: int, panel_height: float | None = None):
    """``plt.subplots(rows, columns)`` sized for a notebook column; ``axes`` is always 2-D.

    Panels are about square, ``panel_height`` inches high (default: as wide as a column of
    the grid); the figure is as wide as its panels need, at most ``FIGURE_WIDTH``.
    """
    height = FIGURE_WIDTH / columns if panel_height is None else panel_height
    width = min(FIGURE_WIDTH, 1.15 * height * columns)
    return plt.subplots(
        rows, columns, figsize=(width, height * rows), squeeze=False, layout="constrained"
    )


class Predictor(Protocol):
    def predict(self, X: np.ndarray) -> np.ndarray: ...


def plot_data(
    X: np.ndarray, Y: np.ndarray, title: str = "", ax: Axes | None = None, legend: bool = True
) -> Axes:
    """Scatter the points coloured by class, as the lesson does, with equal axes."""
    if ax is None:
        _, ax = figure_grid(1, 1, panel_height=5.0)
        ax = ax[0, 0]
    for label, name in enumerate(CLASS_LABELS):
        mine = Y == label
        ax.scatter(
            X[mine, 0], X[mine, 1], color=CMAP(float(label)), s=30, edgecolors="k",
            linewidths=0.3, label=name,
        )  # fmt: skip
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    if legend:
        ax.legend(loc="best", fontsize="small", framealpha=0.8)
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
    legend: bool = True,
    extent: np.ndarray | None = None,
) -> Axes:
    """The model's predicted class over the plane (filled contours) with the labelled points.

    ``model`` is anything with ``predict(X) -> labels``: a scikit-learn classifier or a
    :class:`~neuroevo_utils.NeuralNetwork`. The title is ``name`` and the model's accuracy
    on these points (training or held-out: whichever ``X, Y`` are). ``extent``: points whose
    range the plane covers (default ``X``); panels given the same extent share their axes.
    """
    if ax is None:
        _, ax = figure_grid(1, 1, panel_height=5.0)
        ax = ax[0, 0]
    xx, yy = decision_grid(X if extent is None else extent)
    Z = np.asarray(model.predict(np.c_[xx.ravel(), yy.ravel()])).reshape(xx.shape)
    # Fixed levels and colour limits: class 0 is always red, class 1 always blue, even
    # when a model predicts one class everywhere. Pale regions, so dots stand out on them.
    ax.contourf(xx, yy, Z, levels=[-0.5, 0.5, 1.5], cmap=CMAP, vmin=0, vmax=1, alpha=0.3)
    score = round(accuracy(model, X, Y), 3)
    title = f"{name}\naccuracy {score}" if name else f"accuracy {score}"
    plot_data(X, Y, title=title, ax=ax, legend=legend)
    return ax


def plot_fitness(
    logbook: tools.Logbook,
    ax: Axes | None = None,
    title: str = "",
    spread: bool = False,
    kept: tuple[Sequence[int], Sequence[float]] | None = None,
) -> Axes:
    """Best and mean training accuracy of the population per generation.

    ``spread=True`` (notebook 05) also shades mean ± one standard deviation and draws the
    best accuracy seen so far, which stays above the population's best when that is lost.
    ``kept``: generations and the accuracy of the network the run keeps (its hall of fame)
    at each, drawn as a step line; the live display passes it, so that the number in its
    title is on the plot too (the elitist GA on the loss can keep a network more accurate
    than any that survives in its population).
    """
    if ax is None:
        _, ax = figure_grid(1, 1, panel_height=4.0)
        ax = ax[0, 0]
    gens, best, mean, std = (np.asarray(v) for v in logbook.select("gen", "max", "avg", "std"))
    ax.plot(gens, best, label="best in population")
    ax.plot(gens, mean, label="population mean", alpha=0.7)
    if spread:
        ax.fill_between(gens, mean - std, mean + std, alpha=0.2, color="C1", label="mean ± std")
        ax.plot(gens, np.maximum.accumulate(best), "k--", lw=1, label="best so far")
    if kept is not None and len(kept[0]):
        ax.step(kept[0], kept[1], "k", where="post", lw=1.2, label="best kept (hall of fame)")
    ax.set_xlabel("generation")
    ax.set_ylabel("training accuracy")
    ax.set_ylim(0.0, 1.02)
    ax.legend(loc="lower right")
    if title:
        ax.set_title(title)
    return ax
