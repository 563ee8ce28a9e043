"""Plots: the data, a model's decision surface, and fitness over generations.

``plot_data`` and ``figure_grid`` are introduced in notebook 01, ``show_predictions`` in
notebook 02, ``plot_fitness`` in notebook 04, ``plot_race`` in notebook 05, ``plot_sweep``
and ``plot_sweep_heatmap`` in notebook 06, ``plot_curves`` and ``plot_scaling`` in notebook
07 (the last four read a study's rows, :mod:`neuroevo_utils.study`). Each draws on an ``ax``
(or a new figure) and returns it, so widgets and live displays reuse the same functions.

One style for the whole series: a legend names the class colours; x1 and x2 share units,
so the axes have equal aspect (circles look round); a figure is at most ``FIGURE_WIDTH``
inches wide, the width of a notebook column at the inline backend's 100 dpi, so nothing is
scaled down; a plot of a model's predictions states its accuracy on the points shown.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .scoring import accuracy

if TYPE_CHECKING:
    import pandas as pd
    from deap import tools

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
    at each, drawn as a wide pale step line under the others (where the two agree, the best
    in population stays visible on it) once it has two points, so that its legend entry
    comes with a line; the live display passes it, so that the number in its status line is
    on the plot too (the elitist GA on the loss can keep a network more accurate than any
    that survives in its population).
    """
    if ax is None:
        _, ax = figure_grid(1, 1, panel_height=4.0)
        ax = ax[0, 0]
    gens, best, mean, std = (np.asarray(v) for v in logbook.select("gen", "max", "avg", "std"))
    if kept is not None and len(kept[0]) > 1:  # under the others: wide and pale, never hiding
        ax.step(kept[0], kept[1], color="0.75", where="post", lw=4, zorder=1,
                label="best kept (hall of fame)")  # fmt: skip
    ax.plot(gens, best, label="best in population", zorder=3)
    ax.plot(gens, mean, label="population mean", alpha=0.7, zorder=2)
    if spread:
        ax.fill_between(gens, mean - std, mean + std, alpha=0.2, color="C1", label="mean ± std")
        ax.plot(gens, np.maximum.accumulate(best), "k--", lw=1, label="best so far")
    ax.set_xlabel("generation")
    ax.set_ylabel("training accuracy")
    ax.set_ylim(0.0, 1.02)
    ax.legend(loc="lower right")
    if title:
        ax.set_title(title)
    return ax


# -- studies (notebooks 05-07) --------------------------------------------------------------

