"""The whole experiment from one set of parameter values: make the problem, run the method.

Introduced in notebook 04; the command line (``python -m neuroevo_utils``), the Evolve panels
and every study run the same function, so the notebook and the shell give the same numbers
for the same values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from deap import base

from .evolution import EvolutionResult, RoundReport, run
from .problems import Problem, make_problem
from .settings import Settings


@dataclass
class Experiment:
    """The settings, the problem they made, and what the method made of it."""

    settings: Settings
    problem: Problem
    result: EvolutionResult

    @property
    def parameters(self) -> dict[str, Any]:
        return self.settings.values()

    @property
    def X_train(self) -> np.ndarray:
        return self.problem.X_train

    @property
    def Y_train(self) -> np.ndarray:
        return self.problem.Y_train

    @property
    def X_test(self) -> np.ndarray | None:
        return self.problem.X_test

    @property
    def Y_test(self) -> np.ndarray | None:
        return self.problem.Y_test

    @property
    def test_accuracy(self) -> float | None:
        """Accuracy of the best network on the held-out points (None without a test split)."""
        held_out = self.problem.held_out_accuracy(self.result.best_individual[None])
        return None if held_out is None else float(held_out[0])

    def summary(self) -> dict[str, Any]:
        """Plain numbers (rounded to 3 decimals) for printing or JSON."""
        test = self.test_accuracy
        return {
            **self.parameters,
            "genes": int(self.result.best_individual.size),
            "train_accuracy": round(float(self.result.train_accuracy), 3),
            "test_accuracy": None if test is None else round(float(test), 3),
            "generations": self.result.generations,
            "evaluations": self.result.evaluations,
            "work_unit": self.result.work_unit,
            "stopped_early": self.result.stopped_early,
            "seconds": round(float(self.result.seconds), 3),
            "engine": self.result.engine,  # None where no engine ran
            "unused_parameters": list(self.settings.unused),
        }


def run_experiment(
    parameters: Mapping[str, Any] | Settings | None = None,
    *,
    early_stop: bool = True,
    toolbox: Callable[[np.ndarray, np.ndarray, int], base.Toolbox] | None = None,
    on_round: Callable[[RoundReport], None] | None = None,
) -> Experiment:
    """Make the problem the parameters describe and run their method on it; missing
    parameters take the problem's defaults, then the lesson's.

    The data is made with ``random_state=seed``; with ``test_size`` > 0 a stratified,
    seeded share of it is held out and the network is trained on the rest only.
    ``toolbox(X_train, Y_train, middle_layer)``, if given, builds the toolbox the DEAP
    engines run, as in :func:`~neuroevo_utils.evolve` (notebook 04 passes the ``build_toolbox``
    defined in its cells; with ``fitness="loss"`` it must evaluate ``(loss, accuracy)``, as
    notebook 05's ``build_loss_toolbox`` does).
    """
    settings = parameters if isinstance(parameters, Settings) else Settings.of(parameters)
    problem = make_problem(settings)
    result = run(problem, settings, toolbox=toolbox, on_round=on_round, early_stop=early_stop)
    return Experiment(settings, problem, result)
