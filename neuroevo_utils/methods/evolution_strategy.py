"""A simple evolution strategy: estimate which way the loss goes down from noise, step with Adam.

Introduced in notebook 07, which defines :class:`EvolutionStrategy` in its own cells, word for
word (``tests/test_lesson_code.py`` fails if the two drift apart). In the style of OpenAI's
2017 evolution strategies: one mean genome; each generation samples ``MU`` networks around it
in antithetic pairs (``mean + sigma * noise`` and ``mean - sigma * noise``), ranks them by
the loss, estimates the loss's slope from the ranks and the noise, and moves the mean with
Adam. It returns the mean.
"""

from __future__ import annotations

import numpy as np

from .base import MeanStrategy


class EvolutionStrategy(MeanStrategy):
    """A simple evolution strategy: estimate the loss's slope from noise, step with Adam."""

    sigma, learning_rate = 0.05, 0.03  # the noise's size, and the step's

    def __init__(self, problem, settings, toolbox=None):
        super().__init__(problem, settings)
        self.rng = np.random.default_rng(settings.seed)
        self.mean = problem.mean_start(self.rng)
        self.half = settings.MU // 2  # MU networks: pairs of opposite noise
        self.moment, self.velocity = np.zeros_like(self.mean), np.zeros_like(self.mean)
        self.steps = 0

    def ask(self):
        self.noise = self.rng.standard_normal((self.half, self.mean.size))
        return np.concatenate([self.mean + self.sigma * self.noise,
                               self.mean - self.sigma * self.noise])

    def tell(self, genomes, evaluation):
        ranks = np.empty(2 * self.half)  # the lowest loss gets +0.5, the highest -0.5
        ranks[np.argsort(evaluation.loss)] = np.linspace(0.5, -0.5, 2 * self.half)
        slope = (ranks[: self.half] - ranks[self.half :]) @ self.noise  # antithetic pairs
        slope /= 2 * self.half * self.sigma
        self.steps += 1
        self.moment = 0.9 * self.moment + 0.1 * slope  # Adam: a running mean of the slope ...
        self.velocity = 0.999 * self.velocity + 0.001 * slope**2  # ... scaled by its size
        step = self.moment / (1 - 0.9**self.steps)
        step /= np.sqrt(self.velocity / (1 - 0.999**self.steps)) + 1e-8
        self.mean = self.mean + self.learning_rate * step
