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


def test_the_genetic_algorithms_start_draws_every_gene_uniformly(circles):
    X, Y = circles
    network, _ = train_backprop(X, Y, init="uniform", epochs=1, learning_rate=1e-12, seed=3)
    genes = np.concatenate([p.ravel() for p in network.parameters])
    expected = np.random.default_rng(3).uniform(-1, 1, 21)
    np.testing.assert_allclose(genes, expected, atol=1e-9)  # biases included, not zero
    assert np.abs(network.b1).min() > 0


def test_from_the_genetic_algorithms_start_backprop_solves_circles(circles):
    X, Y = circles
    solved = [train_backprop(X, Y, init="uniform", seed=s)[1][-1] == 1.0 for s in range(5)]
    assert all(solved)  # measured: 10 of 10 for seeds 0-9


def test_each_start_has_its_own_default_scale(circles):
    lesson, _ = train_backprop(*circles, epochs=1, learning_rate=1e-12, seed=0)
    ga, _ = train_backprop(*circles, init="uniform", epochs=1, learning_rate=1e-12, seed=0)
    assert np.abs(lesson.W1).max() < 0.05 and np.abs(ga.W1).max() > 0.5


def test_bad_settings_are_rejected(circles):
    with pytest.raises(ValueError, match="must be positive"):
        train_backprop(*circles, init_scale=0)
    with pytest.raises(ValueError, match="init must be 'normal' or 'uniform'"):
        train_backprop(*circles, init="zeros")
