"""A new method is one class and one registry entry; so is a new problem.

Both are defined here, in the test file alone, and run through every door: ``evolve``,
``run_experiment``, the command line, a sweep and a race, with nothing else changed.
"""

import json

import numpy as np
import pytest

from neuroevo_utils import Settings, evolve, load_data, run_experiment
from neuroevo_utils.cli import main
from neuroevo_utils.methods import METHOD_TABLE, Method, register_method
from neuroevo_utils.methods.base import Strategy
from neuroevo_utils.parameters import METHOD_NAMES, PROBLEM_NAMES
from neuroevo_utils.population import NetworkShape
from neuroevo_utils.problems import PROBLEM_TABLE, Problem, ProblemSpec, register_problem
from neuroevo_utils.problems.base import uniform_start
from neuroevo_utils.study import run_study, summary, sweep


class RandomSearch(Strategy):
    """Draw MU random networks a generation and keep the most accurate ever seen."""

    def __init__(self, problem, settings, toolbox=None):
        super().__init__(problem, settings)
        self.rng = np.random.default_rng(settings.seed)

    def first(self):
        return self.ask()

    def ask(self):
        return self.rng.uniform(-1, 1, (self.settings.MU, self.problem.genes))

    def tell(self, genomes, evaluation):
        pass  # a random search learns nothing: the base class keeps the best seen


def make_xor(settings):
    """Four clouds in the corners of a square; opposite corners share a class."""
    rng = np.random.default_rng(settings.seed)
    corners = rng.integers(0, 2, (settings.number_samples, 2))
    X = corners * 2.0 - 1.0 + rng.normal(0, 0.2, (settings.number_samples, 2))
    Y = corners[:, 0] ^ corners[:, 1]
    shape = NetworkShape(2, settings.middle_layer, 1, settings.activation)
    return Problem("xor", X, Y, None, None, shape, mean_start=uniform_start(shape.genes))


@pytest.fixture(scope="module", autouse=True)
def registered():
    register_method(Method("random", "random search", RandomSearch,
                           labels={"accuracy": "random search"}, auto_fitness="accuracy",
                           unused=("CXPB", "MUTPB", "engine")))  # fmt: skip
    register_problem(ProblemSpec("xor", "four corners, two classes", make_xor, inputs=2,
                                 outputs=1, uses=("number_samples",)))  # fmt: skip
    yield
    del METHOD_TABLE["random"], PROBLEM_TABLE["xor"]
    METHOD_NAMES.remove("random")
    PROBLEM_NAMES.remove("xor")


def test_a_new_method_runs_through_evolve_and_run_experiment():
    X, Y = load_data("moons", 100, 1, random_state=0)
    result = evolve(X, Y, algorithm="random", MU=50, NGEN=4, RGEN=1, early_stop=False)
    assert result.algorithm == "random" and result.evaluations == 50 * 5
    assert result.engine is None and 0.5 <= result.train_accuracy <= 1
    again = run_experiment(dict(problem="moons", seed=64, algorithm="random", MU=50, NGEN=4,
                                RGEN=1), early_stop=False)  # fmt: skip
    np.testing.assert_array_equal(again.result.best_individual, result.best_individual)
    with pytest.raises(ValueError, match="algorithm 'random' does not use CXPB"):
        Settings.of(algorithm="random", CXPB=0.1)


def test_a_new_method_and_problem_run_from_the_command_line(capsys):
    assert main(["--problem", "xor", "--algorithm", "random", "--mu", "40", "--ngen", "3",
                 "--json", "--quiet"]) == 0  # fmt: skip
    summary_ = json.loads(capsys.readouterr().out)
    assert (summary_["problem"], summary_["algorithm"], summary_["genes"]) == ("xor", "random", 21)
    assert summary_["unused_parameters"] == ["CXPB", "MUTPB", "engine", "difficulty"]
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    assert "random search" in help_text and "four corners, two classes" in help_text
    with pytest.raises(SystemExit) as exited:
        main(["--problem", "xor", "--difficulty", "3"])
    assert exited.value.code == 2
    assert "problem 'xor' does not use difficulty" in capsys.readouterr().err


def test_a_new_method_and_problem_run_in_a_sweep_and_a_race(tmp_path):
    rows = sweep({"problem": ["xor", "moons"], "algorithm": ["random", "lesson"]}, [0, 1],
                 base=dict(MU=30, NGEN=3, RGEN=1), results=tmp_path / "runs.jsonl",
                 progress=False)  # fmt: skip
    assert len(rows) == 8 and rows["error"].isna().all()
    assert set(rows["method"]) == {"random search", "lesson GA"}
    race = run_study(["xor", "circles"], ["random search", "lesson GA", "CMA-ES + loss"], [0, 1],
                     base=dict(MU=30, NGEN=5, RGEN=1))  # fmt: skip
    table = summary(race).set_index("method")
    assert table.loc["random search", "runs"] == 4 and race["error"].isna().all()
    cma = race[race["method"] == "CMA-ES + loss"]  # the race's budget, whatever the method,
    assert (cma["evaluations"] < 30 * 5 + 13 + 1).all()  # checked after each generation of 13
