"""The algorithms beyond the lesson's GA: the elitist GA and CMA-ES (issue 12, part 1)."""

import itertools
import json

import numpy as np
import pytest

from neuroevo_utils import evolve, load_data
from neuroevo_utils.cli import main
from neuroevo_utils.engines import ALGORITHMS, UNUSED_PARAMETERS
from neuroevo_utils.engines.cma_engine import CmaEsEngine, loss_and_accuracy
from neuroevo_utils.population import population_accuracy


@pytest.fixture(scope="module")
def circles():
    return load_data("circles", 100, 1, random_state=64)


@pytest.mark.parametrize("algorithm", ["elitist", "cma-es"])
def test_same_seed_same_run_and_another_seed_another(circles, algorithm):
    kwargs = dict(MU=60, NGEN=4, RGEN=5, early_stop=False, algorithm=algorithm)
    a, b = evolve(*circles, seed=5, **kwargs), evolve(*circles, seed=5, **kwargs)
    c = evolve(*circles, seed=6, **kwargs)
    assert list(a.logbook) == list(b.logbook)
    np.testing.assert_array_equal(a.best_individual, b.best_individual)
    assert a.logbook.select("avg") != c.logbook.select("avg")
    assert a.algorithm == algorithm and a.generations == 20


def test_the_elitist_ga_never_loses_its_best(circles):
    result = evolve(*circles, MU=60, NGEN=10, RGEN=3, seed=1, early_stop=False, algorithm="elitist")
    best = result.logbook.select("max")
    assert all(later >= earlier for earlier, later in itertools.pairwise(best))
    assert result.train_accuracy == best[-1]  # the best ever seen is still in the population


def test_the_lessons_ga_does_lose_its_best_sometimes(circles):
    """Why elitism: eaSimple replaces every parent, so the population's best can drop."""
    result = evolve(*circles, MU=60, NGEN=10, RGEN=3, seed=1, early_stop=False)
    best = result.logbook.select("max")
    assert any(later < earlier for earlier, later in itertools.pairwise(best))


def test_cma_es_solves_the_lessons_task_in_a_few_thousand_evaluations(circles):
    result = evolve(*circles, seed=64, algorithm="cma-es")
    assert result.train_accuracy == 1.0 and result.stopped_early
    assert result.evaluations < 10_000  # the lesson's GA needs 37,032 for this seed
    assert result.train_accuracy == np.mean(result.network().predict(circles[0]) == circles[1])


def test_the_loss_is_finite_for_any_genome_and_accuracy_matches_the_network(circles):
    X, Y = circles
    genomes = np.random.default_rng(0).uniform(-1, 1, (8, 21))
    genomes[0] = 1e300  # logits overflow
    loss, accuracy = loss_and_accuracy(genomes, X, Y, 5)
    assert np.isfinite(loss).all() and loss[0] == loss.max()
    np.testing.assert_array_equal(accuracy[1:], population_accuracy(genomes[1:], X, Y, 5))


def test_cma_es_restarts_from_its_best_when_the_covariance_breaks(circles, monkeypatch):
    engine = CmaEsEngine(*circles, middle_layer=5, seed=0)
    engine.initialise()
    engine.run_round(5)

    def broken(population):
        raise np.linalg.LinAlgError("Eigenvalues did not converge")

    monkeypatch.setattr(engine.strategy, "update", broken)
    best = engine.best_genome.copy()
    engine.run_round(1)
    assert engine.restarts == 1
    np.testing.assert_array_equal(engine.strategy.centroid, best)
    assert len(engine.run_round(3)) == 3  # and it goes on


def test_bad_combinations_are_refused_clearly(circles):
    with pytest.raises(ValueError, match="engine 'numpy' runs the lesson's algorithm only"):
        evolve(*circles, MU=10, NGEN=1, algorithm="elitist", engine="numpy")
    with pytest.raises(ValueError, match="CXPB \\+ MUTPB must be at most 1"):
        evolve(*circles, MU=10, NGEN=1, algorithm="elitist", CXPB=0.8, MUTPB=0.3)
    with pytest.raises(ValueError, match="algorithm must be one of 'lesson', 'elitist', 'cma-es'"):
        evolve(*circles, algorithm="pso")


def test_the_command_line_records_the_algorithm_and_what_it_ignores(capsys):
    assert main(["--algorithm", "cma-es", "--ngen", "3", "--json", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["algorithm"] == "cma-es"
    assert summary["unused_parameters"] == ["MU", "CXPB", "MUTPB", "engine"]
    assert set(UNUSED_PARAMETERS) == set(ALGORITHMS)
    with pytest.raises(SystemExit) as exited:
        main(["--algorithm", "pso"])
    assert exited.value.code == 2
    assert "'lesson', 'elitist', 'cma-es'" in capsys.readouterr().err
