"""The methods beyond the lesson's GA (the elitist GA, CMA-ES, the loss), and what the
registry refuses, in the same words from every door."""

import itertools
import json
import re

import numpy as np
import pytest

from neuroevo_utils import NeuralNetwork, Settings, build_toolbox, evolve, load_data
from neuroevo_utils.cli import main
from neuroevo_utils.methods.cma_es import CmaEs
from neuroevo_utils.methods.lesson_ga import MostAccurate
from neuroevo_utils.methods.loss_toolbox import build_loss_toolbox
from neuroevo_utils.population import population_loss
from neuroevo_utils.problems import make_problem


def cma_es(seed):
    settings = Settings.of(algorithm="cma-es", seed=seed)
    strategy = CmaEs(make_problem(settings), settings)
    strategy.start()
    return strategy


@pytest.fixture(scope="module")
def circles():
    return load_data("circles", 100, 1, random_state=64)


@pytest.mark.parametrize("algorithm", ["elitist", "cma-es"])
def test_same_seed_same_run_and_another_seed_another(circles, algorithm):
    kwargs = dict(NGEN=4, RGEN=5, early_stop=False, algorithm=algorithm)
    if algorithm == "elitist":
        kwargs["MU"] = 60  # CMA-ES refuses a population size: it samples its own
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


def test_the_loss_is_finite_for_any_genome(circles):
    X, Y = circles
    genomes = np.random.default_rng(0).uniform(-1, 1, (8, 21))
    genomes[0] = 1e300  # logits overflow
    loss = population_loss(genomes, X, Y, 5)
    assert np.isfinite(loss).all() and loss[0] == loss.max()


def test_cma_es_restarts_from_its_best_when_the_covariance_breaks(monkeypatch):
    engine = cma_es(seed=0)
    engine.run(5)

    def broken(population):
        raise np.linalg.LinAlgError("Eigenvalues did not converge")

    monkeypatch.setattr(engine.strategy, "update", broken)
    best = engine.best_genome.copy()
    engine.run(1)
    assert engine.restarts == 1
    np.testing.assert_array_equal(engine.strategy.centroid, best)
    assert len(engine.run(3)) == 3  # and it goes on


REFUSED = [
    (dict(algorithm="elitist", engine="numpy"),
     "algorithm 'elitist' runs on engine 'lesson' or 'deap', not 'numpy'"),
    (dict(algorithm="straight-through"),
     "algorithm 'straight-through' trains step units, not 'tanh'"),
    (dict(algorithm="sep-cma-es", fitness="accuracy"),
     "algorithm 'sep-cma-es' cannot rank by 'accuracy'"),
    (dict(algorithm="cma-es", engine="numpy"),
     "algorithm 'cma-es' does not use engine: leave it at the default"),
    (dict(algorithm="cma-es", MU=10, CXPB=0.5),
     "algorithm 'cma-es' does not use MU, CXPB: leave them at the default"),
]  # fmt: skip
"""What the method table refuses, and the one line that says why (API, CLI and panel)."""


@pytest.mark.parametrize(("values", "message"), REFUSED)
def test_a_combination_that_would_not_run_as_asked_is_refused_in_one_line(
    circles, values, message, capsys
):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        evolve(*circles, NGEN=1, **values)
    flags = [f"--{name.lower()}={value}" for name, value in values.items()]
    with pytest.raises(SystemExit) as exited:
        main([*flags, "--ngen", "1", "--quiet"])
    assert exited.value.code == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("neuroevo: error: ") and line.endswith(message)


def test_a_toolbox_is_refused_where_it_would_not_run(circles):
    with pytest.raises(ValueError, match=r"^algorithm 'cma-es' runs on its own and takes no"):
        evolve(*circles, NGEN=1, algorithm="cma-es", toolbox=build_loss_toolbox)
    with pytest.raises(ValueError, match=r"^engine 'numpy' runs the lesson's fixed operators"):
        evolve(*circles, NGEN=1, engine="numpy", toolbox=build_loss_toolbox)


def test_what_ran_is_what_is_recorded(circles):
    assert evolve(*circles, NGEN=1, algorithm="cma-es").engine is None
    assert evolve(*circles, NGEN=1, MU=10, engine="numpy").engine == "numpy"


def test_bad_combinations_are_refused_clearly(circles):
    with pytest.raises(ValueError, match="fitness must be one of 'auto', 'accuracy', 'loss'"):
        evolve(*circles, fitness="mse")
    with pytest.raises(ValueError, match="CXPB \\+ MUTPB must be at most 1"):
        evolve(*circles, MU=10, NGEN=1, algorithm="elitist", CXPB=0.8, MUTPB=0.3)
    with pytest.raises(ValueError, match="algorithm must be one of 'lesson', 'elitist', 'cma-es'"):
        evolve(*circles, algorithm="pso")


