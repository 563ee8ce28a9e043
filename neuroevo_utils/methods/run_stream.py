"""Each DEAP run draws its random numbers from a stream of its own, and changes nothing else.

Introduced in notebook 06 (sweeps). DEAP's operators draw from Python's process-wide
``random`` module, and so does a toolbox that registers ``random.uniform`` for its genes, as
the lesson's does. Anything else in the process that calls ``random`` takes numbers out of
the same stream. In a Dask worker something does: while a task runs, the worker's event loop
estimates the size of data with ``dask.sizeof``, which calls ``random.sample`` (measured: 10
calls in 3 s). Runs on Dask then differed from run to run and from the same run in one
process.

So a DEAP run here owns a ``random.Random(seed)`` and its operators take it: :func:`with_stream`
makes a *copy* of a DEAP function (``eaSimple``, ``varAnd``, ``cxBlend``, ``selTournament``
…) whose global name ``random`` is the run's stream, and whose calls to other DEAP functions
go to their copies too. :func:`bind_toolbox` copies a toolbox with its registered functions
re-bound that way (and ``random.uniform``, the genes' draw, becomes the stream's). DEAP's
modules themselves are never touched, so nothing outlives the run, another thread (or
another run in another thread) draws what it always drew, and the copies cost nothing per
call. ``random.Random(seed)`` gives the same numbers as ``random.seed(seed)`` then the
module's functions, so the lesson's run is unchanged. A function of the reader's own that
the toolbox registers and that calls ``random`` (or a DEAP operator) is copied the same way;
only code outside the toolbox draws from the global stream, which every run seeds as the
lesson does.
"""

from __future__ import annotations

import functools
import random
import types
from collections.abc import Callable
from typing import Any

from deap import base

_GLOBAL_STREAM = random.random.__self__
"""The hidden ``random.Random`` behind the ``random`` module's functions."""


class _StreamModule:
    """What a copied function sees in place of a DEAP module it uses (``algorithms`` in
    ``elitist_generations``): the module, with its functions re-bound to the stream."""

    def __init__(self, module: types.ModuleType, rebind: Callable[[Any], Any]) -> None:
        self._module, self._rebind = module, rebind

    def __getattr__(self, name: str) -> Any:
        value = self._rebind(getattr(self._module, name))
        setattr(self, name, value)  # looked up once per run
        return value


class StreamBinder:
    """Re-binds toolboxes, partials and functions to one run's ``stream``; each object is
    copied once per run, so a function registered twice (``attr_float`` inside
    ``individual``) is one copy."""

    def __init__(self, stream: random.Random) -> None:
        self.stream = stream
        self._done: dict[int, Any] = {}

    def __call__(self, value: Any) -> Any:
        key = id(value)
        if key not in self._done:
            self._done[key] = value  # a placeholder breaks cycles (recursive functions)
            self._done[key] = self._rebind(value)
        return self._done[key]

    def _rebind(self, value: Any) -> Any:
        if isinstance(value, base.Toolbox):
            bound = base.Toolbox.__new__(type(value))
            for name, registered in vars(value).items():
                setattr(bound, name, self(registered))
            return bound
        if getattr(value, "__self__", None) is _GLOBAL_STREAM:  # random.uniform & co.
            return getattr(self.stream, value.__name__)
        if isinstance(value, functools.partial):
            copy = functools.partial(
                self(value.func), *map(self, value.args),
                **{k: self(v) for k, v in value.keywords.items()},
            )  # fmt: skip
            copy.__dict__.update(value.__dict__)  # __name__ and __doc__, as register sets them
            return copy
        if isinstance(value, types.FunctionType) and _draws(value):
            return self._function(value)
        if isinstance(value, types.ModuleType) and value.__name__.startswith("deap"):
            return _StreamModule(value, self)
        return value

    def _function(self, function: types.FunctionType) -> types.FunctionType:
        names = _global_names(function.__code__)
        namespace = dict(function.__globals__)
        for name in names & namespace.keys():
            if namespace[name] is random:
                namespace[name] = self.stream
            else:
                namespace[name] = self(namespace[name])
        copy = types.FunctionType(function.__code__, namespace, function.__name__,
                                  function.__defaults__, function.__closure__)  # fmt: skip
        copy.__kwdefaults__ = function.__kwdefaults__
        copy.__dict__.update(function.__dict__)
        copy.__qualname__, copy.__doc__ = function.__qualname__, function.__doc__
        return copy


def _global_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _global_names(constant)
    return names


def _draws(function: types.FunctionType) -> bool:
    """Whether a function of DEAP's, or one that calls DEAP's, may draw from ``random``:
    it names ``random``, a DEAP module or a DEAP function among its globals."""
    namespace = function.__globals__
    for name in _global_names(function.__code__) & namespace.keys():
        value = namespace[name]
        if value is random:
            return True
        module = getattr(value, "__module__", None) or getattr(value, "__name__", "")
        if isinstance(value, types.ModuleType | types.FunctionType) and module.startswith("deap"):
            return True
    return False


def with_stream(function: Callable, stream: random.Random) -> Callable:
    """A copy of ``function`` (e.g. ``algorithms.eaSimple``) that draws from ``stream``."""
    return StreamBinder(stream)(function)


def bind_toolbox(toolbox: base.Toolbox, stream: random.Random) -> base.Toolbox:
    """A copy of ``toolbox`` whose registered functions draw from ``stream`` instead of the
    global ``random``, including inside other registrations that use them (``individual``
    repeats ``attr_float``)."""
    return StreamBinder(stream)(toolbox)
