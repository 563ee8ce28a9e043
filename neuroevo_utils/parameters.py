"""The lesson's parameters: default, slider range and step, and what code accepts, in one place.

Introduced in notebook 01. Two kinds of limits, one spec:

* the **slider** (``minimum``, ``maximum``, ``step``) is the lesson's Colab form field, kept
  exactly; the notebooks' sliders (:mod:`neuroevo_utils.widgets`) read it;
* the **limits** are what the algorithm can run with, decided by what breaks (two points
  are the fewest that hold both classes; a population of one still evolves; a round needs
  a generation). :func:`neuroevo_utils.evolve`, :func:`neuroevo_utils.load_data`,
  :func:`neuroevo_utils.run_experiment` and the command line accept anything within them,
  so ``NGEN=5`` makes a quick run and ``MU=7`` is fine off the slider's step.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

PROBLEMS: tuple[str, ...] = ("classification", "blobs", "gaussian quantiles", "moons", "circles")
"""The five scikit-learn toy problems of the lesson, in the lesson's order: the problem
dropdown's choices. Code accepts every registered problem (:mod:`neuroevo_utils.problems`)."""

ENGINES: tuple[str, ...] = ("lesson", "deap", "numpy")
"""Ways to run the lesson's genetic algorithm (see :mod:`neuroevo_utils.methods`)."""

ALGORITHMS: tuple[str, ...] = ("lesson", "elitist", "cma-es")
"""The algorithm dropdown's choices (notebook 05). Code accepts every registered method
(:mod:`neuroevo_utils.methods`)."""

FITNESSES: tuple[str, ...] = ("auto", "accuracy", "loss")
"""What the search ranks networks by (notebook 05): ``auto`` is each method's own."""

ACTIVATIONS: tuple[str, ...] = ("tanh", "step")
"""The hidden units: the lesson's ``tanh``, or a hard threshold (notebook 07)."""


class Names:
    """The names code accepts for a parameter with choices: the dropdown's, plus whatever a
    registry adds (:func:`neuroevo_utils.problems.register_problem`,
    :func:`neuroevo_utils.methods.register_method`)."""

    def __init__(self, names: Iterable[str]) -> None:
        self._names = list(names)

    def add(self, name: str) -> None:
        if name not in self._names:
            self._names.append(name)

    def remove(self, name: str) -> None:
        self._names.remove(name)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


