import numpy as np
import pytest

from neuroevo_utils import NeuralNetwork, load_data, population_accuracy, population_predict
from neuroevo_utils import population as population_module


def looped_predictions(genomes, X, middle_layer):
    nn = NeuralNetwork(2, middle_layer, 1)
    rows = []
    for genome in genomes:
        nn.set_parameters(genome)
        rows.append(nn.predict(X))
    return np.array(rows)


@pytest.mark.parametrize(
    ("problem", "middle_layer", "n"), [("circles", 5, 100), ("blobs", 25, 300), ("moons", 12, 1000)]
)
@pytest.mark.parametrize("scale", [1.0, 4.0, 60.0])  # 60: exp(-2z) overflows, tanh saturates
def test_batched_equals_looped_on_random_genomes(problem, middle_layer, n, scale):
    X, Y = load_data(problem, n, 3, random_state=0)
    genomes = np.random.default_rng(1).uniform(-scale, scale, (150, 4 * middle_layer + 1))
    looped = looped_predictions(genomes, X, middle_layer)
    np.testing.assert_array_equal(population_predict(genomes, X, middle_layer), looped)
    np.testing.assert_array_equal(
        population_accuracy(genomes, X, Y, middle_layer), (looped == Y).sum(axis=1) / n
    )


def test_points_on_the_decision_boundary_are_decided_in_float64():
    # Shift each network's output bias so that its output at one point is within 1e-9
    # of zero: float32 cannot tell the side there, the float64 recomputation must.
    X, _ = load_data("circles", 100, 2, random_state=0)
    rng = np.random.default_rng(2)
    genomes = rng.uniform(-1, 1, (200, 21))
    nn = NeuralNetwork(2, 5, 1)
    for i, genome in enumerate(genomes):
        nn.set_parameters(genome)
        nn.forward(X[i % 100 : i % 100 + 1])
        genome[20] -= nn.Z2[0, 0] + rng.choice([-1, 1]) * 10.0 ** rng.uniform(-12, -8)
    looped = looped_predictions(genomes, X, 5)
    np.testing.assert_array_equal(population_predict(genomes, X, 5), looped)


def test_chunking_gives_the_same_answer(monkeypatch):
    X, _ = load_data("moons", 200, 2, random_state=0)
    genomes = np.random.default_rng(3).uniform(-1, 1, (64, 21))
    whole = population_predict(genomes, X, 5)
    monkeypatch.setattr(population_module, "CHUNK_ELEMENTS", 5 * 200 * 7)  # 7 genomes a chunk
    np.testing.assert_array_equal(population_predict(genomes, X, 5), whole)


def test_lists_of_lists_and_single_genomes_are_accepted():
    X, Y = load_data("moons", 100, 1, random_state=0)
    genome = list(np.random.default_rng(4).uniform(-1, 1, 21))
    assert population_predict([genome, genome], X, 5).shape == (2, 100)
    assert population_accuracy(genome, X, Y, 5).shape == (1,)


def test_wrong_genome_length_states_expected_length():
    X, Y = load_data("moons", 100, 1, random_state=0)
    with pytest.raises(ValueError, match=r"genomes of 21 genes"):
        population_accuracy(np.ones((3, 20)), X, Y, 5)


def test_mismatched_labels_are_reported():
    X, Y = load_data("moons", 100, 1, random_state=0)
    with pytest.raises(ValueError, match=r"Y must have shape \(100,\)"):
        population_accuracy(np.ones((3, 21)), X, Y[:50], 5)


def test_single_threaded_blas_nests_and_restores_the_thread_count():
    from threadpoolctl import threadpool_info

    def blas_threads():
        return [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]

    before = blas_threads()
    with population_module.single_threaded_blas():
        with population_module.single_threaded_blas():
            inside = blas_threads()
        still_inside = blas_threads()
    assert before and set(inside) == set(still_inside) == {1}
    assert blas_threads() == before
