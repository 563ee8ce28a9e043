"""The lesson's published training loop, reconstructed as the yardstick for the benchmark.

Everything the lesson's GA does per generation is kept as published: ``creator`` classes,
a fitness of ``1/np.sum(correct)/N`` minimised, the per-individual ``evaluate`` through
``set_parameters`` (zero the array, then add the genes) and ``predict``, ``eaSimple``
called for ``RGEN`` generations per round with its four statistics, and the hall-of-fame
check after each round. Only ``np.int`` (removed in NumPy 2) became ``int``.

Left out: the two decision-boundary plots drawn after each round (their 0.01-step grid
would dominate the time), so the comparison measures the genetic algorithm alone and
flatters the original, if anything.

This file is not part of the package on purpose: it reproduces the lesson's defects
(shared mutable network, unseeded NumPy, a fitness that divides by zero when no point is
right), which is what a faithful yardstick needs.
"""

from __future__ import annotations

import random
import time
import warnings

import numpy as np
from deap import algorithms, base, creator, tools


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


class LessonNetwork:
    """The lesson's MLP: W1, b1, W2, b2 filled in place from a gene list."""

    def __init__(self, n_in, n_hidden, n_out):
        # The lesson's unseeded global NumPy generator, kept as published.
        self.W1 = np.random.randn(n_hidden, n_in) * 0.01  # noqa: NPY002
        self.b1 = np.zeros((n_hidden, 1))
        self.W2 = np.random.randn(n_out, n_hidden) * 0.01  # noqa: NPY002
        self.b2 = np.zeros((n_out, 1))
        self.parameters = [self.W1, self.b1, self.W2, self.b2]

    def forward(self, X):
        self.Z1 = self.W1.dot(X.T) + self.b1
        self.A1 = np.tanh(self.Z1)
        self.Z2 = self.W2.dot(self.A1) + self.b2
        self.A2 = _sigmoid(self.Z2)

    def set_parameters(self, individual):
        start = 0
        for p in self.parameters:
            genes = np.reshape(np.array(individual[start : start + p.size]), p.shape)
            p -= p
            p += genes
            start += p.size

    def predict(self, X):
        self.forward(X)
        return np.round(self.A2).astype(int)  # the lesson: .astype(np.int)


def _lesson_classes():
    # The lesson calls creator.create at module level; calling it again warns, so a
    # benchmark that builds several toolboxes creates the classes once.
    if not hasattr(creator, "LessonFitnessMin"):
        creator.create("LessonFitnessMin", base.Fitness, weights=(-1.0,))
        creator.create("LessonIndividual", list, fitness=creator.LessonFitnessMin)
    return creator.LessonIndividual


def _uniform_genes(low, up, size):
    return [random.uniform(a, b) for a, b in zip([low] * size, [up] * size, strict=True)]


class OriginalLoop:
    """The lesson's set-up, ready to run generations (``run``) or the whole loop."""

    def __init__(self, X, Y, middle_layer=5, MU=1000, CXPB=0.6, MUTPB=0.3, seed=64):
        self.X, self.Y, self.cxpb, self.mutpb = X, Y, CXPB, MUTPB
        self.nn = LessonNetwork(2, middle_layer, 1)
        number_of_genes = sum(p.size for p in self.nn.parameters)
        individual_class = _lesson_classes()

        toolbox = base.Toolbox()
        toolbox.register("attr_float", _uniform_genes, -1, 1, number_of_genes)
        toolbox.register("individual", tools.initIterate, individual_class, toolbox.attr_float)
        toolbox.register("population", tools.initRepeat, list, toolbox.individual)
        toolbox.register("select", tools.selTournament, tournsize=5)
        toolbox.register("mate", tools.cxBlend, alpha=0.5)
        toolbox.register("mutate", tools.mutGaussian, mu=0.0, sigma=0.1, indpb=0.25)
        toolbox.register("evaluate", self.evaluate)
        self.toolbox = toolbox

        random.seed(seed)
        self.population = toolbox.population(n=MU)
        self.hof = tools.HallOfFame(1)
        self.stats = tools.Statistics(lambda ind: ind.fitness.values)
        for name, func in (("avg", np.mean), ("std", np.std), ("min", np.min), ("max", np.max)):
            self.stats.register(name, func)
        self.evaluations = 0

    def evaluate(self, individual):
        self.nn.set_parameters(individual)
        predictions = self.nn.predict(self.X)
        with warnings.catch_warnings():  # 0 points right: the lesson divides by zero
            warnings.simplefilter("ignore", RuntimeWarning)
            return (1 / np.sum(predictions == self.Y) / self.Y.shape[0],)

    def run(self, generations):
        """One call of eaSimple, as one round of the lesson's loop; returns its logbook."""
        self.population, logbook = algorithms.eaSimple(
            self.population,
            self.toolbox,
            cxpb=self.cxpb,
            mutpb=self.mutpb,
            ngen=generations,
            stats=self.stats,
            halloffame=self.hof,
            verbose=False,
        )
        self.evaluations += sum(logbook.select("nevals"))
        return logbook

    def best_accuracy(self):
        self.nn.set_parameters(self.hof[0])
        return np.sum(self.nn.predict(self.X) == self.Y) / self.Y.shape[0]


def run_lesson(X, Y, middle_layer=5, MU=1000, NGEN=100, RGEN=10, seed=64):
    """The lesson's whole loop with its early stop.

    Returns ``(accuracy, generations, seconds, best_individual, evaluations)``.
    """
    started = time.perf_counter()
    loop = OriginalLoop(X, Y, middle_layer=middle_layer, MU=MU, seed=seed)
    generations = 0
    for _ in range(NGEN):
        loop.run(RGEN)
        generations += RGEN
        accuracy = loop.best_accuracy()
        if accuracy > 0.99999:  # the lesson's stop condition
            break
    seconds = time.perf_counter() - started
    return accuracy, generations, seconds, list(loop.hof[0]), loop.evaluations
