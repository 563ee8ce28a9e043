import copy
import random
import warnings

import numpy as np
import pytest
from deap import tools

from neuroevo_utils import (
    AccuracyFitness,
    Individual,
    Settings,
    build_toolbox,
    evolve,
    load_data,
    make_problem,
)
from neuroevo_utils.methods.array_ga import (
    BLEND_ALPHA,
    MUTATION_INDPB,
    MUTATION_MU,
    MUTATION_SIGMA,
    TOURNAMENT_SIZE,
)
from neuroevo_utils.methods.base import Strategy
from neuroevo_utils.methods.lesson_ga import clone
from neuroevo_utils.parameters import ENGINES


def make_toolbox(middle_layer=5):
    X, Y = load_data("circles", 100, 1, random_state=0)
    return build_toolbox(X, Y, middle_layer), X, Y


def test_building_the_toolbox_twice_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_toolbox()
        make_toolbox()


def test_lesson_operators_are_registered_with_the_numpy_engines_settings():
    toolbox, _, _ = make_toolbox()
    assert toolbox.select.func is tools.selTournament
    assert toolbox.select.keywords == {"tournsize": TOURNAMENT_SIZE}
    assert toolbox.mate.func is tools.cxBlend and toolbox.mate.keywords == {"alpha": BLEND_ALPHA}
    assert toolbox.mutate.func is tools.mutGaussian
    assert toolbox.mutate.keywords == {
        "mu": MUTATION_MU,
        "sigma": MUTATION_SIGMA,
        "indpb": MUTATION_INDPB,
    }


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
    twin = clone(original)
    twin[0] = 9.0
    del twin.fitness.values
    assert original == [0.1, 0.2, 0.3] and original.fitness.values == (0.75,)
    assert clone(original).fitness.values == (0.75,)
    assert copy.deepcopy(original).fitness.values == (0.75,)
    assert not clone(Individual([0.5])).fitness.valid


def test_every_engine_is_a_strategy_of_the_lessons_ga():
    for name in ENGINES:
        settings = Settings.of(problem="moons", MU=10, seed=0, engine=name)
        engine = settings.method.strategy_class(name)(make_problem(settings), settings)
        assert isinstance(engine, Strategy)
        row = engine.start()
        assert set(row) == {"nevals", "avg", "std", "min", "max"} and row["nevals"] == 10
        assert len(engine.run(3)) == 3
        genome, accuracy = engine.best()
        assert genome.shape == (21,) and 0 <= accuracy <= 1


def test_the_numpy_engine_refuses_a_toolbox_rather_than_ignore_it():
    toolbox, X, Y = make_toolbox()
    with pytest.raises(ValueError, match="fixed operators and takes no toolbox"):
        evolve(X, Y, MU=10, NGEN=100, RGEN=1, engine="numpy", toolbox=lambda *_: toolbox)


@pytest.mark.parametrize("engine", ["lesson", "deap"])
def test_an_edited_operator_changes_the_run(engine):
    """What the reader edits in notebook 04 is what runs: tournament size 2 is another run."""
    toolbox, X, Y = make_toolbox()
    kwargs = dict(MU=60, NGEN=100, RGEN=1, seed=7, early_stop=False, engine=engine)
    default = evolve(X, Y, **kwargs)
    assert evolve(X, Y, toolbox=build_toolbox, **kwargs).logbook == default.logbook  # the same
    toolbox.register("select", tools.selTournament, tournsize=2)
    edited = evolve(X, Y, toolbox=lambda *_: toolbox, **kwargs)
    assert edited.logbook.select("avg") != default.logbook.select("avg")


def test_an_edited_evaluate_is_noticed_by_the_batched_map_and_run_one_by_one():
    toolbox, X, Y = make_toolbox()
    lesson_evaluate = toolbox.evaluate

    def evaluate_with_penalty(individual):  # a reader's new fitness: accuracy minus a penalty
        return (lesson_evaluate(individual)[0] - 0.001 * sum(abs(g) for g in individual),)

    toolbox.register("evaluate", evaluate_with_penalty)
    kwargs = dict(MU=30, NGEN=100, RGEN=1, seed=3, early_stop=False, toolbox=lambda *_: toolbox)
    one_by_one = evolve(X, Y, engine="lesson", **kwargs)
    with pytest.warns(UserWarning, match="one individual at a time"):
        fast = evolve(X, Y, engine="deap", **kwargs)
    assert fast.logbook == one_by_one.logbook
    assert max(fast.logbook.select("max")) < 1.0  # the penalty is really there


def test_engine_names_are_the_parameter_choices():
    from neuroevo_utils import PARAMETERS

    assert PARAMETERS["engine"].choices == ENGINES == ("lesson", "deap", "numpy")


def test_the_default_engine_gives_way_where_a_toolbox_cannot_build_the_network():
    """A toolbox builds the lesson's 2-h-1 tanh network: elsewhere the engine left at its
    default is the array GA, and one asked for by name is refused."""
    assert Settings.of(problem="digits").engine == "numpy"
    assert Settings.of(activation="step").engine == "numpy"
    assert Settings.of().engine == "deap"
    with pytest.raises(ValueError, match="engine 'lesson' runs the lesson's 2-h-1 tanh network"):
        Settings.of(activation="step", engine="lesson")
