"""Every problem a method can train a network on, declared once: the registry.

Introduced in notebook 04 (the toy problems) and notebook 07 (digits, threshold networks).
A problem is made from :class:`~neuroevo_utils.settings.Settings` by its entry's ``make``;
:func:`make_problem` looks the entry up by ``settings.problem``. Everything that offers a
problem — ``run_experiment``, the command line's ``--problem``, sweeps, races, studies —
reads this table, so a new problem is one file with its ``make`` function and one
:func:`register_problem` call::

    register_problem(ProblemSpec("xor", "four corners, two classes", make_xor,
                                 inputs=2, outputs=1))

``make`` may be given as ``"module:function"``, imported when the first such problem is made
(so the command line can check its flags without importing scikit-learn).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..parameters import PROBLEM_NAMES, PROBLEMS
from ..population import NetworkShape
from .base import Descent, Evaluation, GenomeNetwork, Problem, array_problem

if TYPE_CHECKING:
    from ..settings import Settings

__all__ = [
    "PROBLEM_TABLE",
    "Descent",
    "Evaluation",
    "GenomeNetwork",
    "Problem",
    "ProblemSpec",
    "array_problem",
    "make_problem",
    "problem_spec",
    "reachable_target",
    "register_problem",
]


@dataclass(frozen=True)
class ProblemSpec:
    """What a problem is, what it takes, and how to make it."""

    name: str
    summary: str
    make: Callable[[Settings], Problem] | str
    """Settings -> :class:`Problem`, or ``"module:function"`` naming it."""
    inputs: int
    outputs: int
    """1: two classes and a sigmoid (the lesson's); more: one output per class, a softmax."""
    uses: tuple[str, ...] = ()
    """The data parameters it reads (``number_samples``, ``difficulty``); it refuses the
    others if they are given."""
    defaults: Mapping[str, Any] = field(default_factory=dict)
    """Settings it changes from the lesson's defaults when they are not given."""
    reachable_target: Callable[[Problem, int], float] | str | None = None
    """A training target the network can reach on these points (a race's ``target="auto"``);
    None: 100%."""

    def shape(self, settings: Settings) -> NetworkShape:
        return NetworkShape(self.inputs, settings.middle_layer, self.outputs, settings.activation)

    def unused(self) -> tuple[str, ...]:
        """The data parameters it ignores."""
        return tuple(name for name in DATA_PARAMETERS if name not in self.uses)


DATA_PARAMETERS = ("number_samples", "difficulty")
"""Parameters that only describe a problem's data; each problem says which it uses."""

PROBLEM_TABLE: dict[str, ProblemSpec] = {}
"""Every registered problem by name (``problem=``, ``--problem``)."""


def register_problem(spec: ProblemSpec) -> ProblemSpec:
    """Add a problem to the table (and to what ``problem=`` accepts); returns it."""
    PROBLEM_TABLE[spec.name] = spec
    PROBLEM_NAMES.add(spec.name)
    return spec


def problem_spec(name: str) -> ProblemSpec:
    """The entry of problem ``name``, or a ``ValueError`` listing the known ones."""
    if name not in PROBLEM_TABLE:
        raise ValueError(f"unknown problem {name!r}; known: {', '.join(map(repr, PROBLEM_TABLE))}")
    return PROBLEM_TABLE[name]


def _resolve(target: Callable | str) -> Callable:
    if isinstance(target, str):
        module, _, name = target.partition(":")
        return getattr(importlib.import_module(module), name)
    return target


def make_problem(settings: Settings) -> Problem:
    """The problem ``settings.problem``, made from ``settings`` (data, split, network)."""
    return _resolve(problem_spec(settings.problem).make)(settings)


def reachable_target(problem: Problem, seed: int) -> float:
    """The training target its entry says the network can reach (see
    :attr:`ProblemSpec.reachable_target`)."""
    rule = problem_spec(problem.name).reachable_target
    return 1.0 if rule is None else float(_resolve(rule)(problem, seed))


for _name in PROBLEMS:
    register_problem(ProblemSpec(
        _name, f"scikit-learn's {_name} (the lesson's), 2 features, 2 classes",
        "neuroevo_utils.problems.toy:make_toy_problem", inputs=2, outputs=1,
        uses=DATA_PARAMETERS, reachable_target="neuroevo_utils.problems.toy:toy_reachable_target",
    ))  # fmt: skip
register_problem(ProblemSpec(
    "digits", "scikit-learn's 8x8 handwritten digits, 64 pixels, 10 classes (notebook 07)",
    "neuroevo_utils.problems.digits:make_digits_problem", inputs=64, outputs=10,
    defaults={"middle_layer": 16, "MU": 100, "test_size": 0.25},
))  # fmt: skip
