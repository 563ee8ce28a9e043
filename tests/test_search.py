"""Notebook 07's searches over any population score: each optimises, counts its work and
repeats itself from a seed."""

import numpy as np
import pytest

from neuroevo_utils.search import (
    cma_population_size,
    evolution_strategy,
    genetic_algorithm,
    separable_cma_es,
)


def sphere(genomes):
    return np.sum((np.asarray(genomes) - 0.5) ** 2, axis=1)


def ellipsoid(genomes):
    """Badly scaled: the last gene weighs a million times the first. A search that cannot
    learn one step size per gene crawls here."""
    n = genomes.shape[1]
    return np.sum(10 ** (6 * np.arange(n) / (n - 1)) * genomes**2, axis=1)


def test_the_genetic_algorithm_improves_counts_only_changed_children_and_repeats():
    seen = []

    def note(generation, evaluations, genome):
        seen.append((generation, evaluations, sphere(genome[None])[0]))

    best = genetic_algorithm(lambda g: -sphere(g), 10, 3, generations=60, population=50,
                             on_generation=note)  # fmt: skip
    start = sphere(np.random.default_rng(3).uniform(-1, 1, (50, 10))).min()
    assert sphere(best[None])[0] < start / 10
    steps = np.diff([evaluations for _, evaluations, _ in seen])
    assert 0 < steps.min() and steps.max() <= 50 and steps.mean() < 50  # copies are not rescored
    assert [s[2] for s in seen] == sorted((s[2] for s in seen), reverse=True)  # hall of fame
    again = genetic_algorithm(lambda g: -sphere(g), 10, 3, generations=60, population=50)
    np.testing.assert_array_equal(best, again)


def test_the_evolution_strategy_descends_and_stops_when_told():
    calls = []

    def stop_at_ten(generation, evaluations, mean):
        calls.append(evaluations)
        return generation == 10

    evolution_strategy(sphere, np.zeros(20), 0, generations=100, population=30,
                       on_generation=stop_at_ten)  # fmt: skip
    assert calls == [30 * g for g in range(1, 11)]
    mean = evolution_strategy(sphere, np.zeros(20), 0, generations=300, population=30)
    assert sphere(mean[None])[0] < 0.01 * sphere(np.zeros((1, 20)))[0]


def test_separable_cma_es_learns_a_step_size_per_gene():
    start = np.ones(10)
    mean = separable_cma_es(ellipsoid, start, 1, generations=1500, sigma=0.5)
    assert ellipsoid(mean[None])[0] < 1e-8 * ellipsoid(start[None])[0]
    assert cma_population_size(10) == 10 and cma_population_size(1210) == 25


@pytest.mark.parametrize("search", [evolution_strategy, separable_cma_es])
def test_the_mean_searches_repeat_themselves_from_a_seed(search):
    a = search(sphere, np.zeros(8), 5, generations=20)
    np.testing.assert_array_equal(a, search(sphere, np.zeros(8), 5, generations=20))
    assert not np.array_equal(a, search(sphere, np.zeros(8), 6, generations=20))
