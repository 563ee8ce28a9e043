"""Each run draws its random numbers from a stream of its own.

Introduced in notebook 06 (sweeps). DEAP's operators draw from Python's process-wide
``random`` module, and so does a toolbox that registers ``random.uniform`` for its genes, as
the lesson's does. Anything else in the process that calls ``random`` takes numbers out of
the same stream. In a Dask worker something does: while a task runs, the worker's event loop
estimates the size of data with ``dask.sizeof``, which calls ``random.sample`` (measured: 10
calls in 3 s). Runs on Dask then differed from run to run and from the same run in one
process.

So a DEAP run here owns a ``random.Random(seed)`` and draws only from it:

* :func:`drawing_from` makes DEAP's operators, *in this thread only*, draw from the run's
  stream while the run works (DEAP's modules see a stand-in for the ``random`` module that
  hands each thread its own run's stream, and the real module outside a run);
* :func:`bind_toolbox` re-binds the functions of the global ``random`` that a toolbox
  registered (``random.uniform`` for the genes) to the run's stream.

``random.Random(seed)`` gives the same numbers as ``random.seed(seed)`` then the module's
functions, so the lesson's run is unchanged, and other threads (or another run in another
thread) can no longer take numbers from it. Code that calls ``random`` itself — a function
of the reader's registered in a toolbox — still draws from the global stream, which
:func:`~neuroevo_utils.evolve` seeds as the lesson does.
"""

from __future__ import annotations

import contextlib
import functools
import random
import sys
import threading
from collections.abc import Iterator
from typing import Any

from deap import base

_GLOBAL_STREAM = random.random.__self__
"""The hidden ``random.Random`` behind the ``random`` module's functions."""


class _RandomForThisThread(threading.local):
    """What DEAP's modules see as ``random``: in a thread running a run, that run's stream;
    elsewhere, the ``random`` module itself.

    Each thread has its own attributes (``threading.local``). A function is looked up once
    per run and thread and then kept as an attribute, so DEAP's millions of calls cost what
    calls to the module's functions cost.
    """

    def __getattr__(self, name: str) -> Any:
        stream = self.__dict__.get("_stream")
        function = getattr(random if stream is None else stream, name)
        setattr(self, name, function)
        return function


_STAND_IN = _RandomForThisThread()


DEAP_MODULES_THAT_DRAW = (
    "deap.algorithms", "deap.tools.selection", "deap.tools.crossover", "deap.tools.mutation",
    "deap.tools.emo", "deap.gp", "deap.benchmarks", "deap.benchmarks.movingpeaks",
)  # fmt: skip
"""DEAP's modules that import ``random`` (``tests/test_run_stream.py`` checks the list)."""


def _install_stand_in() -> None:
    """Point each of DEAP's modules that draw at the stand-in: a few dictionary look-ups, as
    it runs every round."""
    for name in DEAP_MODULES_THAT_DRAW:
        module = sys.modules.get(name)
        if module is not None and module.random is random:
            module.random = _STAND_IN


@contextlib.contextmanager
def drawing_from(stream: random.Random) -> Iterator[random.Random]:
    """While open, DEAP's operators called from this thread draw from ``stream``."""
    _install_stand_in()
    attributes = vars(_STAND_IN)  # this thread's
    saved = dict(attributes)
    attributes.clear()
    attributes["_stream"] = stream
    try:
        yield stream
    finally:
        attributes.clear()
        attributes.update(saved)


def bind_toolbox(toolbox: base.Toolbox, stream: random.Random) -> base.Toolbox:
    """A copy of ``toolbox`` whose registered functions of the global ``random`` (e.g.
    ``random.uniform``) draw from ``stream`` instead, including inside other registrations
    that use them (``individual`` repeats ``attr_float``)."""
    bound = base.Toolbox.__new__(type(toolbox))
    rebound: dict[int, Any] = {}
    for name, value in vars(toolbox).items():
        setattr(bound, name, _rebind(value, stream, rebound))
    return bound


def _rebind(value: Any, stream: random.Random, rebound: dict[int, Any]) -> Any:
    if id(value) in rebound:
        return rebound[id(value)]
    if getattr(value, "__self__", None) is _GLOBAL_STREAM:
        result = getattr(stream, value.__name__)
    elif isinstance(value, functools.partial):
        result = functools.partial(
            _rebind(value.func, stream, rebound),
            *(_rebind(a, stream, rebound) for a in value.args),
            **{k: _rebind(v, stream, rebound) for k, v in value.keywords.items()},
        )
        result.__dict__.update(value.__dict__)  # __name__ and __doc__, as register sets them
    else:
        result = value
    rebound[id(value)] = result
    return result
