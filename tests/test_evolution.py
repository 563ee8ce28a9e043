import numpy as np
import pytest

from neuroevo_utils import evolve, load_data

LOG_FIELDS = ["gen", "nevals", "avg", "std", "min", "max"]


@pytest.fixture(scope="module")
def circles():
    return load_data("circles", 100, 1, random_state=64)


@pytest.fixture(scope="module")
def moons():
    return load_data("moons", 100, 1, random_state=64)


@pytest.mark.parametrize("engine", ["deap", "numpy"])
def test_reaches_full_accuracy_on_moons_within_30_generations(moons, engine):
    result = evolve(*moons, seed=64, engine=engine)
    assert result.train_accuracy == 1.0
    assert result.generations <= 30
    assert result.stopped_early


@pytest.mark.parametrize("engine", ["deap", "numpy"])
def test_lessons_default_run_stops_at_generation_50(circles, engine):
    # The lesson's published run (circles, 100 points, MU=1000, seed 64) stops at 50.
    result = evolve(*circles, engine=engine)
    assert (result.train_accuracy, result.generations, result.stopped_early) == (1.0, 50, True)
    assert result.evaluations == sum(result.logbook.select("nevals")) == 37032


@pytest.mark.parametrize(
    ("problem", "seed", "middle_layer"),
    [("circles", 64, 5), ("moons", 3, 8), ("gaussian quantiles", 11, 5)],
)
def test_both_engines_follow_the_lessons_loop_exactly(problem, seed, middle_layer):
    X, Y = load_data(problem, 150, 2, random_state=seed)
    kwargs = dict(seed=seed, middle_layer=middle_layer, MU=100, NGEN=100, RGEN=2, early_stop=False)
    lesson = evolve(X, Y, engine="lesson", **kwargs)
    for fast in (evolve(X, Y, **kwargs), evolve(X, Y, engine="numpy", **kwargs)):
        np.testing.assert_array_equal(fast.best_individual, lesson.best_individual)
        assert fast.train_accuracy == lesson.train_accuracy
        assert fast.generations == lesson.generations == 200
        assert fast.evaluations == lesson.evaluations
        for field in LOG_FIELDS:
            assert fast.logbook.select(field) == lesson.logbook.select(field)


@pytest.mark.parametrize("engine", ["deap", "numpy"])
def test_same_seed_same_result_different_seed_different_run(circles, engine):
    kwargs = dict(MU=100, NGEN=100, RGEN=2, early_stop=False, engine=engine)
    a, b = evolve(*circles, seed=5, **kwargs), evolve(*circles, seed=5, **kwargs)
    c = evolve(*circles, seed=6, **kwargs)
    np.testing.assert_array_equal(a.best_individual, b.best_individual)
    assert a.logbook.select("avg") == b.logbook.select("avg")
    assert a.logbook.select("avg") != c.logbook.select("avg")


@pytest.mark.parametrize("engine", ["deap", "numpy"])
def test_result_is_consistent(circles, engine):
    X, Y = circles
    result = evolve(X, Y, MU=50, NGEN=100, RGEN=3, seed=1, engine=engine)
    # The hall of fame's accuracy is the best network's real accuracy, and the best ever seen.
    assert result.train_accuracy == np.mean(result.network().predict(X) == Y)
    assert result.train_accuracy == max(result.logbook.select("max"))
    # One continuous logbook: generations 0..G, initial evaluation of the whole population.
    assert result.logbook.select("gen") == list(range(result.generations + 1))
    assert result.logbook[0]["nevals"] == 50
    assert 0 < result.evaluations <= 50 * (result.generations + 1)
    assert result.generations % 3 == 0 and result.seconds > 0


@pytest.mark.parametrize("engine", ["deap", "numpy"])
def test_callback_after_every_round_and_early_stop_at_target(circles, engine):
    settings = dict(MU=100, NGEN=100, RGEN=2, seed=2, engine=engine)
    # A first run without early stop shows when the best accuracy first improves on
    # round 1's; that accuracy becomes the target of the second run, which must stop there.
    full = []
    evolve(*circles, early_stop=False, on_round=full.append, **settings)
    assert [r.round for r in full] == list(range(1, 101))
    assert [r.generation for r in full] == [2 * r.round for r in full]
    improved = next(r for r in full if r.best_accuracy > full[0].best_accuracy)

    reports = []
    result = evolve(
        *circles, target_accuracy=improved.best_accuracy, on_round=reports.append, **settings
    )
    assert [r.round for r in reports] == list(range(1, improved.round + 1))
    assert [r.best_accuracy for r in reports] == [r.best_accuracy for r in full[: improved.round]]
    assert result.stopped_early and result.generations == improved.generation
    assert reports[-1].network().predict(circles[0]).shape == (100,)


def test_without_early_stop_all_rounds_run(moons):
    result = evolve(*moons, MU=20, NGEN=100, RGEN=1, early_stop=False, engine="numpy")
    assert result.generations == 100 and not result.stopped_early


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"MU": 0}, "MU must be an integer from 1 up"),
        ({"NGEN": 2.5}, "NGEN must be an integer from 1 up"),
        ({"RGEN": 0}, "RGEN must be an integer from 1 up"),
        ({"middle_layer": 0}, "middle_layer must be an integer from 1 up"),
        ({"CXPB": 2.0}, "CXPB must be a number from 0 to 1"),
        ({"engine": "torch"}, "engine must be one of 'lesson', 'deap', 'numpy'"),
    ],
)
def test_bad_arguments_are_reported_clearly(moons, kwargs, message):
    with pytest.raises(ValueError, match=message):
        evolve(*moons, **kwargs)


def test_bad_data_is_reported_clearly(moons):
    X, Y = moons
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, n_features\)"):
        evolve(X[:, 0], Y)
    with pytest.raises(ValueError, match=r"Y must have shape \(100,\)"):
        evolve(X, Y[:10])
    with pytest.raises(ValueError, match=r"class labels 0, 1, \.\.\. \(each at least once"):
        evolve(X, Y + 1)


def test_any_number_of_features_and_classes_trains():
    """No 2-input lock: three features, three classes; the GA runs on arrays (a DEAP
    toolbox builds the lesson's 2-h-1 network only), CMA-ES as it does everywhere."""
    rng = np.random.default_rng(0)
    Y = np.repeat([0, 1, 2], 30)
    X = rng.normal(0, 0.3, (90, 3)) + np.eye(3)[Y]
    ga = evolve(X, Y, MU=40, NGEN=20, RGEN=1, seed=1)
    assert ga.engine == "numpy" and ga.best_individual.size == 3 * 5 + 5 + 5 * 3 + 3
    assert ga.train_accuracy > 0.9
    cma = evolve(X, Y, algorithm="cma-es", NGEN=30, RGEN=1, seed=1)
    assert cma.train_accuracy > 0.9 and np.mean(cma.network().predict(X) == Y) == pytest.approx(
        cma.train_accuracy
    )
