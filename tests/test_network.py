import numpy as np
import pytest

from neuroevo_utils import NeuralNetwork, genome_length, sigmoid


def test_gene_counts():
    assert NeuralNetwork(2, 5, 1).num_parameters == 21 == genome_length(5)
    assert NeuralNetwork(2, 25, 1).num_parameters == 101 == genome_length(25)


def test_parameters_shapes_and_lesson_init():
    nn = NeuralNetwork(2, 5, 1, random_state=0)
    assert [p.shape for p in nn.parameters] == [(5, 2), (5, 1), (1, 5), (1, 1)]
    assert np.abs(nn.W1).max() < 0.05 and not nn.b1.any()  # x0.01 weights, zero biases


def test_set_parameters_writes_in_place_in_lesson_order():
    nn = NeuralNetwork(2, 5, 1)
    arrays_before = [id(p) for p in nn.parameters]
    genome = np.arange(21, dtype=float)
    nn.set_parameters(list(genome))  # a plain list works, as DEAP individuals are lists
    assert [id(p) for p in nn.parameters] == arrays_before
    assert nn.W1 is nn.parameters[0]
    np.testing.assert_array_equal(nn.W1, genome[:10].reshape(5, 2))
    np.testing.assert_array_equal(nn.b1.ravel(), genome[10:15])
    np.testing.assert_array_equal(nn.W2.ravel(), genome[15:20])
    assert nn.b2[0, 0] == 20
    np.testing.assert_array_equal(np.concatenate([p.ravel() for p in nn.parameters]), genome)


@pytest.mark.parametrize("bad", [np.ones(20), np.ones(22), np.ones((3, 7)), []])
def test_wrong_genome_length_states_expected_length(bad):
    with pytest.raises(ValueError, match="needs 21 genes"):
        NeuralNetwork(2, 5, 1).set_parameters(bad)


def test_forward_matches_hand_computation():
    nn = NeuralNetwork(2, 5, 1)
    rng = np.random.default_rng(0)
    genome = rng.uniform(-1, 1, 21)
    nn.set_parameters(genome)
    X = rng.normal(size=(7, 2))
    W1, b1, W2, b2 = genome[:10].reshape(5, 2), genome[10:15], genome[15:20], genome[20]
    expected = 1 / (1 + np.exp(-(np.tanh(X @ W1.T + b1) @ W2 + b2)))
    np.testing.assert_allclose(nn.forward(X)[0], expected)
    labels = nn.predict(X)
    assert labels.dtype.kind == "i" and labels.shape == (7,)
    np.testing.assert_array_equal(labels, (expected > 0.5).astype(int))


def test_lessons_all_ones_individual():
    nn = NeuralNetwork(2, 5, 1)
    nn.set_parameters(np.ones(21))
    # tanh(x1 + x2 + 1) summed five times, plus 1: positive unless x1 + x2 is well below -1
    np.testing.assert_array_equal(nn.predict(np.array([[0.0, 0.0], [-3.0, -3.0]])), [1, 0])


def test_bad_input_shape_is_reported():
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 2\)"):
        NeuralNetwork(2, 5, 1).predict(np.ones((4, 3)))


def test_sigmoid_has_no_overflow_warning():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        np.testing.assert_array_equal(sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0])
