"""Searches over any network's genes, given a function that scores a whole population at once.

Introduced in notebook 07, where the network is no longer the lesson's 2-h-1 tanh network: a
threshold network (:mod:`.threshold`) or a 64-h-10 digits classifier (:mod:`.digits`). Each
search takes ``score`` or ``loss`` (genomes of shape ``(P, genes)`` to an array of ``P``) and
calls ``on_generation(generation, evaluations, genome)`` after each generation, with the
networks evaluated so far and the genome it would return now; a true result stops it.

* :func:`genetic_algorithm`: the lesson's GA — ``eaSimple``'s tournaments of 5, ``cxBlend``
  (alpha 0.5) with probability CXPB, ``mutGaussian`` (sigma 0.1, each gene with probability
  0.25) with probability MUTPB, genes started uniform in [-1, 1] — on arrays, drawing from
  NumPy rather than Python's ``random``. Same algorithm as DEAP's, other numbers.
* :func:`evolution_strategy`: a simple (OpenAI-style) evolution strategy, written out in
  notebook 07's cells word for word (``tests/test_lesson_code.py``).
* :func:`separable_cma_es`: CMA-ES with a diagonal covariance (Ros and Hansen, 2008), whose
  cost per generation grows with the genes, not with their square as full CMA-ES's does.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

PopulationFunction = Callable[[np.ndarray], np.ndarray]
OnGeneration = Callable[[int, int, np.ndarray], bool | None] | None


def genetic_algorithm(
    score: PopulationFunction,
    n_genes: int,
    seed: int,
    *,
    generations: int,
    population: int = 100,
    CXPB: float = 0.6,
    MUTPB: float = 0.3,
    on_generation: OnGeneration = None,
) -> np.ndarray:
    """The lesson's GA maximising ``score``; returns the best genome ever scored (a hall of
    fame of one). Only the children that crossover or mutation changed are scored again."""
    rng = np.random.default_rng(seed)
    genomes = rng.uniform(-1.0, 1.0, (population, n_genes))
    scores = np.asarray(score(genomes), dtype=float)
    evaluations = population
    best = int(np.argmax(scores))
    best_genome, best_score = genomes[best].copy(), scores[best]
    for generation in range(1, generations + 1):
        aspirants = rng.integers(0, population, (population, 5))  # tournaments of 5
        chosen = aspirants[np.arange(population), np.argmax(scores[aspirants], axis=1)]
        genomes, scores = genomes[chosen], scores[chosen]  # copies, as DEAP clones
        changed = np.zeros(population, dtype=bool)
        first = np.arange(0, population - 1, 2)
        first = first[rng.random(first.size) < CXPB]  # neighbours mate with probability CXPB
        gamma = rng.uniform(-0.5, 1.5, (first.size, n_genes))  # cxBlend, alpha 0.5
        x1, x2 = genomes[first], genomes[first + 1]
        genomes[first] = (1 - gamma) * x1 + gamma * x2
        genomes[first + 1] = gamma * x1 + (1 - gamma) * x2
        mutants = np.flatnonzero(rng.random(population) < MUTPB)
        hit = rng.random((mutants.size, n_genes)) < 0.25  # mutGaussian, indpb 0.25
        genomes[mutants] += hit * rng.normal(0.0, 0.1, (mutants.size, n_genes))
        changed[first] = changed[first + 1] = True
        changed[mutants] = True
        rows = np.flatnonzero(changed)
        if rows.size:
            scores[rows] = score(genomes[rows])
        evaluations += rows.size
        best = int(np.argmax(scores))
        if scores[best] > best_score:
            best_genome, best_score = genomes[best].copy(), scores[best]
        if on_generation is not None and on_generation(generation, evaluations, best_genome):
            break
    return best_genome


def evolution_strategy(loss, start, seed, *, generations, population=100, sigma=0.05,
                       learning_rate=0.03, on_generation=None):
    """A simple evolution strategy: estimate the loss's slope from noise, step with Adam."""
    rng = np.random.default_rng(seed)
    mean = np.array(start, dtype=float)
    moment, velocity = np.zeros_like(mean), np.zeros_like(mean)
    half = population // 2
    for generation in range(1, generations + 1):
        noise = rng.standard_normal((half, mean.size))
        losses = loss(np.concatenate([mean + sigma * noise, mean - sigma * noise]))
        ranks = np.empty(2 * half)  # the lowest loss gets +0.5, the highest -0.5
        ranks[np.argsort(losses)] = np.linspace(0.5, -0.5, 2 * half)
        slope = (ranks[:half] - ranks[half:]) @ noise / (2 * half * sigma)  # antithetic pairs
        moment = 0.9 * moment + 0.1 * slope  # Adam: a running mean of the slope ...
        velocity = 0.999 * velocity + 0.001 * slope**2  # ... scaled by its running size
        step = moment / (1 - 0.9**generation)
        step /= np.sqrt(velocity / (1 - 0.999**generation)) + 1e-8
        mean = mean + learning_rate * step
        if on_generation is not None and on_generation(generation, generation * 2 * half, mean):
            break
    return mean


