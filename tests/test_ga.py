import copy
import random
import warnings

import numpy as np
from deap import tools

from neuroevo_utils import AccuracyFitness, Individual, build_toolbox, load_data
from neuroevo_utils.ga import clone_individual


def make_toolbox(middle_layer=5):
    X, Y = load_data("circles", 100, 1, random_state=0)
    return build_toolbox(X, Y, middle_layer), X, Y


def test_building_the_toolbox_twice_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_toolbox()
        make_toolbox()


def test_lesson_operators_are_registered():
    toolbox, _, _ = make_toolbox()
    assert toolbox.select.func is tools.selTournament and toolbox.select.keywords == {
        "tournsize": 5
    }
    assert toolbox.mate.func is tools.cxBlend and toolbox.mate.keywords == {"alpha": 0.5}
    assert toolbox.mutate.func is tools.mutGaussian
    assert toolbox.mutate.keywords == {"mu": 0.0, "sigma": 0.1, "indpb": 0.25}


def test_individuals_have_uniform_genes_and_the_right_length():
    toolbox, _, _ = make_toolbox(middle_layer=7)
    random.seed(0)
    population = toolbox.population(n=50)
    genes = np.array(population)
    assert genes.shape == (50, 4 * 7 + 1)
    assert genes.min() >= -1 and genes.max() <= 1 and genes.std() > 0.5
    assert isinstance(population[0], Individual) and not population[0].fitness.valid


def test_fitness_is_accuracy_and_is_maximised():
    toolbox, _X, _Y = make_toolbox()
    random.seed(1)
    individual = toolbox.individual()
    (fitness,) = toolbox.evaluate(individual)
    assert 0 <= fitness <= 1
    assert AccuracyFitness.weights == (1.0,)
    better, worse = Individual([0.0]), Individual([0.0])
    better.fitness.values, worse.fitness.values = (0.9,), (0.4,)
    assert better.fitness > worse.fitness


def test_an_all_wrong_individual_scores_zero_instead_of_dividing_by_zero():
    toolbox, X, Y = make_toolbox()
    # Output bias -100 makes every label 0: right on half of circles' points.
    always_zero = Individual([0.0] * 20 + [-100.0])
    assert toolbox.evaluate(always_zero) == (0.5,)
    # Evaluate on the class-1 points only: no point right, fitness 0, no error.
    ones = Y == 1
    toolbox_ones = build_toolbox(X[ones], Y[ones], 5)
    assert toolbox_ones.evaluate(always_zero) == (0.0,)


def test_clone_is_independent_and_keeps_fitness():
    original = Individual([0.1, 0.2, 0.3])
    original.fitness.values = (0.75,)
    twin = clone_individual(original)
    twin[0] = 9.0
    del twin.fitness.values
    assert original == [0.1, 0.2, 0.3] and original.fitness.values == (0.75,)
    assert clone_individual(original).fitness.values == (0.75,)
    assert copy.deepcopy(original).fitness.values == (0.75,)
