"""The NumPy engine makes DEAP's draws in bulk: it must follow the lesson's loop exactly."""

import random

import numpy as np
import pytest

from neuroevo_utils import NeuralNetwork, load_data
from neuroevo_utils.engines import build_toolbox, make_engine
from neuroevo_utils.engines import numpy_engine as engine_module
from neuroevo_utils.engines.numpy_engine import NumpyEngine, next_true


@pytest.fixture(scope="module")
def data():
    return load_data("circles", 100, 1, random_state=0)


def lesson_and_numpy(X, Y, middle_layer, MU, CXPB, MUTPB, seed):
    random.seed(seed)  # the lesson's loop draws from the global random module
    lesson = make_engine(
        "lesson", X, Y, middle_layer=middle_layer, MU=MU, CXPB=CXPB, MUTPB=MUTPB, seed=seed,
        toolbox=build_toolbox(X, Y, middle_layer),
    )  # fmt: skip
    numpy_loop = NumpyEngine(X, Y, middle_layer, MU, CXPB, MUTPB, seed)
    return lesson, numpy_loop


@pytest.mark.parametrize(
    ("middle_layer", "MU", "CXPB", "MUTPB", "seed"),
    [
        (5, 200, 0.6, 0.3, 64),  # the lesson's settings, smaller population
        (25, 31, 0.6, 0.3, 1),  # odd population: the last individual has no partner
        (12, 40, 1.0, 1.0, 2),  # everyone mates and mutates
        (5, 40, 0.0, 0.0, 3),  # nobody changes: nothing is evaluated
        (7, 6, 0.9, 0.8, 4),  # tiny population, many ties
    ],
)
def test_every_generation_equals_the_lessons(data, middle_layer, MU, CXPB, MUTPB, seed):
    lesson, numpy_loop = lesson_and_numpy(*data, middle_layer, MU, CXPB, MUTPB, seed)
    assert lesson.initialise() == numpy_loop.initialise()
    np.testing.assert_array_equal(numpy_loop.population, np.array(lesson.population))
    for _ in range(25):  # compared after every generation
        assert numpy_loop.run_round(1) == lesson.run_round(1)  # logbook rows
        np.testing.assert_array_equal(numpy_loop.population, np.array(lesson.population))
        np.testing.assert_array_equal(
            numpy_loop.fitness, [i.fitness.values[0] for i in lesson.population]
        )
        np.testing.assert_array_equal(numpy_loop.best_genome, lesson.best_genome)
        assert numpy_loop.best_accuracy == lesson.best_accuracy


def test_running_short_of_looked_ahead_numbers_changes_nothing(data, monkeypatch):
    # Look ahead far too little, so the mutation walk must fetch more, again and again.
    monkeypatch.setattr(engine_module, "LOOK_AHEAD", 0.01)
    walks = {"_walk_crossover": [], "_walk_mutation": []}
    for name, found in walks.items():
        walk = getattr(engine_module, name)
        spy = lambda *args, walk=walk, found=found: found.append(walk(*args)) or found[-1]  # noqa: E731
        monkeypatch.setattr(engine_module, name, spy)
    lesson, numpy_loop = lesson_and_numpy(*data, 5, 100, 0.6, 0.5, 9)
    lesson.initialise(), numpy_loop.initialise()
    assert numpy_loop.run_round(5) == lesson.run_round(5)
    np.testing.assert_array_equal(numpy_loop.population, np.array(lesson.population))
    for found in walks.values():  # every generation ran short at least once
        assert sum(w is None for w in found) >= 5


def test_next_true():
    mask = np.array([False, True, False, False, True, False])
    assert next_true(mask).tolist() == [1, 1, 4, 4, 4, 6]


def test_hall_of_fame_keeps_the_best_ever_seen(data):
    loop = NumpyEngine(*data, 5, 20, 0.6, 0.3, 0)
    first = loop.initialise()["max"]
    rows = loop.run_round(30)
    assert loop.best_accuracy == max([first] + [row["max"] for row in rows])
    network = NeuralNetwork(2, 5, 1)
    network.set_parameters(loop.best_genome)
    assert loop.best_accuracy == np.mean(network.predict(data[0]) == data[1])