def cma_population_size(n_genes: int) -> int:
    """CMA-ES's default population, ``4 + 3 ln(genes)`` (25 for 1,210 genes)."""
    return int(4 + 3 * math.log(n_genes))


def separable_cma_es(
    loss: PopulationFunction,
    start: np.ndarray,
    seed: int,
    *,
    generations: int,
    sigma: float = 0.1,
    population: int | None = None,
    on_generation: OnGeneration = None,
) -> np.ndarray:
    """CMA-ES whose covariance is kept diagonal (sep-CMA-ES); returns the mean genome.

    The usual CMA-ES updates — weighted recombination of the best half, the evolution paths
    for step size and covariance, rank-one and rank-mu updates — with every matrix a vector
    of variances, and the covariance learning rates raised by ``(n + 2) / 3`` as Ros and
    Hansen advise. Memory and time per generation are O(genes x population).
    """
    rng = np.random.default_rng(seed)
    mean = np.array(start, dtype=float)
    n = mean.size
    lam = population or cma_population_size(n)
    mu = lam // 2
    weights = np.log(mu + 0.5) - np.log(np.arange(1, mu + 1))
    weights /= weights.sum()
    mueff = 1.0 / np.sum(weights**2)
    cs = (mueff + 2) / (n + mueff + 5)
    damps = 1 + 2 * max(0.0, math.sqrt((mueff - 1) / (n + 1)) - 1) + cs
    cc = (4 + mueff / n) / (n + 4 + 2 * mueff / n)
    c1 = 2 / ((n + 1.3) ** 2 + mueff) * (n + 2) / 3
    cmu = min(1 - c1, 2 * (mueff - 2 + 1 / mueff) / ((n + 2) ** 2 + mueff) * (n + 2) / 3)
    chi_n = math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n**2))
    variances, path_sigma, path_c = np.ones(n), np.zeros(n), np.zeros(n)
    for generation in range(1, generations + 1):
        z = rng.standard_normal((lam, n))
        steps = z * np.sqrt(variances)  # y = D z
        order = np.argsort(loss(mean + sigma * steps))[:mu]
        step = weights @ steps[order]
        mean = mean + sigma * step
        path_sigma = (1 - cs) * path_sigma + math.sqrt(cs * (2 - cs) * mueff) * (weights @ z[order])
        norm = np.linalg.norm(path_sigma)
        steady = norm / math.sqrt(1 - (1 - cs) ** (2 * generation)) < (1.4 + 2 / (n + 1)) * chi_n
        path_c = (1 - cc) * path_c + steady * math.sqrt(cc * (2 - cc) * mueff) * step
        variances = (
            (1 - c1 - cmu) * variances
            + c1 * (path_c**2 + (not steady) * cc * (2 - cc) * variances)
            + cmu * (weights @ steps[order] ** 2)
        )
        sigma *= math.exp(cs / damps * (norm / chi_n - 1))
        if on_generation is not None and on_generation(generation, generation * lam, mean):
            break
    return mean
