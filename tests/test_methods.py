"""The strategies behind one interface: each optimises, counts its work, and repeats itself
from its seed, on any problem — here plain functions dressed as problems."""

import numpy as np
import pytest

from neuroevo_utils import Settings
from neuroevo_utils.evolution import run
from neuroevo_utils.methods.cma_es import population_size
from neuroevo_utils.population import NetworkShape
from neuroevo_utils.problems import Evaluation


class FunctionProblem:
    """A problem whose "loss" is a function of the genes and whose "accuracy" rises as it
    falls: all a strategy and the loop ever ask of a problem."""

    def __init__(self, loss, genes, start=0.0, step=0.5):
        self.loss, self.start, self.initial_step = loss, start, step
        self.shape = NetworkShape(genes - 2, 1, 1)  # any shape with this many genes
        self.genes = genes

    def evaluate(self, genomes, fitness="accuracy"):
        loss = self.loss(np.asarray(genomes))
        return Evaluation(1.0 / (1.0 + loss), loss if fitness == "loss" else None)

    def mean_start(self, rng):
        return np.full(self.genes, self.start)

    def held_out_accuracy(self, genomes):
        return self.evaluate(genomes).accuracy


def sphere(genomes):
    return np.sum((genomes - 0.5) ** 2, axis=1)


def ellipsoid(genomes):
    """Badly scaled: the last gene weighs a million times the first. A search that cannot
    learn one step size per gene crawls here."""
    n = genomes.shape[1]
    return np.sum(10 ** (6 * np.arange(n) / (n - 1)) * genomes**2, axis=1)


def solve(problem, algorithm, seed=0, **values):
    settings = Settings.of(dict(algorithm=algorithm, seed=seed, target_accuracy=1.0,
                                middle_layer=1, **values), data_shape=(problem.genes - 2, 1))
    return run(problem, settings)


def test_the_genetic_algorithm_improves_and_rescores_only_changed_children():
    problem = FunctionProblem(sphere, 10)
    result = solve(problem, "lesson", seed=3, MU=50, NGEN=60, RGEN=1, fitness="accuracy")
    start = sphere(np.random.default_rng(3).uniform(-1, 1, (50, 10))).min()
    assert sphere(result.best_individual[None])[0] < start / 10
    evaluations = np.array(result.logbook.select("nevals")[1:])
    assert 0 < evaluations.min() and evaluations.max() <= 50 and evaluations.mean() < 50
    best = result.logbook.select("max")
    again = solve(problem, "lesson", seed=3, MU=50, NGEN=60, RGEN=1, fitness="accuracy")
    np.testing.assert_array_equal(result.best_individual, again.best_individual)
    assert result.train_accuracy == max(best)  # the hall of fame keeps the best ever seen


def test_the_evolution_strategy_descends_and_counts_its_samples():
    problem = FunctionProblem(sphere, 20)
    short = solve(problem, "es", MU=30, NGEN=10, RGEN=1)
    assert short.evaluations == 1 + 30 * 10  # the start, then 30 a generation
    result = solve(problem, "es", MU=30, NGEN=300, RGEN=1)
    assert sphere(result.best_individual[None])[0] < 0.01 * sphere(np.zeros((1, 20)))[0]


def test_separable_cma_es_learns_a_step_size_per_gene():
    problem = FunctionProblem(ellipsoid, 10, start=1.0, step=0.5)
    result = solve(problem, "sep-cma-es", seed=1, NGEN=1500, RGEN=1)
    assert ellipsoid(result.best_individual[None])[0] < 1e-8 * ellipsoid(np.ones((1, 10)))[0]
    assert population_size(10) == 10 and population_size(1210) == 25


@pytest.mark.parametrize("algorithm", ["es", "sep-cma-es", "cma-es"])
def test_the_mean_searches_repeat_themselves_from_a_seed(algorithm):
    problem = FunctionProblem(sphere, 8)
    a = solve(problem, algorithm, seed=5, NGEN=20, RGEN=1).best_individual
    np.testing.assert_array_equal(a, solve(problem, algorithm, seed=5, NGEN=20,
                                           RGEN=1).best_individual)  # fmt: skip
    assert not np.array_equal(a, solve(problem, algorithm, seed=6, NGEN=20,
                                       RGEN=1).best_individual)  # fmt: skip


def test_a_budget_stops_the_run_after_the_generation_that_reaches_it():
    problem = FunctionProblem(sphere, 8)
    result = solve(problem, "es", MU=30, NGEN=1000, RGEN=10, evaluations=400)
    assert result.evaluations == 1 + 30 * 14 and result.generations == 14
    assert not result.stopped_early


def test_held_out_checks_come_at_each_multiple_of_check_every_and_at_the_end():
    problem = FunctionProblem(sphere, 8)
    settings = Settings.of(algorithm="es", MU=30, NGEN=1000, RGEN=1, evaluations=400,
                           middle_layer=1, data_shape=(6, 1))  # fmt: skip
    result = run(problem, settings, check_every=100, early_stop=False)
    assert [c.work for c in result.checks] == [121, 211, 301, 421]
    assert all(0 < c.test_accuracy <= 1 for c in result.checks)
    stopped = run(problem, settings, check_every=100, held_out_target=0.0, early_stop=False)
    assert [c.work for c in stopped.checks] == [121] and stopped.generations == 4
