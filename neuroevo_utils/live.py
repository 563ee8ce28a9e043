"""One figure, redrawn in place while the genetic algorithm runs.

Introduced in notebook 04. The lesson cleared the cell's output after every round and drew
two new figures: the best network, and a "current" one that was simply whichever
individual happened to be evaluated last. Here one frame — the best network's boundary,
the fitness curve so far, and a line of text with the round and best accuracy — replaces
the previous frame. Frames are paced by what they cost: after a frame that took ``d``
seconds to draw the next waits at least ``5.7 d`` (and ``min_seconds``), so drawing takes
at most 15% of a run's time whatever the machine, the browser or the figure's size.

How a frame replaces the last one matters. Updating a display handle
(``display(..., display_id=True)`` then ``handle.update(...)``) works in a plain cell but is
silently dropped inside an ``ipywidgets.Output`` — the Evolve button's output — by JupyterLab,
Notebook 7 and Voilà (ipywidgets#1844, voila#498): the first frame stayed up for the whole
run. ``clear_output(wait=True)`` followed by a fresh ``display`` reaches the browser in both
places (``tests/test_browser.py`` watches it happen in headless Chromium), and ``wait=True``
keeps the old frame until the new one arrives, so nothing flickers.
"""

from __future__ import annotations

import time

import matplotlib.pyplot as plt
from IPython.display import clear_output, display

from .evolution import EvolutionResult, RoundReport
from .plots import figure_grid, plot_fitness, show_predictions
from .problems import Problem
from .settings import Settings


def round_status(report: RoundReport) -> str:
    """The line shown while evolving: ``round 3 of 100 (generation 30): best accuracy 0.9``."""
    return (
        f"round {report.round} of {report.rounds} (generation {report.generation}): "
        f"best accuracy {round(report.best_accuracy, 3)}"
    )


def run_title(settings: Settings, problem: Problem | None = None) -> str:
    """What a run runs, for its figure, in two lines: ``circles, 100 points, difficulty 1 ·
    lesson GA (deap engine)`` and ``5 hidden units · MU 1000 · up to 100 × 10 generations ·
    seed 64``.
    ``problem``: the run's, when it was not made from ``settings`` (``evolve(X, Y)``)."""
    unused = settings.unused
    method = settings.method.labels.get(settings.fitness, settings.algorithm)
    if settings.engine_that_runs:
        method += f" ({settings.engine} engine)"
    if problem is not None and problem.name != settings.problem:
        data = [problem.name, f"{len(problem.Y_train)} points"]
    else:
        data = [settings.problem]
        data += [f"{settings.number_samples} points"] * ("number_samples" not in unused)
        data += [f"difficulty {settings.difficulty}"] * ("difficulty" not in unused)
    run = [f"{settings.middle_layer} hidden units"]
    run += [f"MU {settings.MU}"] * ("MU" not in unused)
    run += [f"up to {settings.NGEN} × {settings.RGEN} generations", f"seed {settings.seed}"]
    return f"{', '.join(data)} · {method}\n{' · '.join(run)}"


def final_status(result: EvolutionResult) -> str:
    """The line shown at the end: ``stopped early after 50 generations: best accuracy 1.0``."""
    ending = "stopped early" if result.stopped_early else "ran every round"
    return (
        f"{ending} after {result.generations} generations: "
        f"best accuracy {round(result.train_accuracy, 3)}"
    )


class LiveEvolutionDisplay:
    """An ``on_round`` callback for :func:`neuroevo_utils.evolve` that redraws one figure.

    Each frame clears the output area it is drawn in — the cell's, or the ``Output`` widget
    that is capturing (as the Evolve panel's does) — and shows the figure, titled with what
    the run runs (``title``, by default :func:`run_title` of its settings), and below it one
    status line. Call :meth:`finish` with the result afterwards to draw the final state.
    """

    DRAWING_SHARE = 0.15
    """The most of a run's time that drawing may take (a fifth was measured at 1.26x the run
    headless, over the 1.25x aimed at, with the first and last frames always drawn)."""

    def __init__(self, min_seconds: float = 0.5, title: str | None = None) -> None:
        self.min_seconds = min_seconds
        self.title = title
        self.seconds_drawing = 0.0
        self._wait = min_seconds  # after the last frame, before the next
        self._kept: tuple[list[int], list[float]] = ([], [])
        self.figure, axes = figure_grid(1, 2, panel_height=4.0)
        self.ax_boundary, self.ax_fitness = axes[0]
        plt.close(self.figure)  # shown by _draw only, not again when the cell ends
        self.draws = 0
        self.status = ""
        self._last_draw = float("-inf")
        self._data = None

    def _draw(self, network, logbook, status: str) -> None:
        started = time.perf_counter()
        X, Y = self._data
        self.ax_boundary.clear()
        self.ax_fitness.clear()
        show_predictions(network, X, Y, name="best network kept, training points",
                         ax=self.ax_boundary)  # fmt: skip
        plot_fitness(logbook, ax=self.ax_fitness, title="training accuracy", kept=self._kept)
        self.figure.suptitle(self.title or "", fontsize="medium")
        self.status = status
        clear_output(wait=True)
        display(self.figure)  # renders the PNG: part of the frame's cost
        print(status)
        self._last_draw = time.perf_counter()
        cost = self._last_draw - started
        self.seconds_drawing += cost
        self._wait = max(self.min_seconds, cost * (1 - self.DRAWING_SHARE) / self.DRAWING_SHARE)
        self.draws += 1

    def _keep(self, generation: int, accuracy: float) -> None:
        generations, accuracies = self._kept
        if not generations or generations[-1] != generation:
            generations.append(generation)
            accuracies.append(accuracy)

    def __call__(self, report: RoundReport) -> None:
        self._data = (report.X, report.Y)
        if self.title is None and report.settings is not None:
            self.title = run_title(report.settings, report.problem)
        self._keep(report.generation, report.best_accuracy)
        if time.perf_counter() - self._last_draw < self._wait:
            return
        self._draw(report.network(), report.logbook, round_status(report))

    def finish(self, result: EvolutionResult) -> None:
        """Draw the final state, whatever the throttle skipped."""
        if self._data is None:
            raise RuntimeError("finish() needs the display to have been passed to evolve first")
        self._keep(result.generations, result.train_accuracy)
        self._draw(result.network(), result.logbook, final_status(result))
