"""Threshold networks (notebook 07): no gradient to follow, yet trainable by
ranking alone."""

import random

import numpy as np
import pytest
from deap import tools

from neuroevo_utils import genome_length, load_data
from neuroevo_utils.engines.deap_engine import elitist_generations
from neuroevo_utils.engines.toolbox import build_toolbox
from neuroevo_utils.threshold import (
    THRESHOLD_METHODS,
    ThresholdNetwork,
    hidden_layer_gradient,
    population_threshold_accuracy,
    population_threshold_logits,
    threshold_descent,
    threshold_race,
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


def parameters_of(network):
    return [p.copy() for p in network.parameters]


def test_true_gradient_descent_moves_only_the_output_layer_straight_through_moves_all(moons):
    X, Y = moons
    start = np.random.default_rng(4).uniform(-1, 1, genome_length(5))
    moved = {}
    for straight_through in (False, True):
        network = ThresholdNetwork(2, 5, 1)
        network.set_parameters(start)
        before = parameters_of(network)
        steps = threshold_descent(network, X, Y, straight_through=straight_through,
                                  max_steps=50)  # fmt: skip
        assert steps == 50  # 100% is not reached in 50 steps from this start
        moved[straight_through] = [
            not np.array_equal(a, b) for a, b in zip(before, network.parameters, strict=True)
        ]
    assert moved[False] == [False, False, True, True]  # W1, b1 stay where they started
    assert moved[True] == [True, True, True, True]


def test_descent_stops_at_the_target_and_counts_its_steps(moons):
    X, Y = moons
    network = ThresholdNetwork(2, 5, 1)
    network.set_parameters(np.random.default_rng(4).uniform(-1, 1, genome_length(5)))
    start = float(np.mean(network.predict(X) == Y))
    assert threshold_descent(network, X, Y, target_accuracy=start) == 0


def test_the_threshold_race_gives_the_race_s_rows_and_repeats_itself():
    runs = threshold_race(["moons"], [0], generations=30, max_steps=200)
    assert list(runs["method"]) == list(THRESHOLD_METHODS)
    assert set(runs["work_unit"]) == {"evaluations", "gradient steps"}
    evolved = runs[runs["work_unit"] == "evaluations"]
    assert (evolved["work"] <= 100 * 30 + 100).all()  # MU x generations, one generation over
    assert (runs.loc[runs["method"] == "backprop", "work"] == 200).all()  # never 100% on moons
    again = threshold_race(["moons"], [0], generations=30, max_steps=200)
    columns = [c for c in runs if c != "seconds"]
    assert runs[columns].equals(again[columns])
    with pytest.raises(ValueError, match="unknown method 'adam'; known: lesson GA"):
        threshold_race(["moons"], [0], ["adam"])
