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
        ("number_samples", 50, "number_samples must be an integer from 100 to 1000"),
        ("number_samples", 1001, "from 100 to 1000"),
        ("difficulty", 0, "difficulty must be an integer from 1 to 5"),
        ("middle_layer", 26, "middle_layer must be an integer from 5 to 25"),
        ("MU", 2.5, "MU must be an integer from 5 to 1000"),
        ("NGEN", 99, "NGEN must be an integer from 100 to 1000"),
        ("RGEN", 101, "RGEN must be an integer from 1 to 100"),
        ("CXPB", 1.5, "CXPB must be a number from 0 to 1"),
        ("MUTPB", -0.1, "MUTPB must be a number from 0 to 1"),
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
    with pytest.raises(ValueError, match=message):
        validate(name, value)


def test_valid_values_are_normalised():
    assert validate("MU", 10.0) == 10 and isinstance(validate("MU", 10.0), int)
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
