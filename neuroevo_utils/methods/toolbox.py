"""The lesson's DEAP toolbox: the individual, its fitness, and one register per operator.

Introduced in notebook 04, which defines :func:`build_toolbox` in its own cells, word for
word (``tests/test_lesson_code.py`` fails if the two drift apart); this copy serves the
command line, the Evolve panel's default and later notebooks.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
from deap import base, tools

from ..network import NeuralNetwork, genome_length


class AccuracyFitness(base.Fitness):
    """One objective, training accuracy, maximised (weight +1).

    The lesson minimised ``1/np.sum(correct)/N``: that is ``1/(correct*N)``, not
    ``1/accuracy``, and it divides by zero when no point is right. Maximising accuracy
    ranks individuals exactly as the lesson's fitness did, so the search is unchanged.
    """

    weights = (1.0,)


class Individual(list):
    """A genome: a list of floats with a ``fitness``, like ``creator.Individual``.

    Defined as a plain class rather than with ``creator.create``, so re-running a
    notebook cell never warns about overwriting a class.
    """

    def __init__(self, genes: Any = ()) -> None:
        super().__init__(genes)
        self.fitness = AccuracyFitness()


def build_toolbox(X: np.ndarray, Y: np.ndarray, middle_layer: int) -> base.Toolbox:
    """The lesson's toolbox for a 2-``middle_layer``-1 network trained on ``X, Y``."""
    network = NeuralNetwork(2, middle_layer, 1)

    def evaluate(individual):
        network.set_parameters(individual)  # the genes become the network's weights
        return (float(np.mean(network.predict(X) == Y)),)  # fitness: training accuracy

    toolbox = base.Toolbox()
    # a gene: one weight, drawn uniformly from [-1, 1]
    toolbox.register("attr_float", random.uniform, -1.0, 1.0)
    # an individual: one gene for each weight and bias of the network
    n_genes = genome_length(middle_layer)
    toolbox.register("individual", tools.initRepeat, Individual, toolbox.attr_float, n=n_genes)
    # a population: a list of individuals
    toolbox.register("population", tools.initRepeat, list, toolbox.individual)
    # selection: for each place in the next generation, the fittest of 5 drawn at random
    toolbox.register("select", tools.selTournament, tournsize=5)
    # crossover: blend two parents gene by gene; children may land a little outside them
    toolbox.register("mate", tools.cxBlend, alpha=0.5)
    # mutation: add normal noise (sigma 0.1) to each gene with probability 0.25
    toolbox.register("mutate", tools.mutGaussian, mu=0.0, sigma=0.1, indpb=0.25)
    # fitness: what selection compares
    toolbox.register("evaluate", evaluate)
    return toolbox
