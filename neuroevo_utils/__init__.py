"""neuroevo_utils: the helpers the neuroevo notebooks import.

One module per concept, in the order the series introduces them:

============================  =======================================  ========
module                        what                                      notebook
============================  =======================================  ========
``parameters``                the lesson's parameters, ranges, steps    01
``data``                      the five toy problems, train/test split   01
``plots``                     every figure of the series                01-07
``widgets``                   sliders built from the parameter spec     01
``baseline``, ``scoring``     logistic-regression baseline, accuracy    02
``network``                   the NumPy MLP whose weights are a genome  03
``population``                a whole population evaluated at once      04
``problems``                  a problem: data, network, scores (table)  04, 07
``methods``                   every search method, one interface        04, 05, 07
``settings``                  one run's settings, validated once        04
``evolution``                 the loop: rounds, budget, early stop      04
``live``                      one figure updated while evolving         04
``experiment``, ``cli``       the whole experiment, from Python/shell   04
``study``, ``uncertainty``    methods x problems x seeds; counts, tests 05, 06
``scheduling``, ``studies``   many runs anywhere; committed studies     05, 06
============================  =======================================  ========

Names below are imported when first used, so ``python -m neuroevo_utils --mu 0`` refuses
its flag without importing scikit-learn or DEAP.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "DEFAULTS": "parameters",
    "ENGINES": "parameters",
    "PARAMETERS": "parameters",
    "PROBLEMS": "parameters",
    "Parameter": "parameters",
    "validate": "parameters",
    "load_data": "data",
    "split_data": "data",
    "figure_grid": "plots",
    "plot_data": "plots",
    "plot_fitness": "plots",
    "show_predictions": "plots",
    "logistic_regression_baseline": "baseline",
    "accuracy": "scoring",
    "NeuralNetwork": "network",
    "ThresholdNetwork": "network",
    "genome_length": "network",
    "sigmoid": "network",
    "population_accuracy": "population",
    "population_predict": "population",
    "Problem": "problems",
    "make_problem": "problems",
    "Settings": "settings",
    "AccuracyFitness": "methods.toolbox",
    "Individual": "methods.toolbox",
    "build_toolbox": "methods.toolbox",
    "train_backprop": "methods.backprop",
    "EvolutionResult": "evolution",
    "RoundReport": "evolution",
    "evolve": "evolution",
    "run": "evolution",
    "Experiment": "experiment",
    "run_experiment": "experiment",
}

__all__ = sorted(_EXPORTS)

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'neuroevo_utils' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
