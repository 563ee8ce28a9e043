"""Problems (notebooks 04 and 07): the toy problems, digits and threshold networks as objects
that make their data and score a whole population of their networks at once."""

import numpy as np
import pytest

from neuroevo_utils import Settings, ThresholdNetwork, genome_length, load_data, make_problem
from neuroevo_utils.data import split_data
from neuroevo_utils.methods.backprop import hidden_layer_gradient
from neuroevo_utils.population import NetworkShape, population_accuracy, population_loss
from neuroevo_utils.problems import problem_spec, reachable_target
from neuroevo_utils.problems.digits import digits_data


@pytest.fixture(scope="module")
def digits():
    return digits_data(0)


@pytest.fixture(scope="module")
def moons():
    return load_data("moons", 100, 1, random_state=0)


def test_a_toy_problem_is_notebook_01s_data_and_the_lessons_network():
    problem = make_problem(Settings.of(problem="moons", seed=3, test_size=0.25, middle_layer=7))
    X, Y = load_data("moons", 100, 1, random_state=3)
    for made, expected in zip((problem.X_train, problem.X_test, problem.Y_train, problem.Y_test),
                              split_data(X, Y, 0.25, 3), strict=True):  # fmt: skip
        np.testing.assert_array_equal(made, expected)
    assert problem.shape == NetworkShape(2, 7, 1, "tanh") and problem.genes == 29
    assert problem.is_lessons_network
    whole = make_problem(Settings.of(problem="moons", seed=3))
    assert whole.X_test is None and whole.held_out_accuracy(np.zeros((1, 21))) is None


def test_digits_are_split_stratified_and_scaled(digits):
    X_train, X_test, Y_train, Y_test = digits
    assert X_train.shape == (1347, 64) and X_test.shape == (450, 64)
    assert X_train.min() >= 0 and X_train.max() == 1
    assert set(np.bincount(Y_test)) <= {43, 44, 45, 46}  # a quarter of each class
    assert set(Y_train) == set(range(10))
    settings = Settings.of(problem="digits")
    problem = make_problem(settings)
    assert (settings.middle_layer, settings.MU, settings.test_size) == (16, 100, 0.25)
    assert problem.genes == 1210 and problem.shape.outputs == 10


def one_network_scores(genome, X, h):
    """The same network written plainly, in float64."""
    W1 = genome[: 64 * h].reshape(h, 64)
    b1 = genome[64 * h : 64 * h + h]
    W2 = genome[64 * h + h : 64 * h + h + 10 * h].reshape(10, h)
    b2 = genome[64 * h + h + 10 * h :]
    return np.tanh(X @ W1.T + b1) @ W2.T + b2


def test_the_digits_population_pass_is_each_network_written_plainly(digits):
    X, _, Y, _ = digits
    shape = NetworkShape(64, 7, 10)
    genomes = np.random.default_rng(1).normal(0, 0.3, (4, shape.genes))
    accuracy = population_accuracy(genomes, X, Y, shape)
    loss = population_loss(genomes, X, Y, shape)
    for p, genome in enumerate(genomes):
        plain = one_network_scores(genome, X, 7)
        assert accuracy[p] == pytest.approx(
            np.mean(plain.argmax(axis=1) == Y), abs=2 / len(Y)  # float32 may flip a near tie
        )
        log_softmax = plain - np.log(np.exp(plain).sum(axis=1, keepdims=True))
        assert loss[p] == pytest.approx(-np.mean(log_softmax[np.arange(len(Y)), Y]), rel=1e-4)


def test_a_genome_of_the_wrong_length_says_the_expected_length(digits):
    problem = make_problem(Settings.of(problem="digits"))
    with pytest.raises(ValueError, match=r"genomes of 1210 genes\); got shape \(2, 1209\)"):
        problem.evaluate(np.zeros((2, 1209)))


def test_threshold_units_are_steps_and_the_population_pass_matches(moons):
    X, Y = moons
    shape = NetworkShape(2, 5, 1, "step")
    genomes = np.random.default_rng(2).uniform(-1, 1, (6, genome_length(5)))
    network = ThresholdNetwork(2, 5, 1)
    for genome, share in zip(genomes, population_accuracy(genomes, X, Y, shape), strict=True):
        network.set_parameters(genome)
        network.forward(X)
        assert set(np.unique(network.A1)) <= {0.0, 1.0}
        assert share == np.mean(network.predict(X) == Y)
    problem = make_problem(Settings.of(problem="moons", activation="step", seed=0))
    assert isinstance(problem.network(genomes[0]), ThresholdNetwork)


def test_the_measured_gradient_of_the_hidden_layer_is_zero(moons):
    X, Y = moons
    network = ThresholdNetwork(2, 5, 1)
    for seed in range(5):
        network.set_parameters(np.random.default_rng(seed).uniform(-1, 1, 21))
        gradient = hidden_layer_gradient(network, X, Y)
        assert gradient.shape == (15,) and not gradient.any()


def test_targets_are_100_percent_where_classes_never_overlap():
    circles = make_problem(Settings.of(problem="circles", seed=3))
    assert reachable_target(circles, 3) == 1.0
    classification = make_problem(Settings.of(problem="classification", seed=5))
    assert 0.8 < reachable_target(classification, 5) <= 1.0  # the linear baseline's accuracy


def test_an_unknown_problem_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"problem must be one of 'classification', .*'digits'"):
        Settings.of(problem="spirals")
    with pytest.raises(ValueError, match="unknown problem 'spirals'; known: 'classification'"):
        problem_spec("spirals")
