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

from ..methods import check_method, resolve_fitness
from ..parameters import ALGORITHMS, ENGINES, FITNESSES
from .base import LOG_FIELDS, Engine, summarise_fitness
from .cma_engine import CmaEsEngine
from .deap_engine import DeapEngine, MostAccurate, PopulationMap, clone
from .loss_toolbox import LossFitness, LossIndividual, build_loss_toolbox
from .numpy_engine import NumpyEngine
from .toolbox import AccuracyFitness, Individual, build_toolbox

__all__ = [
    "ALGORITHMS",
    "ENGINES",
    "FITNESSES",
    "LOG_FIELDS",
    "AccuracyFitness",
    "CmaEsEngine",
    "DeapEngine",
    "Engine",
    "Individual",
    "LossFitness",
    "LossIndividual",
    "MostAccurate",
    "NumpyEngine",
    "PopulationMap",
    "build_loss_toolbox",
    "build_toolbox",
    "clone",
    "make_engine",
    "resolve_fitness",
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
    fitness: str = "auto",
) -> Engine:
    """The engine ``name`` (one of :data:`ENGINES`) with its first population drawn.

    What runs where is :mod:`neuroevo_utils.methods`' table, checked here
    (:func:`~neuroevo_utils.methods.check_method`): the DEAP engines run ``toolbox``
    (default: :func:`build_toolbox`); the numpy engine runs the lesson's fixed operators on
    accuracy and refuses a toolbox rather than ignore it; ``"elitist"`` runs on the DEAP
    engines, ``"cma-es"`` on its own. ``fitness``: ``"loss"`` gives the DEAP engines
    :func:`build_loss_toolbox` by default, and a given ``toolbox`` must then evaluate
    ``(loss, accuracy)`` as it does.
    """
    fitness = check_method(algorithm, name, fitness, toolbox=toolbox is not None)
    if algorithm == "cma-es":
        return CmaEsEngine(X, Y, middle_layer, seed, fitness)
    if name == "numpy":
        return NumpyEngine(X, Y, middle_layer, MU, CXPB, MUTPB, seed)
    if toolbox is None:
        build = build_loss_toolbox if fitness == "loss" else build_toolbox
        toolbox = build(X, Y, middle_layer)
    return DeapEngine(
        toolbox, X, Y, middle_layer, MU, CXPB, MUTPB, seed=seed, fast=name == "deap",
        elitist=algorithm == "elitist", fitness=fitness,
    )  # fmt: skip
