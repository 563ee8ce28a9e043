"""The lesson's five toy problems as :class:`~neuroevo_utils.problems.base.Problem` objects.

Introduced in notebook 04 (``run_experiment`` makes one, then runs a method on it). The data
is notebook 01's (:func:`~neuroevo_utils.data.load_data`), made with ``random_state=seed``;
with ``test_size`` > 0 a stratified, seeded share is held out. The network is the lesson's
2 -> ``middle_layer`` -> 1, its hidden units ``tanh`` or, in notebook 07, hard thresholds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..baseline import logistic_regression_baseline
from ..data import NUMBER_FEATURES, make_data, split_data
from ..population import NetworkShape
from ..scoring import accuracy
from .base import Problem, uniform_start

if TYPE_CHECKING:
    from ..settings import Settings

ALWAYS_SEPARABLE: tuple[str, ...] = ("gaussian quantiles", "moons", "circles")
"""Problems whose classes never overlap without noise (difficulty 1)."""

def toy_data(
    settings: Settings,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, np.ndarray | None]:
    """``X_train, X_test, Y_train, Y_test`` for these settings (test arrays None without a
    held-out share)."""
    X, Y = make_data(settings.problem, settings.number_samples, settings.difficulty,
                     settings.seed)  # fmt: skip
    if settings.test_size > 0:
        return split_data(X, Y, settings.test_size, settings.seed)
    return X, None, Y, None


def make_toy_problem(settings: Settings) -> Problem:
    """The toy problem ``settings.problem`` with the lesson's network."""
    X_train, X_test, Y_train, Y_test = toy_data(settings)
    shape = NetworkShape(NUMBER_FEATURES, settings.middle_layer, 1, settings.activation)
    return Problem(settings.problem, X_train, Y_train, X_test, Y_test, shape,
                   mean_start=uniform_start(shape.genes))  # fmt: skip


def toy_reachable_target(problem: Problem, seed: int) -> float:
    """A training target the 2-h-1 network can reach on these points: 100% where the classes
    never overlap (:data:`ALWAYS_SEPARABLE`, difficulty 1); on ``classification`` (1% of
    labels flipped) and ``blobs`` (which can touch), what notebook 02's logistic regression
    reaches on the same points."""
    if problem.name in ALWAYS_SEPARABLE:
        return 1.0
    model = logistic_regression_baseline(problem.X_train, problem.Y_train, random_state=seed)
    return accuracy(model, problem.X_train, problem.Y_train)
