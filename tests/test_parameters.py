import re

import pytest

from neuroevo_utils import DEFAULTS, PARAMETERS, PROBLEMS, validate
from neuroevo_utils.parameters import validate_all


def test_lesson_defaults_ranges_and_steps():
    expected = {
        "number_samples": (100, 100, 1000, 25),
        "difficulty": (1, 1, 5, 1),
        "middle_layer": (5, 5, 25, 1),
        "MU": (1000, 5, 1000, 5),
        "NGEN": (100, 100, 1000, 10),
        "RGEN": (10, 1, 100, 1),
    }
    for name, (default, low, high, step) in expected.items():
        spec = PARAMETERS[name]
        assert (spec.default, spec.minimum, spec.maximum, spec.step) == (default, low, high, step)
    assert DEFAULTS["problem"] == "circles"
    assert DEFAULTS["CXPB"] == 0.6 and DEFAULTS["MUTPB"] == 0.3 and DEFAULTS["seed"] == 64
    assert PROBLEMS == ("classification", "blobs", "gaussian quantiles", "moons", "circles")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("number_samples", 1, "number_samples must be an integer from 2 up; got 1"),
        ("difficulty", 0, "difficulty must be an integer from 1 up"),
        ("middle_layer", 0, "middle_layer must be an integer from 1 up"),
        ("MU", 0, "MU must be an integer from 1 up"),
        ("MU", 2.5, "MU must be an integer from 1 up; got 2.5, which is not a whole number"),
        ("NGEN", 0, "NGEN must be an integer from 1 up"),
        ("RGEN", float("inf"), "RGEN must be an integer from 1 up; got inf"),
        ("CXPB", 1.5, "CXPB must be a number from 0 to 1"),
        ("MUTPB", -0.1, "MUTPB must be a number from 0 to 1"),
        ("seed", 2**32, "seed must be an integer from 0 to 4294967295"),
        ("test_size", 0.95, "test_size must be a number from 0 to 0.9"),
        ("target_accuracy", float("nan"), "target_accuracy must be a number from 0 to 1"),
        ("difficulty", "3", "difficulty must be an integer"),
        ("difficulty", True, "difficulty must be an integer"),
        (
            "problem",
            "spirals",
            "'classification', 'blobs', 'gaussian quantiles', 'moons', 'circles'",
        ),
    ],
)
def test_out_of_range_values_name_the_parameter_and_its_range(name, value, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        validate(name, value)


@pytest.mark.parametrize(
    ("name", "lowest"),
    [("number_samples", 2), ("difficulty", 1), ("middle_layer", 1), ("MU", 1), ("NGEN", 1),
     ("RGEN", 1), ("seed", 0)],
)  # fmt: skip
def test_code_takes_any_value_the_algorithm_can_run_with_off_the_slider(name, lowest):
    spec = PARAMETERS[name]
    assert validate(name, lowest) == lowest  # the lowest that works...
    with pytest.raises(ValueError):
        validate(name, lowest - 1)  # ... and one below it does not
    if spec.maximum < 2**32 - 1:
        assert validate(name, spec.maximum * 10) == spec.maximum * 10  # no slider ceiling
    off_step = spec.minimum + spec.step / 2 if spec.step > 1 else None
    if off_step is not None and off_step == int(off_step):
        assert validate(name, int(off_step)) == int(off_step)  # steps are the slider's only


def test_messages_mention_no_slider_step():
    for name, spec in PARAMETERS.items():
        if spec.choices is None:
            assert "step" not in spec.describe_range(), name


def test_valid_values_are_normalised():
    assert validate("MU", 10.0) == 10 and isinstance(validate("MU", 10.0), int)
    assert validate("number_samples", 110.0) == 110  # an integral float is an integer
    assert validate("CXPB", 1) == 1.0 and isinstance(validate("CXPB", 1), float)
    assert validate_all({"problem": "moons", "difficulty": 5}) == {
        "problem": "moons",
        "difficulty": 5,
    }


def test_unknown_parameter_is_reported():
    with pytest.raises(ValueError, match="unknown parameter 'mu'"):
        validate("mu", 10)


def test_every_default_is_valid():
    for name, value in DEFAULTS.items():
        assert validate(name, value) == value
