"""The lesson's whole experiment from one set of parameter values: data, split, evolve, score.

Introduced in notebook 04; the command line (``python -m neuroevo_utils``) runs the same
function, so the notebook and the shell give the same numbers for the same values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from deap import base

from .data import make_problem, split_data
from .evolution import EvolutionResult, RoundReport, _run_evolution
from .methods import unused_parameters
from .parameters import DEFAULTS, validate_all
from .scoring import accuracy


@dataclass
class Experiment:
    """Parameters, the data they produced, and what evolution made of it."""

    parameters: dict[str, Any]
    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray | None
    Y_test: np.ndarray | None
    result: EvolutionResult

    @property
    def test_accuracy(self) -> float | None:
        """Accuracy of the best network on the held-out points (None without a test split)."""
        if self.X_test is None:
            return None
        return accuracy(self.result.network(), self.X_test, self.Y_test)

    def summary(self) -> dict[str, Any]:
        """Plain numbers (rounded to 3 decimals) for printing or JSON."""
        test = self.test_accuracy
        return {
            **self.parameters,
            "fitness": self.result.fitness,  # "auto" resolved
            "genes": int(self.result.best_individual.size),
            "train_accuracy": round(float(self.result.train_accuracy), 3),
            "test_accuracy": None if test is None else round(float(test), 3),
            "generations": self.result.generations,
            "evaluations": self.result.evaluations,
            "stopped_early": self.result.stopped_early,
            "seconds": round(float(self.result.seconds), 3),
            "engine": self.result.engine,  # None where no engine ran
            "unused_parameters": list(unused_parameters(self.parameters["algorithm"])),
        }


def experiment_data(
    values: Mapping[str, Any],
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, np.ndarray | None]:
    """``X_train, X_test, Y_train, Y_test`` for checked values: the problem made with
    ``random_state=seed`` and, with ``test_size`` > 0, a stratified seeded share held out
    (the test arrays are ``None`` without one). Notebook 05's race uses it too."""
    X, Y = make_problem(
        values["problem"], values["number_samples"], values["difficulty"], values["seed"]
    )
    if values["test_size"] > 0:
        return split_data(X, Y, values["test_size"], values["seed"])
    return X, None, Y, None


def run_experiment(
    parameters: Mapping[str, Any] | None = None,
    *,
    early_stop: bool = True,
    toolbox: Callable[[np.ndarray, np.ndarray, int], base.Toolbox] | None = None,
    on_round: Callable[[RoundReport], None] | None = None,
) -> Experiment:
    """Run the lesson's experiment; missing parameters take the lesson's defaults.

    The data is made with ``random_state=seed``; with ``test_size`` > 0 a stratified,
    seeded share of it is held out and the network is trained on the rest only.
    ``toolbox(X_train, Y_train, middle_layer)``, if given, builds the toolbox the DEAP
    engines run, as in :func:`~neuroevo_utils.evolve` (notebook 04 passes the ``build_toolbox``
    defined in its cells; with ``fitness="loss"`` it must evaluate ``(loss, accuracy)``, as
    notebook 05's ``build_loss_toolbox`` does).
    """
    values = {**DEFAULTS, **validate_all(parameters or {})}  # checked here, once
    seed = values["seed"]
    X_train, X_test, Y_train, Y_test = experiment_data(values)
    built = None if toolbox is None else toolbox(X_train, Y_train, values["middle_layer"])
    result = _run_evolution(
        X_train,
        Y_train,
        middle_layer=values["middle_layer"],
        MU=values["MU"],
        NGEN=values["NGEN"],
        RGEN=values["RGEN"],
        CXPB=values["CXPB"],
        MUTPB=values["MUTPB"],
        seed=seed,
        target_accuracy=values["target_accuracy"],
        early_stop=early_stop,
        engine=values["engine"],
        algorithm=values["algorithm"],
        fitness=values["fitness"],
        toolbox=built,
        on_round=on_round,
    )
    return Experiment(values, X_train, Y_train, X_test, Y_test, result)
