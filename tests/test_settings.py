"""Settings (notebook 04): every door's values checked once, against the parameter spec and
both registries; what is not given takes the problem's defaults, then the lesson's."""

import pytest

from neuroevo_utils import DEFAULTS, Settings
from neuroevo_utils.settings import SettingsError


def test_the_defaults_are_the_lessons():
    settings = Settings.of()
    assert settings.values() == {**DEFAULTS, "fitness": "accuracy"}  # auto, resolved
    assert settings.engine_that_runs == "deap" and settings.unused == ()


def test_what_is_not_given_takes_the_problems_defaults_then_the_lessons():
    digits = Settings.of(problem="digits")
    assert (digits.middle_layer, digits.MU, digits.test_size) == (16, 100, 0.25)
    assert digits.NGEN == DEFAULTS["NGEN"] and digits.engine == "numpy"
    assert Settings.of(problem="digits", middle_layer=5).middle_layer == 5  # given: kept
    assert digits.unused == ("number_samples", "difficulty")


def test_each_refusal_names_its_parameter_for_the_command_line():
    cases = [
        (dict(MU=0), "MU", "MU must be an integer from 1 up; got 0"),
        (dict(algorithm="cma-es", engine="numpy"), "engine",
         "algorithm 'cma-es' does not use engine: leave it at the default"),
        (dict(problem="digits", difficulty=2), "difficulty",
         "problem 'digits' does not use difficulty: leave it at the default"),
        (dict(algorithm="sep-cma-es", fitness="accuracy"), "fitness",
         "algorithm 'sep-cma-es' cannot rank by 'accuracy'"),
        (dict(bogus=1), "bogus", "unknown parameter 'bogus'; known: problem, number_samples"),
        (dict(algorithm="cma-es", MU=5, CXPB=0.1), None,
         "algorithm 'cma-es' does not use MU, CXPB: leave them at the default"),
    ]  # fmt: skip
    for values, parameter, message in cases:
        with pytest.raises(SettingsError) as refused:
            Settings.of(values)
        assert refused.value.parameter == parameter and str(refused.value).startswith(message)


def test_a_value_left_at_its_default_is_not_refused_but_recorded_as_unused():
    settings = Settings.of(algorithm="cma-es", MU=1000, engine="deap")  # the defaults: fine
    assert settings.unused == ("MU", "CXPB", "MUTPB", "engine")
    assert settings.engine_that_runs is None


def test_sharing_keeps_shared_values_a_method_ignores_at_their_defaults():
    shared = dict(MU=50, CXPB=0.5, number_samples=200)
    cma = Settings.sharing(shared, {"algorithm": "cma-es", "seed": 3})
    assert (cma.MU, cma.CXPB, cma.number_samples, cma.seed) == (1000, 0.6, 200, 3)
    digits = Settings.sharing(shared, {"problem": "digits"})
    assert (digits.MU, digits.number_samples) == (50, 100)
    with pytest.raises(SettingsError, match="does not use MU"):  # its own values: as given
        Settings.sharing({}, {"algorithm": "cma-es", "MU": 50})


def test_but_checks_the_whole_again():
    settings = Settings.of(MU=50)
    assert settings.but(seed=3).seed == 3 and settings.but(seed=3).MU == 50
    with pytest.raises(SettingsError, match="does not use MU"):
        settings.but(algorithm="cma-es")


def test_a_toolbox_is_refused_where_no_toolbox_runs():
    with pytest.raises(SettingsError, match="takes no toolbox"):
        Settings.of(engine="numpy").check_toolbox()
    Settings.of(engine="lesson").check_toolbox()
