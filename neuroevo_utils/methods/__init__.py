"""Every search method, declared once: the registry.

Introduced in notebook 05. A method is a :class:`~neuroevo_utils.methods.base.Strategy` (one
file in this folder) and one :class:`Method` entry below, which says what it ranks by, which
parameters it ignores, which engines run it and which problems it can train. Everything that
offers a method reads this table: :class:`~neuroevo_utils.settings.Settings` (so the API, the
command line, the Evolve panels, sweeps and races refuse the same things in the same words),
``--help``, the panels' greyed-out controls, and the studies' method names ("lesson GA +
loss" is algorithm ``lesson`` ranking by ``loss``, the same code everywhere). A new method is
one file and one :func:`register_method` call::

    register_method(Method("random", "random search", RandomSearch, labels={"accuracy":
                           "random search"}, unused=("CXPB", "MUTPB", "engine")))

A strategy may be named ``"module:Class"``, imported when the first run needs it (so the
command line checks its flags without importing DEAP or scikit-learn).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..parameters import ENGINES, METHOD_NAMES

if TYPE_CHECKING:
    from ..population import NetworkShape
    from .base import Strategy


@dataclass(frozen=True)
class Engine:
    """A way to run a genetic algorithm's generations (``engine=``, ``--engine``)."""

    summary: str
    runs_toolbox: bool
    lessons_network_only: bool
    """True for the DEAP engines: a toolbox builds the lesson's 2-h-1 tanh network."""


ENGINE_TABLE: dict[str, Engine] = {
    "lesson": Engine("DEAP's eaSimple on the toolbox as given, one evaluation at a time",
                     runs_toolbox=True, lessons_network_only=True),
    "deap": Engine("the same, a generation evaluated in one NumPy pass",
                   runs_toolbox=True, lessons_network_only=True),
    "numpy": Engine("the lesson's fixed operators on arrays, making the same draws; any problem",
                    runs_toolbox=False, lessons_network_only=False),
}  # fmt: skip
"""Every engine of the genetic algorithms."""
assert tuple(ENGINE_TABLE) == ENGINES


@dataclass(frozen=True)
class Method:
    """What a method is, what it takes, and the strategy that runs it."""

    name: str
    """What ``algorithm=`` and ``--algorithm`` take."""
    summary: str
    strategy: type[Strategy] | str | Mapping[str, type[Strategy] | str]
    """The strategy class (or ``"module:Class"``); for a genetic algorithm, one per engine."""
    labels: Mapping[str, str]
    """Its name in races and tables, for each fitness it ranks by ("lesson GA + loss")."""
    auto_fitness: str = "loss"
    """What ``fitness="auto"`` means for it (the first of :attr:`labels` it can rank by)."""
    unused: tuple[str, ...] = ()
    """Parameters it ignores: refused if given, greyed out in the panels."""
    activations: tuple[str, ...] = ("tanh", "step")
    """The hidden units it can train."""
    check: Callable[[Any], None] | None = field(default=None, compare=False)
    """Refuses settings it cannot run with (a ``ValueError`` of one line), before any run."""
    gradient: bool = False
    """Gradient descent: its work is steps (or epochs), not network evaluations."""

    @property
    def fitnesses(self) -> tuple[str, ...]:
        return tuple(self.labels)

    @property
    def engines(self) -> tuple[str, ...]:
        """The engines that run it; ``()``: it is its own implementation and takes none."""
        return tuple(self.strategy) if isinstance(self.strategy, Mapping) else ()

    def strategy_class(self, engine: str | None) -> type[Strategy]:
        chosen = self.strategy[engine] if isinstance(self.strategy, Mapping) else self.strategy
        if isinstance(chosen, str):
            module, _, name = chosen.partition(":")
            return getattr(importlib.import_module(module), name)
        return chosen

    def label(self, fitness: str) -> str:
        return self.labels[fitness]

    def engines_for(self, shape: NetworkShape) -> tuple[str, ...]:
        """The engines that can run it on a network of this shape."""
        lessons = (shape.inputs, shape.outputs, shape.activation) == (2, 1, "tanh")
        return tuple(e for e in self.engines
                     if lessons or not ENGINE_TABLE[e].lessons_network_only)  # fmt: skip


METHOD_TABLE: dict[str, Method] = {}
"""Every registered method by name (``algorithm=``, ``--algorithm``)."""


