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

from ..parameters import ALGORITHMS, ENGINES
from .base import LOG_FIELDS, Engine, summarise_fitness
from .cma_engine import CmaEsEngine
from .deap_engine import DeapEngine, PopulationMap, clone
from .numpy_engine import NumpyEngine
from .toolbox import AccuracyFitness, Individual, build_toolbox

UNUSED_PARAMETERS: dict[str, tuple[str, ...]] = {
    "lesson": (),
    "elitist": (),
    "cma-es": ("MU", "CXPB", "MUTPB", "engine"),
}
"""The parameters each algorithm ignores (reported as such by the command line's JSON)."""

__all__ = [
    "ALGORITHMS",
    "ENGINES",
    "LOG_FIELDS",
    "UNUSED_PARAMETERS",
    "AccuracyFitness",
    "CmaEsEngine",
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
    algorithm: str = "lesson",
) -> Engine:
    """The engine ``name`` (one of :data:`ENGINES`) with its first population drawn.

    The DEAP engines run ``toolbox`` (default: :func:`build_toolbox`); the numpy engine
    runs the lesson's fixed operators and refuses a toolbox rather than ignore it.
    ``algorithm`` (one of :data:`ALGORITHMS`): ``"elitist"`` runs on the DEAP engines,
    ``"cma-es"`` on its own (see :data:`UNUSED_PARAMETERS`).
    """
    if algorithm == "cma-es":
        return CmaEsEngine(X, Y, middle_layer, seed)
    if name == "numpy" and algorithm != "lesson":
        raise ValueError(
            f"engine 'numpy' runs the lesson's algorithm only; run {algorithm!r} with engine "
            "'deap' or 'lesson'"
        )
    if name == "numpy":
        if toolbox is not None:
            raise ValueError(
                "engine 'numpy' runs the lesson's fixed operators and takes no toolbox; "
                "run an edited toolbox with engine 'deap' or 'lesson'"
            )
        return NumpyEngine(X, Y, middle_layer, MU, CXPB, MUTPB, seed)
    toolbox = build_toolbox(X, Y, middle_layer) if toolbox is None else toolbox
    return DeapEngine(
        toolbox, X, Y, middle_layer, MU, CXPB, MUTPB, fast=name == "deap",
        elitist=algorithm == "elitist",
    )  # fmt: skip
