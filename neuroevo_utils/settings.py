"""One run's settings, validated once, at the edge: from a slider, a flag or a call to the run.

Introduced in notebook 04 (``run_experiment`` makes one from the parameters cell). Every door
— the API, the command line, the Evolve panels, sweeps and races — turns what it was given
into :class:`Settings` with :meth:`Settings.of`, which checks each value against its range
(:mod:`neuroevo_utils.parameters`) and the combination against the registries (the method
and the problem: what each ignores, ranks by and can run). After that nothing checks again:
a :class:`Settings` is a run that will start. A value that does not fit is a ``ValueError``
of one line, naming the parameter (:attr:`SettingsError.parameter`) and what it accepts.

What was not given takes the problem's own defaults (digits: a 64-16-10 network, a
population of 100, a quarter held out), then the lesson's. A parameter the method or the
problem ignores is refused if it was given a value other than its default, and recorded as
unused otherwise.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .methods import ENGINE_TABLE, Method, method_spec
from .parameters import DEFAULTS, PARAMETERS
from .population import NetworkShape
from .problems import ProblemSpec, problem_spec


class SettingsError(ValueError):
    """A value or combination that no run would accept; ``parameter`` names the culprit
    (None for a combination of several)."""

    def __init__(self, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class Settings:
    """Every parameter of one run (:data:`~neuroevo_utils.parameters.PARAMETERS`), checked.

    ``fitness`` is resolved (``"auto"`` becomes the method's own) and ``engine`` is the one
    that runs (for a method without engines, the default, recorded as unused).
    """

    problem: str
    number_samples: int
    difficulty: int
    middle_layer: int
    activation: str
    MU: int
    NGEN: int
    RGEN: int
    CXPB: float
    MUTPB: float
    seed: int
    engine: str
    algorithm: str
    fitness: str
    test_size: float
    target_accuracy: float
    evaluations: int

    @classmethod
    def of(
        cls,
        values: Mapping[str, Any] | None = None,
        /,
        *,
        data_shape: tuple[int, int] | None = None,
        **more: Any,
    ) -> Settings:
        """Check ``values`` (and keyword arguments) and fill in what is missing.

        ``data_shape``: ``(inputs, outputs)`` of data given directly rather than made by the
        problem (:func:`~neuroevo_utils.evolve`)."""
        given = {**(values or {}), **more}
        unknown = [name for name in given if name not in PARAMETERS]
        if unknown:
            raise SettingsError(
                f"unknown parameter {unknown[0]!r}; known: {', '.join(PARAMETERS)}", unknown[0]
            )
        for name, value in given.items():
            try:
                given[name] = PARAMETERS[name].validate(value)
            except ValueError as error:
                raise SettingsError(str(error), name) from None
        problem = problem_spec(given.get("problem", DEFAULTS["problem"]))
        method = method_spec(given.get("algorithm", DEFAULTS["algorithm"]))
        defaults = {**DEFAULTS, **problem.defaults}
        for who, unused in ((f"problem {problem.name!r}", problem.unused()),
                            (f"algorithm {method.name!r}", method.unused)):  # fmt: skip
            refused = [n for n in unused if n in given and given[n] != defaults[n]]
            if refused:
                them = "it" if len(refused) == 1 else "them"
                raise SettingsError(f"{who} does not use {', '.join(refused)}: leave {them} at "
                                    "the default", refused[0] if len(refused) == 1 else None)
        values = {**defaults, **given}
        shape = problem.shape(_Shape(values))
        if data_shape is not None:
            shape = NetworkShape(data_shape[0], shape.hidden, data_shape[1], shape.activation)
        values["engine"] = _engine(method, shape, given, defaults)
        values["fitness"] = _fitness(method, values["fitness"])
        if values["activation"] not in method.activations:
            raise SettingsError(
                f"algorithm {method.name!r} trains {' or '.join(method.activations)} units, "
                f"not {values['activation']!r}", "activation",
            )  # fmt: skip
        settings = cls(**values)
        if method.check is not None:
            try:
                method.check(settings)
            except ValueError as error:
                raise SettingsError(str(error)) from None
        return settings

    @classmethod
    def sharing(cls, shared: Mapping[str, Any], own: Mapping[str, Any]) -> Settings:
        """The settings of one run among several that share ``shared`` (a race's values, a
        sweep's base): the shared values its method or problem ignores stay at their
        defaults for it, while ``own`` (its method, its seed, a sweep's grid) are checked
        as given."""
        chosen = {**DEFAULTS, **shared, **own}
        unused = (*method_spec(chosen["algorithm"]).unused,
                  *problem_spec(chosen["problem"]).unused())  # fmt: skip
        return cls.of({**{k: v for k, v in shared.items() if k not in unused}, **own})

    def but(self, **changes: Any) -> Settings:
        """These settings with ``changes``, checked again as a whole."""
        return Settings.of({**self.values(), **changes})

    def values(self) -> dict[str, Any]:
        """Every parameter by name, as plain values (JSON, a results row)."""
        return dataclasses.asdict(self)

    @property
    def method(self) -> Method:
        return method_spec(self.algorithm)

    @property
    def problem_spec(self) -> ProblemSpec:
        return problem_spec(self.problem)

    @property
    def shape(self) -> NetworkShape:
        return self.problem_spec.shape(self)

    @property
    def unused(self) -> tuple[str, ...]:
        """The parameters this run ignores (its method's and its problem's)."""
        return (*self.method.unused, *self.problem_spec.unused())

    @property
    def engine_that_runs(self) -> str | None:
        """What a result records as its engine: None for a method that takes none."""
        return self.engine if self.method.engines else None

    def check_toolbox(self) -> None:
        """Refuse a toolbox this run would not use, rather than ignore it."""
        if not self.method.engines:
            raise SettingsError(f"algorithm {self.algorithm!r} runs on its own and takes no "
                                "toolbox", "algorithm")  # fmt: skip
        if not ENGINE_TABLE[self.engine].runs_toolbox:
            raise SettingsError(
                f"engine {self.engine!r} runs the lesson's fixed operators and takes no "
                "toolbox; run an edited toolbox with engine 'deap' or 'lesson'", "engine",
            )  # fmt: skip


class _Shape:
    """The attributes :meth:`ProblemSpec.shape` reads, before the settings exist."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.middle_layer, self.activation = values["middle_layer"], values["activation"]


def _engine(method: Method, shape: NetworkShape, given: Mapping[str, Any],
            defaults: Mapping[str, Any]) -> str:  # fmt: skip
    """The engine that runs: the one given, or if none was given (or the default), the
    default if it can run this network, else the first that can."""
    if not method.engines:
        return defaults["engine"]
    engine = given.get("engine", defaults["engine"])
    possible = method.engines_for(shape)
    if engine in possible:
        return engine
    if engine not in method.engines:
        raise SettingsError(f"algorithm {method.name!r} runs on engine "
                            f"{' or '.join(map(repr, method.engines))}, not {engine!r}", "engine")
    network = f"this {shape} network of {shape.activation} units"
    if not possible:
        raise SettingsError(f"algorithm {method.name!r} runs on the lesson's 2-h-1 tanh "
                            f"network only; {network} needs another algorithm", "algorithm")
    if engine != defaults["engine"]:
        raise SettingsError(f"engine {engine!r} runs the lesson's 2-h-1 tanh network only; "
                            f"{network} needs engine {' or '.join(map(repr, possible))}",
                            "engine")  # fmt: skip
    return possible[0]


def _fitness(method: Method, fitness: str) -> str:
    fitness = method.auto_fitness if fitness == "auto" else fitness
    if fitness not in method.fitnesses:
        raise SettingsError(f"algorithm {method.name!r} cannot rank by {fitness!r}", "fitness")
    return fitness
