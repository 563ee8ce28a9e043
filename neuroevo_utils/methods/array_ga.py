"""The lesson's genetic algorithm on a population held as one NumPy array (engine ``"numpy"``).

Introduced in notebook 04 (section "Making it fast"), and the genetic algorithm of every
problem that is not the lesson's network (notebook 07). It runs the lesson's algorithm with
the lesson's *fixed* operators — it takes no toolbox, so edits to one do not reach it —
operator for operator as DEAP's ``eaSimple`` runs them:

* genes uniform(-1, 1);
* tournament selection of size 5 (ties go to the first aspirant drawn, as in DEAP);
* blend crossover, alpha = .5, on consecutive pairs, each pair with probability CXPB
  (DEAP's ``varAnd``);
* Gaussian mutation, sigma = .1, of each gene with probability .25, applied to each
  individual with probability MUTPB;
* only the changed individuals are evaluated; a hall of fame keeps the best ever seen;
* with the loss fitness (notebook 05) tournaments compare ``(-loss, accuracy)`` as DEAP
  compares the loss toolbox's fitnesses.

It also makes the *same random draws*: it reads the stream of ``random.Random(seed)``
(see :mod:`neuroevo_utils.methods.random_stream`) in the order DEAP consumes it. So for the same
seed it follows the same trajectory as the DEAP engine and the lesson's loop — same
best individual, same generations, same logbook (``tests/test_array_ga.py``) — but
does each generation's work in a few array operations.

None of a generation's draws depends on fitness (fitness only decides who wins a
tournament), so :func:`draw_generation` reads them all at once. Where DEAP's draws depend
on earlier draws (a mated pair takes one number per gene, a mutated gene one or three),
a short Python loop walks the stream to find where each falls; it visits only the
events (mated pairs, mutants, genes hit) and all arithmetic on genes is on arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..network import GENE_HIGH, GENE_LOW
from .base import Strategy
from .random_stream import PythonRandomStream, gauss_pairs

# The lesson's operators, as numbers. The DEAP toolbox (notebook 04, toolbox.py) writes
# them out in its register calls; the array GA, which takes no toolbox, uses these.
TOURNAMENT_SIZE = 5
BLEND_ALPHA = 0.5
MUTATION_MU, MUTATION_SIGMA, MUTATION_INDPB = 0.0, 0.1, 0.25

LOOK_AHEAD = 1.15
"""How many more random numbers than expected the crossover and mutation walks look at
first (they fetch more, and walk again, in the rare generation that needs more)."""


@dataclass(frozen=True)
class GenerationDraws:
    """Every random choice of one generation, in array form."""

    aspirants: np.ndarray
    """(MU, 5) indices: the five aspirants of each tournament."""
    mated: np.ndarray
    """Index of the first individual of each mated pair (its partner is the next one)."""
    gamma: np.ndarray
    """(len(mated), genes) blend factors."""
    mutants: np.ndarray
    """Individuals that go through ``mutGaussian`` (even if no gene is hit)."""
    hit_rows: np.ndarray
    hit_genes: np.ndarray
    z: np.ndarray
    """The standard normal value added (times sigma) to each gene hit."""


def next_true(mask: np.ndarray) -> np.ndarray:
    """For each index i, the smallest j >= i with ``mask[j]`` (``len(mask)`` if none)."""
    where = np.where(mask, np.arange(mask.size), mask.size)
    return np.minimum.accumulate(where[::-1])[::-1]


def draw_population(stream: PythonRandomStream, size: int, n_genes: int) -> np.ndarray:
    """``toolbox.population(n=size)``: one individual after another, genes from
    ``random.uniform(-1, 1)``, which is ``a + (b - a) * random()``."""
    u = stream.doubles(size * n_genes)
    stream.skip_doubles(size * n_genes)
    return GENE_LOW + (GENE_HIGH - GENE_LOW) * u.reshape(size, n_genes)


def draw_generation(
    stream: PythonRandomStream, size: int, n_genes: int, cxpb: float, mutpb: float
) -> GenerationDraws:
    """The draws of ``selTournament`` then ``varAnd``, in the order DEAP makes them."""
    # selTournament: size tournaments, each of 5 random.choice(population).
    aspirants = stream.below(size, size * TOURNAMENT_SIZE).reshape(size, TOURNAMENT_SIZE)
    mated, gamma = _draw_crossover(stream, size // 2, n_genes, cxpb)
    return GenerationDraws(aspirants, mated, gamma, *_draw_mutation(stream, size, n_genes, mutpb))


def _draw_crossover(stream, pairs, n, cxpb):
    """varAnd's first loop: pair (2i, 2i+1) mates if random() < CXPB; cxBlend then takes
    one random() per gene, gamma = (1 + 2 alpha) random() - alpha."""
    look = int(LOOK_AHEAD * pairs * (1 + cxpb * n)) + 16
    while (walk := _walk_crossover(u := stream.doubles(look), pairs, n, cxpb)) is None:
        look *= 2  # the stream ran out before the last pair: look further
    mated, gamma_starts = walk
    stream.skip_doubles(pairs + n * mated.size)
    gamma = (1.0 + 2.0 * BLEND_ALPHA) * u[gamma_starts[:, None] + np.arange(n)] - BLEND_ALPHA
    return 2 * mated, gamma


def _walk_crossover(u, pairs, n, cxpb):
    """The mated pairs and where each one's blend numbers start in ``u``; None if ``u``
    is too short."""
    end = u.size
    next_mated = next_true(u < cxpb)
    mated, gamma_starts = [], []
    position = pair = 0  # where in u the decision of `pair` is
    while pair < pairs:
        found = int(next_mated[position]) if position < end else end
        pair += found - position  # the pairs in between did not mate: one number each
        if pair >= pairs:
            break
        if found + n >= end:
            return None
        mated.append(pair)
        gamma_starts.append(found + 1)
        position, pair = found + 1 + n, pair + 1
    return np.array(mated, dtype=np.intp), np.array(gamma_starts, dtype=np.intp)


def _draw_mutation(stream, size, n, mutpb):
    """varAnd's second loop: individual i mutates if random() < MUTPB; mutGaussian then
    takes one random() per gene and, for each gene hit (< .25), calls random.gauss —
    which takes two more random() every other call, as Python keeps the second value of
    each pair for the next call."""
    expected = size + mutpb * size * n * (1 + 2 * MUTATION_INDPB)
    look = int(LOOK_AHEAD * expected) + 16
    first_fresh = stream.gauss_next is None  # does the first gauss call draw a fresh pair?
    while (walk := _walk_mutation(u := stream.doubles(look), size, n, mutpb, first_fresh)) is None:
        look *= 2  # the stream ran out before the last individual: look further
    mutants, hit_rows, hit_genes, hit_at, fresh, used = walk
    stream.skip_doubles(used)
    # A fresh gauss call makes a pair of normal values from the two numbers after its
    # hit, returns the cosine one and keeps the sine one, which the next call returns.
    cosines, sines = gauss_pairs(u[hit_at[fresh] + 1], u[hit_at[fresh] + 2])
    kept = np.concatenate([[stream.gauss_next or 0.0], sines])
    z = kept[np.cumsum(fresh)]
    z[fresh] = cosines
    if hit_at.size:
        stream.gauss_next = float(sines[-1]) if fresh[-1] else None
    return mutants, hit_rows, hit_genes, z


def _walk_mutation(u, size, n, mutpb, first_fresh):
    """Where the draws of varAnd's mutation loop fall in ``u`` (the coming random()s).

    Returns the mutants; each gene hit's individual, gene, position in ``u`` and whether
    its gauss call is fresh; and how many numbers were used. None if ``u`` is too short.
    """
    end = u.size
    next_mutant = next_true(u < mutpb)
    # Where a gene decision would hit, leaving room for a fresh pair after each; then a
    # sentinel beyond any block.
    room = end - 2
    below = np.flatnonzero(u[:room] < MUTATION_INDPB).tolist()
    below.append(end + n + 1)
    fresh = first_fresh
    mutants, hit_at, first_hit, gene_start = [], [], [], []
    add_hit = hit_at.append
    position = individual = candidate = 0  # position in u of this individual's decision
    while True:
        found = int(next_mutant[position]) if position < end else end
        individual += found - position  # non-mutants in between: one number each
        if individual >= size:
            used = found - (individual - size)
            break
        if found >= end:
            return None
        mutants.append(individual)
        first_hit.append(len(hit_at))
        position = found + 1  # its gene decisions follow, one number each...
        gene_end = position + n
        gene_start.append(position)
        while True:
            while below[candidate] < position:
                candidate += 1
            hit = below[candidate]
            if hit >= gene_end:
                break
            add_hit(hit)
            if fresh:  # ... plus two for each fresh gauss pair
                position, gene_end = hit + 3, gene_end + 2
            else:
                position = hit + 1
            fresh = not fresh
        if gene_end > room:  # the block may reach past what u shows
            return None
        position = gene_end
        individual += 1

    hit_at = np.array(hit_at, dtype=np.intp)
    fresh = (np.arange(hit_at.size) % 2 == 0) == first_fresh
    # Gene of each hit: its distance from the individual's first gene decision, less two
    # numbers for each fresh gauss pair drawn earlier in the same individual.
    first_hit = np.array(first_hit, dtype=np.intp)
    counts = np.diff(np.append(first_hit, hit_at.size))
    hit_mutant = np.repeat(np.arange(len(mutants)), counts)
    fresh_before = np.cumsum(fresh) - fresh
    fresh_before -= np.repeat(np.append(fresh_before, 0)[first_hit], counts)
    hit_genes = hit_at - np.array(gene_start, dtype=np.intp)[hit_mutant] - 2 * fresh_before
    mutants = np.array(mutants, dtype=np.intp)
    return mutants, mutants[hit_mutant], hit_genes, hit_at, fresh, used


def tournament_keys(accuracy: np.ndarray, loss: np.ndarray | None) -> np.ndarray:
    """A number per individual that orders them as DEAP's fitnesses compare: by accuracy,
    or with the loss fitness by ``(-loss, accuracy)`` (the loss first, accuracy breaking an
    exact tie). Equal fitnesses get equal keys, so a tournament's first aspirant among the
    fittest wins, as in ``selTournament``."""
    if loss is None:
        return accuracy
    order = np.lexsort((-accuracy, loss))  # best first: lowest loss, then most accurate
    ranked_loss, ranked_accuracy = loss[order], accuracy[order]
    new_fitness = np.ones(order.size, dtype=bool)
    new_fitness[1:] = (ranked_loss[1:] != ranked_loss[:-1]) | (
        ranked_accuracy[1:] != ranked_accuracy[:-1]
    )
    keys = np.empty(order.size)
    keys[order] = -np.cumsum(new_fitness)  # higher is fitter
    return keys


class ArrayGA(Strategy):
    """The lesson's GA with its fixed operators on one ``(MU, genes)`` array (engine
    ``"numpy"``), drawing what DEAP would draw from ``random.Random(seed)``: the same run as
    ``eaSimple`` on the lesson's toolbox, on any problem."""

    def __init__(self, problem, settings, toolbox=None) -> None:
        super().__init__(problem, settings)
        self.cxpb, self.mutpb = settings.CXPB, settings.MUTPB
        self.stream = PythonRandomStream(settings.seed)
        self.n_genes = problem.genes
        self.population = draw_population(self.stream, settings.MU, self.n_genes)
        self.accuracy = np.empty(settings.MU)
        self.loss = np.empty(settings.MU) if self.fitness == "loss" else None
        self.changed = np.arange(settings.MU)

    def first(self) -> np.ndarray:
        return self.population

    def ask(self) -> np.ndarray:
        self.changed = np.flatnonzero(self._next_generation(self._draw()))
        return self.population[self.changed]

    def _draw(self) -> GenerationDraws:
        """Every random choice of the next generation, as DEAP would make them."""
        return draw_generation(
            self.stream, len(self.population), self.n_genes, self.cxpb, self.mutpb
        )

    def tell(self, genomes: np.ndarray, evaluation) -> None:
        self.accuracy[self.changed] = evaluation.accuracy
        if self.loss is not None:
            self.loss[self.changed] = evaluation.loss

    def population_accuracy(self, evaluation) -> np.ndarray:
        return self.accuracy

    def _next_generation(self, draws: GenerationDraws) -> np.ndarray:
        """Select, mate and mutate with ``draws``; returns which individuals changed."""
        size = len(self.population)
        keys = tournament_keys(self.accuracy, self.loss)
        winners = np.argmax(keys[draws.aspirants], axis=1)  # first of the fittest
        chosen = draws.aspirants[np.arange(size), winners]
        population = self.population[chosen]  # fancy indexing copies: DEAP's clone
        self.accuracy = self.accuracy[chosen]
        if self.loss is not None:
            self.loss = self.loss[chosen]
        changed = np.zeros(size, dtype=bool)

        first, second = draws.mated, draws.mated + 1
        x1, x2, gamma = population[first], population[second], draws.gamma
        population[first] = (1.0 - gamma) * x1 + gamma * x2  # cxBlend, gene by gene
        population[second] = gamma * x1 + (1.0 - gamma) * x2
        changed[first] = changed[second] = True

        # individual[i] += random.gauss(mu, sigma), which returns mu + z * sigma
        population[draws.hit_rows, draws.hit_genes] += MUTATION_MU + draws.z * MUTATION_SIGMA
        changed[draws.mutants] = True
        self.population = population
        return changed