def test_every_refusal_comes_before_the_slow_libraries_are_imported():
    """The command line refuses in one line within a second: checking settings imports
    neither scikit-learn nor DEAP nor pandas."""
    import subprocess
    import sys

    code = ("import sys\nfrom neuroevo_utils.settings import Settings\n"
            "try:\n    Settings.of(algorithm='cma-es', MU=10)\nexcept ValueError:\n    pass\n"
            "print(sorted(m for m in ('sklearn', 'deap', 'pandas', 'matplotlib') "
            "if m in sys.modules))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_the_command_line_records_the_algorithm_and_what_it_ignores(capsys):
    assert main(["--algorithm", "cma-es", "--ngen", "3", "--json", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["algorithm"] == "cma-es" and summary["fitness"] == "loss"  # auto, resolved
    assert summary["unused_parameters"] == ["MU", "CXPB", "MUTPB", "engine"]
    assert summary["engine"] is None  # no engine of the GA's ran
    with pytest.raises(SystemExit) as exited:
        main(["--algorithm", "pso"])
    assert exited.value.code == 2
    assert "'lesson', 'elitist', 'cma-es', 'sep-cma-es', 'es'" in capsys.readouterr().err


# --- the continuous loss (issue 12: "each fix alone") ---------------------------------------


def test_the_loss_toolbox_evaluates_loss_then_the_same_accuracy_as_the_lessons(circles):
    X, Y = circles
    genomes = np.random.default_rng(1).uniform(-1, 1, (6, 21))
    lesson, loss_toolbox = build_toolbox(X, Y, 5), build_loss_toolbox(X, Y, 5)
    losses = population_loss(genomes, X, Y, 5)
    for genome, loss in zip(genomes, losses, strict=True):
        value, accuracy = loss_toolbox.evaluate(list(genome))
        assert accuracy == lesson.evaluate(list(genome))[0]
        assert value == pytest.approx(loss, rel=1e-12)
        probability = np.clip(NeuralNetwork_output(genome, X), 1e-300, 1 - 1e-16)
        expected = -np.mean(Y * np.log(probability) + (1 - Y) * np.log(1 - probability))
        assert value == pytest.approx(expected, rel=1e-9)  # it is the cross-entropy


def NeuralNetwork_output(genome, X):
    network = NeuralNetwork(2, 5, 1)
    network.set_parameters(genome)
    return network.forward(X)[0]


def test_loss_fitness_selects_on_loss_and_reports_accuracy(circles):
    toolbox = build_loss_toolbox(*circles, 5)
    a, b = toolbox.individual(), toolbox.individual()
    a.fitness.values, b.fitness.values = (0.3, 0.5), (0.6, 0.9)
    assert a.fitness > b.fitness  # the lower loss wins, though b is more accurate
    hall = MostAccurate()
    hall.update([a, b])
    assert hall[0].fitness.values == (0.6, 0.9)  # the hall of fame keeps the most accurate
    c = toolbox.individual()
    c.fitness.values = (0.1, 0.9)
    hall.update([c])
    assert hall[0].fitness.values == (0.6, 0.9)  # only a strictly better accuracy replaces


@pytest.mark.parametrize("algorithm", ["lesson", "elitist"])
def test_a_ga_on_the_loss_gives_the_same_run_on_both_deap_engines(circles, algorithm):
    kwargs = dict(MU=40, NGEN=3, RGEN=4, seed=3, early_stop=False, algorithm=algorithm)
    fast = evolve(*circles, fitness="loss", engine="deap", **kwargs)
    slow = evolve(*circles, fitness="loss", engine="lesson", **kwargs)
    assert fast.fitness == "loss" and list(fast.logbook) == list(slow.logbook)
    np.testing.assert_array_equal(fast.best_individual, slow.best_individual)
    accuracy = evolve(*circles, fitness="accuracy", **kwargs)
    assert accuracy.logbook[0] == fast.logbook[0]  # same first population
    assert list(accuracy.logbook) != list(fast.logbook)  # but another search
    # The logbook is accuracy; the reported best is the most accurate network ever evaluated,
    # which for the elitist GA may be a child that lost on loss and never joined the population.
    best_in_population = max(fast.logbook.select("max"))
    assert fast.train_accuracy >= best_in_population
    if algorithm == "lesson":  # eaSimple's population is every evaluated child
        assert fast.train_accuracy == best_in_population


def test_cma_es_can_rank_by_accuracy_too(circles):
    result = evolve(*circles, seed=1, NGEN=3, early_stop=False, algorithm="cma-es",
                    fitness="accuracy")  # fmt: skip
    assert result.fitness == "accuracy" and result.generations == 30
    assert 0.5 <= result.train_accuracy <= 1.0


def test_cma_es_restarts_when_its_step_shape_turns_to_nan(monkeypatch):
    """A covariance with a negative eigenvalue gives NaN square roots inside DEAP's update,
    not an exception; the method must notice and restart, not sample NaN networks."""
    engine = cma_es(seed=0)
    engine.run(3)
    real_update = type(engine.strategy).update

    def update_with_a_negative_eigenvalue(population):
        real_update(engine.strategy, population)
        with np.errstate(invalid="ignore"):
            engine.strategy.BD = engine.strategy.BD * np.sqrt(-1.0)

    monkeypatch.setattr(engine.strategy, "update", update_with_a_negative_eigenvalue)
    engine.run(1)
    assert engine.restarts == 1 and np.isfinite(engine.strategy.BD).all()
    rows = engine.run(3)
    assert all(np.isfinite(list(row.values())).all() for row in rows)


def test_the_method_table_covers_every_algorithm_and_engine_the_spec_offers():
    from neuroevo_utils.methods import ENGINE_TABLE, METHOD_TABLE
    from neuroevo_utils.parameters import ALGORITHMS, ENGINES, METHOD_NAMES

    assert set(ALGORITHMS) <= set(METHOD_TABLE) and list(METHOD_NAMES) == list(METHOD_TABLE)
    assert tuple(ENGINE_TABLE) == ENGINES
    labels = [label for spec in METHOD_TABLE.values() for label in spec.labels.values()]
    assert len(labels) == len(set(labels))  # a race's method name means one thing
    for spec in METHOD_TABLE.values():
        assert set(spec.engines) <= set(ENGINES) and spec.auto_fitness in spec.fitnesses
        for engine in spec.engines or [None]:
            assert spec.strategy_class(engine).__name__  # every strategy can be imported
