"""neuroevo_utils: the helpers the neuroevo notebooks import.

One module per concept, in the order the series introduces them:

============================  =======================================  ========
module                        what                                      notebook
============================  =======================================  ========
``parameters``                the lesson's parameters, ranges, steps    01
``data``                      the five toy problems, train/test split   01
``plots``                     data, decision surface, fitness curve     01, 02
``widgets``                   sliders built from the parameter spec     01
``baseline``, ``scoring``     logistic-regression baseline, accuracy    02
``network``                   the NumPy MLP whose weights are a genome  03
``population``                a whole population evaluated at once      04
``backprop``                  gradient descent, for comparison only     04
``engines``                   the DEAP toolbox and the three engines    04
``evolution``                 ``evolve``: rounds, early stop, result    04
``live``                      one figure updated while evolving         04
``experiment``, ``cli``       the whole experiment, from Python/shell   04
``methods``                   which algorithm runs where, uses what     05
``race``, ``uncertainty``     every method over seeds; counts, tests    05
``scheduling``, ``studies``   many runs anywhere; committed studies     05, 06
``sweep``                     grids x seeds, resumable                  06
``threshold``                 hidden units that are steps: no gradient  07
``search``                    GA, evolution strategy, separable CMA-ES  07
``digits``, ``scaling``       real data; methods as the genome grows    07
============================  =======================================  ========
"""

from .backprop import train_backprop
from .baseline import logistic_regression_baseline
from .data import load_data, split_data
from .engines import AccuracyFitness, Individual, build_toolbox
from .evolution import EvolutionResult, RoundReport, evolve
from .experiment import Experiment, run_experiment
from .network import NeuralNetwork, genome_length, sigmoid
from .parameters import DEFAULTS, ENGINES, PARAMETERS, PROBLEMS, Parameter, validate
from .plots import figure_grid, plot_data, plot_fitness, show_predictions
from .population import population_accuracy, population_predict
from .scoring import accuracy

__all__ = [
    "DEFAULTS",
    "ENGINES",
    "PARAMETERS",
    "PROBLEMS",
    "AccuracyFitness",
    "EvolutionResult",
    "Experiment",
    "Individual",
    "NeuralNetwork",
    "Parameter",
    "RoundReport",
    "accuracy",
    "build_toolbox",
    "evolve",
    "figure_grid",
    "genome_length",
    "load_data",
    "logistic_regression_baseline",
    "plot_data",
    "plot_fitness",
    "population_accuracy",
    "population_predict",
    "run_experiment",
    "show_predictions",
    "sigmoid",
    "split_data",
    "train_backprop",
    "validate",
]

__version__ = "0.1.0"
