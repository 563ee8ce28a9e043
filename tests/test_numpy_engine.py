import copy

import numpy as np
import pytest

from neuroevo_utils import NeuralNetwork, load_data
from neuroevo_utils.numpy_engine import NumpyLoop


@pytest.fixture(scope="module")
def data():
    return load_data("circles", 100, 1, random_state=0)


def make_loop(data, MU=1000, CXPB=0.6, MUTPB=0.3, seed=0):
    loop = NumpyLoop(*data, 5, MU, CXPB, MUTPB, seed)
    loop.initialise()
    return loop


def test_initial_genes_are_uniform_and_every_individual_is_evaluated(data):
    loop = make_loop(data)
    assert loop.population.shape == (1000, 21)
    assert -1 <= loop.population.min() and loop.population.max() <= 1
    assert loop.population.std() == pytest.approx(np.sqrt(1 / 3), rel=0.02)
    assert ((0 <= loop.fitness) & (loop.fitness <= 1)).all()


def test_tournament_winner_is_the_first_fittest_of_five_aspirants(data):
    loop = make_loop(data, MU=50)
    replay = copy.deepcopy(loop.rng)
    aspirants = replay.integers(0, 50, size=(50, 5))
    expected = [row[np.argmax(loop.fitness[row])] for row in aspirants]
    np.testing.assert_array_equal(loop._select(), expected)


def test_blend_crossover_keeps_each_pairs_sum(data):
    loop = make_loop(data, MU=100, CXPB=1.0)
    before = loop.population.copy()
    changed = np.zeros(100, dtype=bool)
    loop._crossover(changed)
    assert changed.all() and not np.allclose(loop.population, before)
    # (1-g)a + gb  +  ga + (1-g)b  =  a + b, gene by gene
    np.testing.assert_allclose(
        loop.population[0::2] + loop.population[1::2], before[0::2] + before[1::2]
    )


def test_no_crossover_and_no_mutation_change_nothing(data):
    loop = make_loop(data, MU=100, CXPB=0.0, MUTPB=0.0)
    before = loop.population.copy()
    changed = np.zeros(100, dtype=bool)
    loop._crossover(changed)
    loop._mutate(changed)
    assert not changed.any()
    np.testing.assert_array_equal(loop.population, before)


def test_mutation_nudges_about_a_quarter_of_the_genes_by_sigma_point_one(data):
    loop = make_loop(data, MU=1000, MUTPB=1.0)
    before = loop.population.copy()
    changed = np.zeros(1000, dtype=bool)
    loop._mutate(changed)
    steps = (loop.population - before)[loop.population != before]
    assert changed.all()
    assert steps.size / before.size == pytest.approx(0.25, abs=0.01)
    assert steps.std() == pytest.approx(0.1, rel=0.05) and abs(steps.mean()) < 0.005


def test_hall_of_fame_keeps_the_best_ever_seen(data):
    loop = make_loop(data, MU=20)
    first = loop.best_accuracy
    rows = loop.run_round(30)
    assert loop.best_accuracy == max([first] + [row["max"] for row in rows])
    network = NeuralNetwork(2, 5, 1)
    network.set_parameters(loop.best_genome)
    assert loop.best_accuracy == np.mean(network.predict(data[0]) == data[1])
