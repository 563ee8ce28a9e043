"""The engines that run the lesson's genetic algorithm, in one place.

Introduced in notebook 04. Every engine implements :class:`Engine`; :func:`make_engine`
builds one by name (``engine=`` in :func:`neuroevo_utils.evolve`, ``--engine`` on the
command line). For the same seed all three give the lesson's run, generation by generation.

=========  ==========================================================  ====================
engine     what runs                                                   honours toolbox edits
=========  ==========================================================  ====================
lesson     DEAP's ``eaSimple`` on the toolbox as given: one            all
           ``evaluate`` per individual, ``deepcopy`` clones
deap       the same ``eaSimple``, its ``map`` and ``clone`` hooks set   all (an edited
           to evaluate a generation in one NumPy pass and to copy       ``evaluate`` is seen
           cheaply                                                      and run one by one)
numpy      the lesson's fixed operators on one array, reading the      none: takes no
           same random stream in bulk                                  toolbox
=========  ==========================================================  ====================
"""

from __future__ import annotations

import numpy as np
from deap import base

from ..parameters import ENGINES
from .base import LOG_FIELDS, Engine, summarise_fitness
from .deap_engine import DeapEngine, PopulationMap, clone
from .numpy_engine import NumpyEngine
from .toolbox import AccuracyFitness, Individual, build_toolbox

__all__ = [
    "ENGINES",
    "LOG_FIELDS",
    "AccuracyFitness",
    "DeapEngine",
    "Engine",
    "Individual",
    "NumpyEngine",
    "PopulationMap",
    "build_toolbox",
    "clone",
    "make_engine",
    "summarise_fitness",
]


def make_engine(
    name: str,
    X: np.ndarray,
    Y: np.ndarray,
    *,
    middle_layer: int,
    MU: int,
    CXPB: float,
    MUTPB: float,
    seed: int,
    toolbox: base.Toolbox | None = None,
) -> Engine:
    """The engine ``name`` (one of :data:`ENGINES`) with its first population drawn.

    The DEAP engines run ``toolbox`` (default: :func:`build_toolbox`); the numpy engine
    runs the lesson's fixed operators and refuses a toolbox rather than ignore it.
    """
    if name == "numpy":
        if toolbox is not None:
            raise ValueError(
                "engine 'numpy' runs the lesson's fixed operators and takes no toolbox; "
                "run an edited toolbox with engine 'deap' or 'lesson'"
            )
        return NumpyEngine(X, Y, middle_layer, MU, CXPB, MUTPB, seed)
    toolbox = build_toolbox(X, Y, middle_layer) if toolbox is None else toolbox
    return DeapEngine(toolbox, X, Y, middle_layer, MU, CXPB, MUTPB, fast=name == "deap")