def register_method(method: Method) -> Method:
    """Add a method to the table (and to what ``algorithm=`` accepts); returns it."""
    if method.auto_fitness not in method.labels:
        raise ValueError(f"method {method.name!r} cannot rank by its own auto_fitness")
    METHOD_TABLE[method.name] = method
    METHOD_NAMES.add(method.name)
    return method


def method_spec(name: str) -> Method:
    """The entry of method ``name``, or a ``ValueError`` listing the known ones."""
    if name not in METHOD_TABLE:
        known = ", ".join(map(repr, METHOD_TABLE))
        raise ValueError(f"unknown algorithm {name!r}; known: {known}")
    return METHOD_TABLE[name]


def labelled(label: str) -> dict[str, str]:
    """The settings a method name in a race stands for: ``"lesson GA + loss"`` ->
    ``{"algorithm": "lesson", "fitness": "loss"}``; a ``ValueError`` listing the names."""
    for method in METHOD_TABLE.values():
        for fitness, name in method.labels.items():
            if name == label:
                return {"algorithm": method.name, "fitness": fitness}
    known = ", ".join(repr(n) for m in METHOD_TABLE.values() for n in m.labels.values())
    raise ValueError(f"unknown method {label!r}; known: {known}")


def methods_help() -> str:
    """The table as text, for the command line's ``--help``."""
    lines = ["algorithms (--algorithm):"]
    for name, method in METHOD_TABLE.items():
        engines = f"engines: {', '.join(method.engines)}" if method.engines else "no engine"
        ignores = f"; ignores {', '.join(method.unused)}" if method.unused else ""
        lines.append(f"  {name:16} {method.summary}; {engines}; ranks by "
                     f"{' or '.join(method.fitnesses)} (auto: {method.auto_fitness}){ignores}")
    lines.append("engines (--engine; the default runs wherever it can):")
    for name, engine in ENGINE_TABLE.items():
        toolbox = "runs a toolbox" if engine.runs_toolbox else "takes no toolbox"
        lines.append(f"  {name:16} {engine.summary}; {toolbox}")
    return "\n".join(lines)


_HERE = __name__
_GA_ENGINES = {"lesson": f"{_HERE}.lesson_ga:DeapGA", "deap": f"{_HERE}.lesson_ga:DeapGA",
               "numpy": f"{_HERE}.array_ga:ArrayGA"}  # fmt: skip
_NO_GA = ("MU", "CXPB", "MUTPB", "engine")


def _elitist_rates(settings: Any) -> None:
    from .elitist import check_rates

    check_rates(settings)


for _method in (
    Method("lesson", "the lesson's GA: eaSimple with tournaments, blend crossover, Gaussian "
           "mutation", _GA_ENGINES,
           labels={"accuracy": "lesson GA", "loss": "lesson GA + loss"}, auto_fitness="accuracy"),
    Method("elitist", "the same operators in eaMuPlusLambda: the best MU of parents and "
           "children survive", {"lesson": f"{_HERE}.elitist:ElitistGA",
                                "deap": f"{_HERE}.elitist:ElitistGA"},
           labels={"accuracy": "elitist GA", "loss": "elitist GA + loss"},
           auto_fitness="accuracy", check=_elitist_rates),
    Method("cma-es", "CMA-ES (deap.cma.Strategy): samples around a mean and adapts its steps",
           f"{_HERE}.cma_es:CmaEs",
           labels={"loss": "CMA-ES + loss", "accuracy": "CMA-ES on accuracy"}, unused=_NO_GA),
    Method("sep-cma-es", "separable CMA-ES: one step size per gene, for thousands of genes",
           f"{_HERE}.sep_cma_es:SeparableCmaEs", labels={"loss": "separable CMA-ES"},
           unused=_NO_GA),
    Method("es", "a simple evolution strategy: the slope estimated from MU noisy copies, Adam "
           "steps", f"{_HERE}.evolution_strategy:EvolutionStrategy",
           labels={"loss": "evolution strategy"}, unused=("CXPB", "MUTPB", "engine")),
    Method("backprop", "gradient descent on the cross-entropy, from the same start",
           f"{_HERE}.backprop:GradientDescent", labels={"loss": "backprop"}, unused=_NO_GA,
           gradient=True),
    Method("straight-through", "gradient descent through threshold units as if their slope "
           "were 1 near 0", f"{_HERE}.backprop:StraightThrough",
           labels={"loss": "straight-through"}, unused=_NO_GA, activations=("step",),
           gradient=True),
):  # fmt: skip
    register_method(_method)
