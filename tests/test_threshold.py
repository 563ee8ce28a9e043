"""Threshold networks (groundwork for notebook 07): no gradient to follow, yet trainable by
ranking alone."""

import random

import numpy as np
import pytest
from deap import tools

from neuroevo_utils import genome_length, load_data
from neuroevo_utils.engines.deap_engine import elitist_generations
from neuroevo_utils.engines.toolbox import build_toolbox
from neuroevo_utils.threshold import (
    ThresholdNetwork,
    hidden_layer_gradient,
    population_threshold_accuracy,
    population_threshold_logits,
)


@pytest.fixture(scope="module")
def moons():
    return load_data("moons", 100, 1, random_state=0)


def test_hidden_units_are_steps_and_the_population_pass_matches(moons):
    X, Y = moons
    genomes = np.random.default_rng(2).uniform(-1, 1, (6, genome_length(5)))
    network = ThresholdNetwork(2, 5, 1)
    for genome, logits, share in zip(
        genomes,
        population_threshold_logits(genomes, X, 5),
        population_threshold_accuracy(genomes, X, Y, 5),
        strict=True,
    ):
        network.set_parameters(genome)
        network.forward(X)
        assert set(np.unique(network.A1)) <= {0.0, 1.0}
        np.testing.assert_allclose(network.Z2[0], logits)
        assert share == np.mean(network.predict(X) == Y)
    with pytest.raises(ValueError, match="needs 21 genes"):
        network.set_parameters(np.zeros(20))


def test_the_measured_gradient_of_the_hidden_layer_is_zero(moons):
    X, Y = moons
    network = ThresholdNetwork(2, 5, 1)
    for seed in range(5):
        network.set_parameters(np.random.default_rng(seed).uniform(-1, 1, 21))
        gradient = hidden_layer_gradient(network, X, Y)
        assert gradient.shape == (15,) and not gradient.any()


def test_a_genetic_algorithm_trains_it_all_the_same(moons):
    X, Y = moons
    toolbox = build_toolbox(X, Y, 5)
    network = ThresholdNetwork(2, 5, 1)

    def evaluate(individual):
        network.set_parameters(individual)
        return (float(np.mean(network.predict(X) == Y)),)

    toolbox.register("evaluate", evaluate)
    random.seed(0)
    population, hall_of_fame = toolbox.population(n=100), tools.HallOfFame(1)
    start = None
    for _ in range(30):
        population, _ = elitist_generations(population, toolbox, 0.6, 0.3, 1,
                                            hall_of_fame=hall_of_fame)  # fmt: skip
        start = start or hall_of_fame[0].fitness.values[0]
        if hall_of_fame[0].fitness.values[0] == 1.0:
            break
    assert hall_of_fame[0].fitness.values[0] == 1.0 > start  # seed 0: 100% in 22 generations
