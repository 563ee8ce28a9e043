import warnings

import pytest

from neuroevo_utils import accuracy, load_data, logistic_regression_baseline


def test_baseline_fits_without_warnings_and_is_seeded():
    X, Y = load_data("blobs", 200, 1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = logistic_regression_baseline(X, Y, random_state=0)
    assert accuracy(model, X, Y) > 0.95  # two well separated blobs: linear is enough


def test_linear_model_fails_on_circles():
    X, Y = load_data("circles", 200, 1, random_state=0)
    model = logistic_regression_baseline(X, Y, random_state=0)
    assert accuracy(model, X, Y) <= 0.6  # no straight line separates two rings


def test_accuracy_counts_the_fraction_right():
    class Constant:
        def predict(self, X):
            return [1] * len(X)

    assert accuracy(Constant(), [[0, 0]] * 4, [1, 1, 0, 1]) == pytest.approx(0.75)
