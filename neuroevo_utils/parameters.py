"""The lesson's parameters: default, range and step, in one place.

Introduced in notebook 01. The notebooks' sliders (:mod:`neuroevo_utils.widgets`),
the validation in :func:`neuroevo_utils.evolve` and :func:`neuroevo_utils.load_data`,
and the command line (:mod:`neuroevo_utils.cli`) all read :data:`PARAMETERS`.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PROBLEMS: tuple[str, ...] = ("classification", "blobs", "gaussian quantiles", "moons", "circles")
"""The five scikit-learn toy problems of the lesson, in the lesson's order."""

ENGINES: tuple[str, ...] = ("lesson", "deap", "numpy")
"""Ways to run the same genetic algorithm (see :mod:`neuroevo_utils.engines`)."""


@dataclass(frozen=True)
class Parameter:
    """One tunable value: its default and what a slider (and the validator) allows."""

    name: str
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    choices: tuple[str, ...] | None = None

    @property
    def is_integer(self) -> bool:
        return isinstance(self.default, int) and self.choices is None

    def describe_range(self) -> str:
        """Human-readable range, used in every error message about this parameter."""
        if self.choices is not None:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.is_integer:
            text = f"an integer from {int(self.minimum)} to {int(self.maximum)}"
        else:
            text = f"a number from {self.minimum:g} to {self.maximum:g}"
        if self.step is not None:
            text += f" (slider step {self.step:g})"
        return text

    def validate(self, value: Any) -> Any:
        """Return ``value`` normalised (int/float/str), or raise ``ValueError`` naming the range."""
        if self.choices is not None:
            if value not in self.choices:
                raise ValueError(f"{self.name} must be {self.describe_range()}; got {value!r}")
            return value
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(f"{self.name} must be {self.describe_range()}; got {value!r}")
        if self.is_integer:
            if float(value) != int(value):
                raise ValueError(f"{self.name} must be {self.describe_range()}; got {value!r}")
            value = int(value)
        else:
            value = float(value)
        if not self.minimum <= value <= self.maximum:
            raise ValueError(f"{self.name} must be {self.describe_range()}; got {value!r}")
        return value


def _spec(*parameters: Parameter) -> dict[str, Parameter]:
    return {p.name: p for p in parameters}


PARAMETERS: dict[str, Parameter] = _spec(
    # Data (notebook 01)
    Parameter("problem", "circles", "which toy problem to learn", choices=PROBLEMS),
    Parameter("number_samples", 100, "points in the data set", 100, 1000, 25),
    Parameter("difficulty", 1, "how hard the problem is (noise, overlap)", 1, 5, 1),
    # Network (notebook 03)
    Parameter("middle_layer", 5, "neurons in the hidden tanh layer", 5, 25, 1),
    # Genetic algorithm (notebook 04)
    Parameter("MU", 1000, "population size", 5, 1000, 5),
    Parameter("NGEN", 100, "rounds of eaSimple (each RGEN generations)", 100, 1000, 10),
    Parameter("RGEN", 10, "generations per round; plots and early stop between rounds", 1, 100, 1),
    Parameter("CXPB", 0.6, "probability that a pair is crossed over", 0.0, 1.0, 0.05),
    Parameter("MUTPB", 0.3, "probability that an individual is mutated", 0.0, 1.0, 0.05),
    Parameter("seed", 64, "seed for Python random, NumPy and scikit-learn", 0, 2**32 - 1, 1),
    Parameter(
        "engine",
        "deap",
        "lesson: DEAP's eaSimple, one network at a time; deap: the same, a generation "
        "per NumPy pass; numpy: the same run on arrays, fixed operators",
        choices=ENGINES,
    ),
    # Evaluation (our additions to the lesson)
    Parameter(
        "test_size", 0.0, "fraction of points held out for testing (0: none)", 0.0, 0.9, 0.05
    ),
    Parameter(
        "target_accuracy", 1.0, "stop early once training accuracy reaches this", 0.5, 1.0, 0.01
    ),
)
"""Every parameter of the series by its lesson name."""

DEFAULTS: dict[str, Any] = {name: p.default for name, p in PARAMETERS.items()}
"""The lesson's defaults: ``{"problem": "circles", "number_samples": 100, ...}``."""


def validate(name: str, value: Any) -> Any:
    """Check one parameter against :data:`PARAMETERS`; raise ``ValueError`` naming its range."""
    if name not in PARAMETERS:
        raise ValueError(f"unknown parameter {name!r}; known: {', '.join(PARAMETERS)}")
    return PARAMETERS[name].validate(value)


def validate_all(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate every entry of ``values`` and return the normalised copy."""
    return {name: validate(name, value) for name, value in values.items()}
