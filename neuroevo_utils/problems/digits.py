"""Real data: scikit-learn's bundled handwritten digits, ten classes.

Introduced in notebook 07: the 8 x 8 digits (1,797 images, no download), pixels scaled to
[0, 1], a stratified seeded share held out (a quarter by default), and a 64 -> ``middle_layer``
-> 10 network (softmax over the ten digits). A genome is laid out as the lesson's is — W1,
b1, W2, b2 — so a 64-16-10 network has 64*16 + 16 + 16*10 + 10 = 1,210 genes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ..data import split_data
from ..population import NetworkShape
from .base import Descent, Problem

if TYPE_CHECKING:
    from ..settings import Settings

N_FEATURES = 64
N_CLASSES = 10

@lru_cache(maxsize=1)
def _all_digits() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    X, Y = load_digits(return_X_y=True)
    return X / 16.0, Y  # pixels run 0-16


def digits_data(
    seed: int, test_size: float = 0.25
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``X_train, X_test, Y_train, Y_test``: the digits, pixels scaled to [0, 1], a
    stratified seeded ``test_size`` held out."""
    X, Y = _all_digits()
    return split_data(X, Y, test_size, seed)


def normal_start(genes: int) -> Callable[[np.random.Generator], np.ndarray]:
    """Where a mean starts on digits: normal genes of standard deviation 1/8 (1/sqrt(64
    inputs)), so the hidden units start in tanh's slope."""

    def start(rng: np.random.Generator) -> np.ndarray:
        return rng.normal(0.0, 1.0 / np.sqrt(N_FEATURES), genes)

    return start


def make_digits_problem(settings: Settings) -> Problem:
    """Digits with a 64-``middle_layer``-10 network."""
    if settings.test_size > 0:
        X_train, X_test, Y_train, Y_test = digits_data(settings.seed, settings.test_size)
    else:
        (X_train, Y_train), X_test, Y_test = _all_digits(), None, None
    shape = NetworkShape(N_FEATURES, settings.middle_layer, N_CLASSES, settings.activation)
    return Problem(
        "digits", X_train, Y_train, X_test, Y_test, shape,
        mean_start=normal_start(shape.genes), initial_step=0.1,
        # scikit-learn MLPClassifier's defaults: Adam, minibatches of 200, rate 0.001
        descent=Descent(learning_rate=0.001, optimizer="adam", batch_size=200),
    )  # fmt: skip