METHOD_COLOURS = ("C0", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9")


def colour(method: str) -> str:
    """One colour per method, the same in every figure: its place in the registry."""
    from .methods import METHOD_TABLE

    labels = [label for m in METHOD_TABLE.values() for label in m.labels.values()]
    index = labels.index(method) if method in labels else len(labels)
    return METHOD_COLOURS[index % len(METHOD_COLOURS)]


def plot_race(runs: pd.DataFrame, value: str = "success rate", title: str = "") -> Figure:
    """Two panels: ``value`` per method and problem as a heat map, and beside it the spread
    of seconds to target over each method's successful runs (log scale), or for held-out
    accuracy, its spread over every run.

    ``value``: ``"success rate"`` (targets reached / runs) or ``"median held-out accuracy"``.
    """
    grouped = runs.assign(reached=runs["reached"].astype(float)).groupby(["method", "problem"])
    if "accuracy" in value:
        table = grouped["test_accuracy"].median().unstack("problem")
    else:
        table = grouped["reached"].mean().unstack("problem")
    methods = list(dict.fromkeys(runs["method"]))
    problems = list(dict.fromkeys(runs["problem"]))
    table = table.loc[methods, problems]
    figure, axes = figure_grid(1, 2, panel_height=4.2)
    heat, times = axes[0]
    image = heat.imshow(table.to_numpy(float), vmin=0.5 if "accuracy" in value else 0.0,
                        vmax=1.0, cmap="viridis", aspect="auto")  # fmt: skip
    heat.set_xticks(range(len(problems)), [p.replace(" ", "\n") for p in problems], fontsize=8)
    heat.set_yticks(range(len(methods)), methods, fontsize=8)
    for (row, column), number in np.ndenumerate(table.to_numpy(float)):
        heat.text(column, row, "–" if np.isnan(number) else f"{number:.2f}", ha="center",
                  va="center", fontsize=8, color="white" if number < 0.8 else "black")  # fmt: skip
    heat.set_title(value)
    figure.colorbar(image, ax=heat, shrink=0.8)
    if "accuracy" in value:  # every run's held-out accuracy
        spread = [runs.loc[runs["method"] == m, "test_accuracy"].astype(float) for m in methods]
        times.boxplot(spread, vert=False)
        times.set_xlabel("held-out accuracy (every run)")
        times.set_title("spread over seeds and problems")
    else:  # seconds of the runs that reached their target
        reached = runs["reached"].astype(bool)
        spread = [runs.loc[reached & (runs["method"] == m), "seconds"] for m in methods]
        times.boxplot([s.clip(lower=1e-4) for s in spread], vert=False)
        times.set_xscale("log")
        times.set_xlabel("seconds to target (runs that reached it)")
        times.set_title("time to target")
    times.set_yticks(range(1, len(methods) + 1), methods, fontsize=8)
    times.invert_yaxis()
    if title:
        figure.suptitle(title)
    return figure


def plot_sweep(table: pd.DataFrame, parameter: str, ax: Axes, title: str = "") -> Axes:
    """Success rate (bars, left axis) and median generations to target of the successful
    runs (line, right axis) for each value of ``parameter`` (a
    :func:`~neuroevo_utils.study.summary` by it)."""
    labels = [str(v) for v in table[parameter]]
    positions = np.arange(len(labels))
    numeric = all(isinstance(v, numbers.Number) for v in table[parameter])
    ax.bar(positions, table["success rate"], color="C0", alpha=0.7, label="success rate")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("success rate", color="C0")
    if numeric:
        ax.set_xticks(positions, labels)
    else:  # names: slanted, so that long ones do not run into each other
        ax.set_xticks(positions, labels, rotation=25, ha="right", fontsize=9)
    ax.set_xlabel(parameter)
    generations = ax.twinx()
    # a line joins numbers in order; between names it would suggest an order there is not
    generations.plot(positions, table["median generations"], "o-" if numeric else "o",
                     color="C3", label="median generations (successful runs)")  # fmt: skip
    generations.set_ylabel("median generations to target", color="C3")
    generations.set_ylim(bottom=0)
    bars, line = ax.get_legend_handles_labels(), generations.get_legend_handles_labels()
    # under the axes, so that it never hides a bar or a point
    ax.figure.legend(bars[0] + line[0], bars[1] + line[1], loc="outside lower center", ncol=2,
                     fontsize=8, frameon=False)  # fmt: skip
    if title:
        ax.set_title(title)
    return ax


def plot_sweep_heatmap(
    table: pd.DataFrame, x: str, y: str, ax: Axes, title: str = ""
) -> Axes:
    """Success rate for every pair of values of ``x`` and ``y`` (a summary by both)."""
    table = table.pivot(index=y, columns=x, values="success rate").sort_index(ascending=False)
    image = ax.imshow(table.to_numpy(float), vmin=0, vmax=1, cmap="viridis", aspect="auto")
    ax.set_xticks(range(table.shape[1]), [f"{v:g}" for v in table.columns])
    ax.set_yticks(range(table.shape[0]), [f"{v:g}" for v in table.index])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    for (row, column), rate in np.ndenumerate(table.to_numpy(float)):
        ax.text(column, row, f"{rate:.2f}", ha="center", va="center", fontsize=9,
                color="white" if rate < 0.6 else "black")  # fmt: skip
    ax.figure.colorbar(image, ax=ax, shrink=0.85, label="success rate")
    if title:
        ax.set_title(title)
    return ax


def plot_curves(curves: pd.DataFrame, target: float | None = None, title: str = "") -> Figure:
    """Held-out accuracy against work (left) and against seconds (right, log scale): the
    median over seeds per method, and the range of the seeds shaded (notebook 07's digits
    race; ``curves``: :func:`neuroevo_utils.study.curves`). ``target``: a labelled line."""
    figure, axes = figure_grid(1, 2, panel_height=4.0)
    figure.suptitle(title or f"held-out accuracy over {curves['seed'].nunique()} seeds: "
                    "median line, range of the seeds shaded")  # fmt: skip
    for method, rows in curves.groupby("method", sort=False):
        rows = rows.assign(check=rows.groupby("seed").cumcount())  # the n-th check of a run
        table = rows.pivot_table(index="check", columns="seed", values="test_accuracy")
        checks = rows.groupby("check")[["evaluations", "seconds"]].median()
        median = table.median(axis=1)
        for ax, x in ((axes[0, 0], checks["evaluations"]), (axes[0, 1], checks["seconds"])):
            ax.plot(x, median, label=method, color=colour(method))
            ax.fill_between(x, table.min(axis=1), table.max(axis=1), alpha=0.15,
                            color=colour(method))  # fmt: skip
    axes[0, 0].set_xscale("log")
    axes[0, 0].set_xlabel("networks evaluated (backprop: epochs, passes forward and back)")
    axes[0, 1].set_xscale("log")
    axes[0, 1].set_xlabel("seconds (median over seeds)")
    for ax in axes[0]:
        ax.set_ylabel("held-out accuracy")
        ax.set_ylim(0, 1)
        if target is not None:
            ax.axhline(target, color="grey", linestyle=":", linewidth=1,
                       label=f"target: {target:.0%} held out")  # fmt: skip
    axes[0, 0].set_title("against work")
    axes[0, 1].set_title("against time")
    axes[0, 0].legend(fontsize=8, loc="lower right")
    return figure


def plot_scaling(runs: pd.DataFrame, target: float) -> Figure:
    """Work (left) and seconds (right) to ``target`` against the genome's length, log-log:
    the median over the seeds that reached it; an open marker where not every seed did."""
    figure, axes = figure_grid(1, 2, panel_height=4.0)
    runs = runs.assign(reached=runs["reached"].astype(bool))
    groups = runs.groupby(["method", "genes"], sort=False)
    done = runs[runs["reached"]].groupby(["method", "genes"], sort=False)
    table = groups.agg(runs=("reached", "size"), reached=("reached", "sum"))
    table["median work"] = done["evaluations"].median()
    table["median seconds"] = done["seconds"].median()
    table = table.reset_index()
    for method, rows in table.groupby("method", sort=False):
        for ax, column in ((axes[0, 0], "median work"), (axes[0, 1], "median seconds")):
            ax.plot(rows["genes"], rows[column], marker="o", label=method,
                    color=colour(method))  # fmt: skip
            partial = rows[rows["reached"] < rows["runs"]]
            ax.plot(partial["genes"], partial[column], "o", markerfacecolor="white",
                    color=colour(method))  # fmt: skip
    for ax, column, label in (
        (axes[0, 0], "median work", "work to target (evaluations; backprop: epochs)"),
        (axes[0, 1], "median seconds", "seconds to target"),
    ):
        ax.set_xscale("log")
        if (table[column] > 0).any():  # else no run reached the target: nothing to scale
            ax.set_yscale("log")
        sizes = sorted(runs["genes"].unique())
        ax.set_xticks(sizes, [f"{g:,}" for g in sizes])
        ax.minorticks_off()
        ax.set_xlabel("genes (weights and biases)")
        ax.set_ylabel(label)
    axes[0, 0].legend(fontsize=8)
    figure.suptitle(f"to {target:.0%} held-out accuracy on digits (open: not every seed got there)")
    return figure
