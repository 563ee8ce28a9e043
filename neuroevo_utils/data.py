"""The lesson's five toy problems and a seeded train/test split.

Introduced in notebook 01.
"""

from __future__ import annotations

import numpy as np
import sklearn.datasets
import sklearn.model_selection

from .parameters import validate_all

NUMBER_FEATURES = 2
NUMBER_CLASSES = 2

MOONS_NOISE_PER_LEVEL = 0.1
"""Gaussian noise added to moons per difficulty level above 1 (the lesson adds none)."""
CIRCLES_NOISE_PER_LEVEL = 0.05
"""Gaussian noise added to circles per difficulty level above 1 (the lesson adds none)."""


def _noise(difficulty: int, per_level: float) -> float | None:
    # Difficulty 1 passes ``None`` so the data is exactly the lesson's noise-free data.
    return None if difficulty == 1 else per_level * (difficulty - 1)


def load_data(
    problem: str = "circles",
    number_samples: int = 100,
    difficulty: int = 1,
    random_state: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Make one of the lesson's problems: ``X`` of shape (n, 2) floats, ``Y`` of shape (n,) ints.

    ``difficulty`` follows the lesson: ``class_sep=1/difficulty`` and more clusters and
    informative features for ``classification``, ``cluster_std=difficulty`` for ``blobs``,
    ``cov=difficulty`` for ``gaussian quantiles``. The lesson ignores it for ``moons`` and
    ``circles``; here they get Gaussian noise that grows with it (none at difficulty 1).

    One fix to the lesson: at difficulty 3 it asks ``make_classification`` for two clusters
    per class with one informative feature, which scikit-learn rejects. Here the second
    informative feature arrives at difficulty 3 and the second cluster at difficulty 4.
    """
    values = validate_all(
        {"problem": problem, "number_samples": number_samples, "difficulty": difficulty}
    )
    return make_data(**values, random_state=random_state)


def make_data(
    problem: str, number_samples: int, difficulty: int, random_state: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`load_data` for values already checked (by ``load_data`` or a problem)."""
    if problem == "classification":
        X, Y = sklearn.datasets.make_classification(
            n_samples=number_samples,
            n_features=NUMBER_FEATURES,
            n_redundant=0,
            n_informative=1 if difficulty < 3 else 2,
            n_clusters_per_class=1 if difficulty < 4 else 2,
            class_sep=1 / difficulty,
            random_state=random_state,
        )
    elif problem == "blobs":
        X, Y = sklearn.datasets.make_blobs(
            n_samples=number_samples,
            n_features=NUMBER_FEATURES,
            centers=NUMBER_CLASSES,
            cluster_std=difficulty,
            random_state=random_state,
        )
    elif problem == "gaussian quantiles":
        X, Y = sklearn.datasets.make_gaussian_quantiles(
            cov=difficulty,
            n_samples=number_samples,
            n_features=NUMBER_FEATURES,
            n_classes=NUMBER_CLASSES,
            random_state=random_state,
        )
    elif problem == "moons":
        X, Y = sklearn.datasets.make_moons(
            n_samples=number_samples,
            noise=_noise(difficulty, MOONS_NOISE_PER_LEVEL),
            random_state=random_state,
        )
    else:  # "circles"; validation has ruled out anything else
        X, Y = sklearn.datasets.make_circles(
            n_samples=number_samples,
            noise=_noise(difficulty, CIRCLES_NOISE_PER_LEVEL),
            random_state=random_state,
        )
    return np.asarray(X, dtype=float), np.asarray(Y, dtype=int)


def split_data(
    X: np.ndarray,
    Y: np.ndarray,
    test_size: float = 0.25,
    random_state: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stratified, seeded split: ``X_train, X_test, Y_train, Y_test``.

    Introduced in notebook 04, where the lesson (which trains and scores on the same
    points) gets a held-out score. ``test_size`` must lie strictly between 0 and 1.
    """
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be strictly between 0 and 1; got {test_size!r}")
    try:
        return sklearn.model_selection.train_test_split(
            X, Y, test_size=test_size, random_state=random_state, stratify=Y
        )
    except ValueError:
        raise ValueError(
            f"cannot hold out {test_size:g} of {len(Y)} points with both classes on each "
            "side: use more points or another test_size"
        ) from None
