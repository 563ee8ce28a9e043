import numpy as np
import pytest

from neuroevo_utils import load_data
from neuroevo_utils.methods.backprop import train_backprop


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


def parameters_of(network):
    return [p.copy() for p in network.parameters]


@pytest.fixture(scope="module")
def moons():
    return load_data("moons", 100, 1, random_state=0)


def test_true_gradient_descent_moves_only_the_output_layer_straight_through_moves_all(moons):
    from neuroevo_utils import ThresholdNetwork
    from neuroevo_utils.methods.backprop import Descender

    start = np.random.default_rng(4).uniform(-1, 1, 21)
    moved = {}
    for straight_through in (False, True):
        network = ThresholdNetwork(2, 5, 1)
        network.set_parameters(start)
        before = parameters_of(network)
        descender = Descender(network, *moons, straight_through=straight_through)
        for _ in range(50):
            descender.step()
        assert descender.accuracy() < 1.0  # 100% is not reached in 50 steps from this start
        moved[straight_through] = [
            not np.array_equal(a, b) for a, b in zip(before, network.parameters, strict=True)
        ]
    assert moved[False] == [False, False, True, True]  # W1, b1 stay where they started
    assert moved[True] == [True, True, True, True]


def test_the_backprop_method_stops_stepping_at_its_target(moons):
    from neuroevo_utils import evolve

    result = evolve(*moons, algorithm="backprop", activation="step", NGEN=300, RGEN=1,
                    target_accuracy=0.5, seed=4)  # fmt: skip
    assert result.evaluations == 0 and result.work_unit == "gradient steps"  # at the start


def test_adam_on_minibatches_trains_digits():
    from neuroevo_utils import Settings, make_problem, run

    settings = Settings.of(problem="digits", algorithm="backprop", NGEN=20, RGEN=1, seed=0)
    problem = make_problem(settings)
    result = run(problem, settings, early_stop=False)
    assert result.work_unit == "epochs" and result.evaluations == 20
    assert problem.held_out_accuracy(result.best_individual[None])[0] > 0.8  # 0.1 by chance
