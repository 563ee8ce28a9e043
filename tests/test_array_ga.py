"""The array GA (engine "numpy") makes DEAP's draws in bulk: it must follow the lesson's loop
exactly, on accuracy and on the loss."""

import numpy as np
import pytest

from neuroevo_utils import NeuralNetwork, Settings, load_data
from neuroevo_utils.methods import array_ga as engine_module
from neuroevo_utils.methods.array_ga import ArrayGA, next_true, tournament_keys
from neuroevo_utils.methods.lesson_ga import DeapGA
from neuroevo_utils.population import NetworkShape
from neuroevo_utils.problems import array_problem


@pytest.fixture(scope="module")
def data():
    return load_data("circles", 100, 1, random_state=0)


def lesson_and_numpy(X, Y, middle_layer, MU, CXPB, MUTPB, seed, fitness="accuracy",
                     engine="lesson"):  # fmt: skip
    problem = array_problem(X, Y, NetworkShape(2, middle_layer))
    values = dict(middle_layer=middle_layer, MU=MU, CXPB=CXPB, MUTPB=MUTPB, seed=seed,
                  fitness=fitness)  # fmt: skip
    lesson = DeapGA(problem, Settings.of(values, engine=engine))  # eaSimple on the toolbox
    numpy_loop = ArrayGA(problem, Settings.of(values, engine="numpy"))
    return lesson, numpy_loop


def same_state(lesson, numpy_loop):
    np.testing.assert_array_equal(numpy_loop.population, np.array(lesson.population))
    accuracy = [i.fitness.values[-1] for i in lesson.population]
    np.testing.assert_array_equal(numpy_loop.accuracy, accuracy)
    if numpy_loop.loss is not None:
        np.testing.assert_array_equal(numpy_loop.loss, [i.fitness.values[0]
                                                        for i in lesson.population])
    genome, best = lesson.best()
    np.testing.assert_array_equal(numpy_loop.best_genome, genome)
    assert numpy_loop.best_accuracy == best


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
    assert lesson.start() == numpy_loop.start()
    same_state(lesson, numpy_loop)
    for _ in range(25):  # compared after every generation
        assert numpy_loop.run(1) == lesson.run(1)  # logbook rows
        same_state(lesson, numpy_loop)


@pytest.mark.parametrize(("MU", "seed"), [(60, 3), (9, 5)])
def test_on_the_loss_every_generation_equals_deaps_on_the_loss_toolbox(data, MU, seed):
    """Tournaments compare (-loss, accuracy) as DEAP compares the loss toolbox's fitnesses.
    (Engine "deap": its batched loss is the array GA's to the last bit; one network at a time
    the sums run in another order.)"""
    lesson, numpy_loop = lesson_and_numpy(*data, 5, MU, 0.6, 0.3, seed, "loss", "deap")
    assert lesson.start() == numpy_loop.start()
    for _ in range(20):
        assert numpy_loop.run(1) == lesson.run(1)
        same_state(lesson, numpy_loop)


def test_tournament_keys_order_by_loss_then_accuracy_with_ties_equal():
    loss = np.array([0.5, 0.2, 0.2, 0.2, 0.9])
    accuracy = np.array([0.9, 0.6, 0.7, 0.6, 1.0])
    keys = tournament_keys(accuracy, loss)
    assert keys[2] > keys[1] == keys[3] > keys[0] > keys[4]
    np.testing.assert_array_equal(tournament_keys(accuracy, None), accuracy)


def test_running_short_of_looked_ahead_numbers_changes_nothing(data, monkeypatch):
    # Look ahead far too little, so the mutation walk must fetch more, again and again.
    monkeypatch.setattr(engine_module, "LOOK_AHEAD", 0.01)
    walks = {"_walk_crossover": [], "_walk_mutation": []}
    for name, found in walks.items():
        walk = getattr(engine_module, name)
        spy = lambda *args, walk=walk, found=found: found.append(walk(*args)) or found[-1]  # noqa: E731
        monkeypatch.setattr(engine_module, name, spy)
    lesson, numpy_loop = lesson_and_numpy(*data, 5, 100, 0.6, 0.5, 9)
    lesson.start(), numpy_loop.start()
    assert numpy_loop.run(5) == lesson.run(5)
    np.testing.assert_array_equal(numpy_loop.population, np.array(lesson.population))
    for found in walks.values():  # every generation ran short at least once
        assert sum(w is None for w in found) >= 5


def test_next_true():
    mask = np.array([False, True, False, False, True, False])
    assert next_true(mask).tolist() == [1, 1, 4, 4, 4, 6]


def test_hall_of_fame_keeps_the_best_ever_seen(data):
    _, loop = lesson_and_numpy(*data, 5, 20, 0.6, 0.3, 0)
    first = loop.start()["max"]
    rows = loop.run(30)
    assert loop.best_accuracy == max([first] + [row["max"] for row in rows])
    network = NeuralNetwork(2, 5, 1)
    network.set_parameters(loop.best_genome)
    assert loop.best_accuracy == np.mean(network.predict(data[0]) == data[1])
