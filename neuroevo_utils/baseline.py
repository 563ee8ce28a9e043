"""The lesson's baseline: a cross-validated logistic regression.

Introduced in notebook 02.
"""

from __future__ import annotations

import inspect

import numpy as np
from sklearn.linear_model import LogisticRegressionCV

from .scoring import accuracy  # noqa: F401 - where notebook 02 first meets it

# The lesson called LogisticRegressionCV() with no arguments. scikit-learn 1.8+ marks
# defaults that are about to change with the placeholder "warn" and emits a FutureWarning
# for each; we pass the lesson's behaviour (plain L2 penalty, accuracy as the CV score)
# explicitly for exactly those, and leave older versions' defaults alone.
_LESSON_SETTINGS = {
    "l1_ratios": (0.0,),
    "scoring": "accuracy",
    "use_legacy_attributes": False,
}


def logistic_regression_baseline(
    X: np.ndarray, Y: np.ndarray, random_state: int | None = None
) -> LogisticRegressionCV:
    """Fit and return the lesson's ``LogisticRegressionCV`` baseline on ``X, Y``."""
    defaults = inspect.signature(LogisticRegressionCV).parameters
    settings = {
        name: value
        for name, value in _LESSON_SETTINGS.items()
        if name in defaults and defaults[name].default == "warn"
    }
    model = LogisticRegressionCV(random_state=random_state, **settings)
    return model.fit(X, Y)