@dataclass(frozen=True)
class Parameter:
    """One tunable value: its default, its slider, and what code accepts."""

    name: str
    default: Any
    help: str
    minimum: float | None = None
    """The slider's lowest value (the lesson's)."""
    maximum: float | None = None
    """The slider's highest value (the lesson's)."""
    step: float | None = None
    """The slider's step; code accepts values between steps."""
    limits: tuple[float, float] | None = None
    """Lowest and highest value code accepts (``math.inf``: no upper limit)."""
    choices: tuple[str, ...] | None = None
    """The dropdown's choices; code accepts :attr:`accepted` (the same, unless a registry
    adds names)."""
    accepted: Names | None = None

    @property
    def accepted_choices(self) -> Iterable[str]:
        """Every name code accepts."""
        return self.accepted if self.accepted is not None else self.choices

    @property
    def is_integer(self) -> bool:
        return isinstance(self.default, int) and self.choices is None

    def describe_range(self) -> str:
        """What code accepts, in words: used in every error message about this parameter."""
        if self.choices is not None:
            return "one of " + ", ".join(repr(c) for c in self.accepted_choices)
        low, high = self.limits
        if not self.is_integer:
            return f"a number from {low:g} to {high:g}"
        if math.isinf(high):
            return f"an integer from {int(low)} up"
        return f"an integer from {int(low)} to {int(high)}"

    def describe_slider(self) -> str:
        return f"{self.minimum:g} to {self.maximum:g} in steps of {self.step:g}"

    def validate(self, value: Any) -> Any:
        """Return ``value`` normalised (int/float/str), or raise ``ValueError`` naming the range.

        An integer parameter takes an integral float too (``100.0`` is 100); ``100.5`` is
        refused with the reason.
        """
        if self.choices is not None:
            if value not in self.accepted_choices:
                raise ValueError(f"{self.name} must be {self.describe_range()}; got {value!r}")
            return value
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(f"{self.name} must be {self.describe_range()}; got {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"{self.name} must be {self.describe_range()}; got {value!r}")
        if self.is_integer:
            if float(value) != int(value):
                raise ValueError(
                    f"{self.name} must be {self.describe_range()}; got {value!r}, "
                    "which is not a whole number"
                )
            value = int(value)
        else:
            value = float(value)
        low, high = self.limits
        if not low <= value <= high:
            raise ValueError(f"{self.name} must be {self.describe_range()}; got {value!r}")
        return value


def _spec(*parameters: Parameter) -> dict[str, Parameter]:
    return {p.name: p for p in parameters}


UP = math.inf

PROBLEM_NAMES = Names(PROBLEMS)
"""Every problem code accepts (:mod:`neuroevo_utils.problems` adds its own)."""
METHOD_NAMES = Names(ALGORITHMS)
"""Every algorithm code accepts (:mod:`neuroevo_utils.methods` adds its own)."""

PARAMETERS: dict[str, Parameter] = _spec(
    # Data (notebook 01)
    Parameter("problem", "circles", "which problem to learn", choices=PROBLEMS,
              accepted=PROBLEM_NAMES),
    Parameter("number_samples", 100, "points in the data set", 100, 1000, 25, (2, UP)),
    Parameter("difficulty", 1, "how hard the problem is (noise, overlap)", 1, 5, 1, (1, UP)),
    # Network (notebook 03)
    Parameter("middle_layer", 5, "neurons in the hidden layer", 5, 25, 1, (1, UP)),
    Parameter(
        "activation",
        "tanh",
        "the hidden units: tanh (the lesson's) or step, a hard threshold with no gradient "
        "(notebook 07)",
        choices=ACTIVATIONS,
    ),
    # Genetic algorithm (notebook 04)
    Parameter("MU", 1000, "population size", 5, 1000, 5, (1, UP)),
    Parameter("NGEN", 100, "rounds of eaSimple (each RGEN generations)", 100, 1000, 10, (1, UP)),
    Parameter(
        "RGEN",
        10,
        "generations per round; plots and early stop between rounds",
        1,
        100,
        1,
        (1, UP),
    ),
    Parameter("CXPB", 0.6, "probability that a pair is crossed over", 0.0, 1.0, 0.05, (0, 1)),
    Parameter("MUTPB", 0.3, "probability that an individual is mutated", 0.0, 1.0, 0.05, (0, 1)),
    Parameter(
        "seed",
        64,
        "seed for Python random, NumPy and scikit-learn",
        0,
        2**32 - 1,
        1,
        (0, 2**32 - 1),  # scikit-learn's random_state takes no more
    ),
    Parameter(
        "engine",
        "deap",
        "lesson: DEAP's eaSimple, one network at a time; deap: the same, a generation "
        "per NumPy pass; numpy: the same run on arrays, fixed operators",
        choices=ENGINES,
    ),
    Parameter(
        "algorithm",
        "lesson",
        "what searches the weights (the methods are listed below)",
        choices=ALGORITHMS,
        accepted=METHOD_NAMES,
    ),
    Parameter(
        "fitness",
        "auto",
        "what the search ranks networks by: accuracy (the lesson's) or loss (cross-entropy, "
        "then accuracy); auto: each method's own. Runs report and stop on accuracy either way",
        choices=FITNESSES,
    ),
    # Evaluation (our additions to the lesson)
    Parameter(
        "test_size",
        0.0,
        "fraction of points held out for testing (0: none)",
        0.0,
        0.9,
        0.05,
        (0, 0.9),  # more leaves too few points to learn from
    ),
    Parameter(
        "target_accuracy",
        1.0,
        "stop early once training accuracy reaches this",
        0.5,
        1.0,
        0.01,
        (0, 1),
    ),
    Parameter(
        "evaluations",
        0,
        "the most networks a run may evaluate, checked after each generation (0: no limit "
        "but NGEN x RGEN generations)",
        limits=(0, UP),
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
