import numpy as np
import pytest

from neuroevo_utils import load_data
from neuroevo_utils.backprop import train_backprop


@pytest.fixture(scope="module")
def circles():
    return load_data("circles", 100, 1, random_state=64)


def test_lessons_tiny_initialisation_leaves_backprop_at_50_percent(circles):
    X, Y = circles
    network, history = train_backprop(X, Y, init_scale=0.01, epochs=3000, seed=0)
    assert history[-1] == 0.5 and max(history) <= 0.55
    assert np.abs(network.W1).max() < 0.1  # the weights barely moved


def test_backprop_from_a_fair_start_solves_circles(circles):
    X, Y = circles
    network, history = train_backprop(X, Y, init_scale=1.0, epochs=5000, seed=1)
    assert history[-1] == 1.0 == np.mean(network.predict(X) == Y)
    assert len(history) == 50


def test_bad_settings_are_rejected(circles):
    with pytest.raises(ValueError, match="must be positive"):
        train_backprop(*circles, init_scale=0)
