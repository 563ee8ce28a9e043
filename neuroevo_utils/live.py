"""One figure, updated in place while the genetic algorithm runs.

Introduced in notebook 04. The lesson cleared the cell's output after every round and drew
two new figures: the best network, and a "current" one that was simply whichever
individual happened to be evaluated last. Here a single display — the best network's
boundary and the fitness curve so far — is redrawn in place, at most every ``min_seconds``
so that drawing never dominates a fast run.
"""

from __future__ import annotations

import time

import matplotlib.pyplot as plt
from IPython.display import display

from .evolution import EvolutionResult, RoundReport
from .plots import plot_fitness, show_predictions


class LiveEvolutionDisplay:
    """An ``on_round`` callback for :func:`neuroevo_utils.evolve` that redraws one figure.

    Call :meth:`finish` with the result afterwards to draw the final state.
    """

    def __init__(self, min_seconds: float = 0.5) -> None:
        self.min_seconds = min_seconds
        self.figure, (self.ax_boundary, self.ax_fitness) = plt.subplots(1, 2, figsize=(11, 4.2))
        plt.close(self.figure)  # shown through our display handle only, not again at cell end
        self.handle = None
        self.draws = 0
        self._last_draw = float("-inf")
        self._data = None

    def _draw(self, network, logbook, title: str) -> None:
        X, Y = self._data
        self.ax_boundary.clear()
        self.ax_fitness.clear()
        show_predictions(network, X, Y, name="best network", ax=self.ax_boundary)
        plot_fitness(logbook, ax=self.ax_fitness, title="training accuracy")
        self.figure.suptitle(title)
        if self.handle is None:
            self.handle = display(self.figure, display_id=True)
        else:
            self.handle.update(self.figure)
        self._last_draw = time.perf_counter()
        self.draws += 1

    def __call__(self, report: RoundReport) -> None:
        self._data = (report.X, report.Y)
        if time.perf_counter() - self._last_draw < self.min_seconds:
            return
        self._draw(
            report.network(),
            report.logbook,
            f"round {report.round} of {report.rounds} (generation {report.generation}): "
            f"best accuracy {round(report.best_accuracy, 3)}",
        )

    def finish(self, result: EvolutionResult) -> None:
        """Draw the final state, whatever the throttle skipped."""
        if self._data is None:
            raise RuntimeError("finish() needs the display to have been passed to evolve first")
        ending = "stopped early" if result.stopped_early else "ran every round"
        self._draw(
            result.network(),
            result.logbook,
            f"{ending} after {result.generations} generations: "
            f"best accuracy {round(result.train_accuracy, 3)}",
        )
