"""Which algorithm runs on which engine, ranks by what and uses which parameters: one table.

Introduced in notebook 05. Choosing a method is three choices — ``algorithm``, ``engine`` and
``fitness`` — and not every combination runs. Rather than ``if`` statements scattered over the
code, the two tables below declare what each algorithm and each engine supports, and
everything that offers a choice reads them: :func:`check_method` (called by ``evolve``, so by
the API, the command line, sweeps and races alike), the command line's ``--help``, the
Evolve panels (which grey out the controls an algorithm does not use) and the results' JSON
(``unused_parameters``).

A setting the chosen algorithm would ignore is refused if it was *given* — set to anything
but its default — and listed as unused if it was left at its default. A result records the
engine that ran, or none (CMA-ES runs on no engine of the GA's).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .parameters import DEFAULTS


@dataclass(frozen=True)
class AlgorithmSpec:
    """What an algorithm is, and what it takes."""

    summary: str
    engines: tuple[str, ...]
    """The engines that can run it; ``()``: it is its own implementation and takes none."""
    fitnesses: tuple[str, ...]
    auto_fitness: str
    """What ``fitness="auto"`` means for it."""
    unused: tuple[str, ...] = ()
    """Parameters it ignores."""


@dataclass(frozen=True)
class EngineSpec:
    """What an engine runs, and whether it runs the reader's toolbox."""

    summary: str
    fitnesses: tuple[str, ...]
    runs_toolbox: bool


ALGORITHM_TABLE: dict[str, AlgorithmSpec] = {
    "lesson": AlgorithmSpec(
        "the lesson's GA: eaSimple with tournaments, blend crossover, Gaussian mutation",
        engines=("lesson", "deap", "numpy"), fitnesses=("accuracy", "loss"),
        auto_fitness="accuracy",
    ),
    "elitist": AlgorithmSpec(
        "the same operators in eaMuPlusLambda: the best MU of parents and children survive",
        engines=("lesson", "deap"), fitnesses=("accuracy", "loss"), auto_fitness="accuracy",
    ),
    "cma-es": AlgorithmSpec(
        "CMA-ES (deap.cma.Strategy): samples around a mean and adapts its steps",
        engines=(), fitnesses=("accuracy", "loss"), auto_fitness="loss",
        unused=("MU", "CXPB", "MUTPB", "engine"),
    ),
}  # fmt: skip
"""Every algorithm (``algorithm=``, ``--algorithm``)."""

ENGINE_TABLE: dict[str, EngineSpec] = {
    "lesson": EngineSpec("DEAP's eaSimple on the toolbox as given, one evaluation at a time",
                         fitnesses=("accuracy", "loss"), runs_toolbox=True),
    "deap": EngineSpec("the same, a generation evaluated in one NumPy pass",
                       fitnesses=("accuracy", "loss"), runs_toolbox=True),
    "numpy": EngineSpec("the lesson's fixed operators on arrays, making the same draws",
                        fitnesses=("accuracy",), runs_toolbox=False),
}  # fmt: skip
"""Every engine of the genetic algorithms (``engine=``, ``--engine``)."""



def resolve_fitness(algorithm: str, fitness: str) -> str:
    """``fitness``, or for ``"auto"`` the algorithm's own."""
    return ALGORITHM_TABLE[algorithm].auto_fitness if fitness == "auto" else fitness


def unused_parameters(algorithm: str) -> tuple[str, ...]:
    """The parameters ``algorithm`` ignores."""
    return ALGORITHM_TABLE[algorithm].unused


def for_algorithm(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with the parameters their algorithm does not use put back to the defaults:
    for settings shared by several methods (a race, a sweep's base, notebook 05's values)."""
    unused = unused_parameters(values.get("algorithm", DEFAULTS["algorithm"]))
    return {name: DEFAULTS[name] if name in unused else value for name, value in values.items()}


def given(values: Mapping[str, Any]) -> set[str]:
    """The names in ``values`` set to something other than their default."""
    return {name for name, value in values.items() if name in DEFAULTS and value != DEFAULTS[name]}


def check_method(
    algorithm: str, engine: str, fitness: str, *, given: set[str] = frozenset(),
    toolbox: bool = False,
) -> str:  # fmt: skip
    """The fitness ``algorithm`` will rank by; a ``ValueError`` of one line naming what does
    not fit if the combination would not run as asked. ``given``: the parameters set to other
    than their defaults; ``toolbox``: whether a toolbox was passed."""
    spec = ALGORITHM_TABLE[algorithm]
    fitness = resolve_fitness(algorithm, fitness)
    ignored = [name for name in spec.unused if name in given]
    if ignored:
        raise ValueError(
            f"algorithm {algorithm!r} does not use {', '.join(ignored)}: leave "
            f"{'it' if len(ignored) == 1 else 'them'} at the default"
        )
    if fitness not in spec.fitnesses:
        raise ValueError(f"algorithm {algorithm!r} cannot rank by {fitness!r}")
    if not spec.engines:
        if toolbox:
            raise ValueError(f"algorithm {algorithm!r} runs on its own and takes no toolbox")
        return fitness
    if engine not in spec.engines:
        raise ValueError(
            f"algorithm {algorithm!r} runs on engine {' or '.join(map(repr, spec.engines))}, "
            f"not {engine!r}"
        )
    if fitness not in ENGINE_TABLE[engine].fitnesses:
        raise ValueError(f"engine {engine!r} ranks by accuracy only; run fitness {fitness!r} on "
                         "engine 'deap' or 'lesson'")  # fmt: skip
    if toolbox and not ENGINE_TABLE[engine].runs_toolbox:
        raise ValueError(
            f"engine {engine!r} runs the lesson's fixed operators and takes no toolbox; run "
            "an edited toolbox with engine 'deap' or 'lesson'"
        )
    return fitness


def engine_that_runs(algorithm: str, engine: str) -> str | None:
    """What a result records as its engine: ``engine``, or None for an algorithm that takes
    none."""
    return engine if ALGORITHM_TABLE[algorithm].engines else None


def methods_help() -> str:
    """The table as text, for the command line's ``--help``."""
    lines = ["algorithms:"]
    for name, spec in ALGORITHM_TABLE.items():
        engines = ", ".join(spec.engines) or "none (its own)"
        lines.append(f"  {name:8} {spec.summary}; engines: {engines}; ranks by "
                     f"{' or '.join(spec.fitnesses)} (auto: {spec.auto_fitness})"
                     + (f"; ignores {', '.join(spec.unused)}" if spec.unused else ""))  # fmt: skip
    lines.append("engines:")
    for name, spec in ENGINE_TABLE.items():
        toolbox = "runs a toolbox" if spec.runs_toolbox else "takes no toolbox"
        lines.append(f"  {name:8} {spec.summary}; ranks by {' or '.join(spec.fitnesses)}; "
                     f"{toolbox}")  # fmt: skip
    return "\n".join(lines)
