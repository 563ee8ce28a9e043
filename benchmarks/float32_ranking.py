"""Does ranking digits networks by a float32 loss change what evolution finds?

    .venv/bin/python benchmarks/float32_ranking.py [--seeds 10]

The population pass computes digits' cross-entropy in float32 (``neuroevo_utils.population``).
Where two networks' losses lie closer than float32's rounding, it may order them otherwise
than float64 would, and a strategy that ranks (the evolution strategy, separable CMA-ES)
then takes another step. This script measures both things on notebook 07's task:

1. **Near-ties.** During a float32 run of the evolution strategy (population 100) and of
   separable CMA-ES, every generation's samples are also scored in float64: how many
   generations rank any two samples differently, and how many pairs.
2. **Outcomes.** The same methods and seeds run twice, ranking by the float32 pass and by a
   float64 one: networks to 95% held out and the held-out accuracy after 20,000 networks, seed
   by seed, with the Wilcoxon signed-rank test of the paired differences. A run is chaotic, so
   single seeds may differ; the question is whether the outcomes do, over seeds.
"""

from __future__ import annotations

import argparse

import numpy as np

from neuroevo_utils import Settings, make_problem
from neuroevo_utils.evolution import run
from neuroevo_utils.population import _losses, _outputs, as_genome_matrix
from neuroevo_utils.problems import Evaluation
from neuroevo_utils.uncertainty import paired_values_test

TARGET, BUDGET, CHECK = 0.95, 20_000, 1_000


def float64_loss(problem, genomes: np.ndarray) -> np.ndarray:
    G = as_genome_matrix(genomes, problem.genes)
    return _losses(_outputs(G, problem.X_train, problem.shape, np.float64), problem.Y_train)


class Watched:
    """A problem that scores as the package does (float32) and counts, each generation,
    the pairs of samples float64 would order the other way."""

    def __init__(self, problem, float64: bool = False) -> None:
        self.problem, self.float64 = problem, float64
        self.generations = self.reordered_generations = self.reordered_pairs = 0

    def __getattr__(self, name):
        return getattr(self.problem, name)

    def evaluate(self, genomes, fitness="accuracy"):
        evaluation = self.problem.evaluate(genomes, fitness)
        if fitness != "loss" or len(genomes) < 2:
            return evaluation
        exact = float64_loss(self.problem, genomes)
        order32, order64 = np.argsort(evaluation.loss, kind="stable"), np.argsort(exact)
        rank32 = np.empty_like(order32)
        rank32[order32] = np.arange(order32.size)
        pairs = np.sum(np.diff(rank32[order64]) < 0)  # neighbours in float64 order, swapped
        self.generations += 1
        self.reordered_generations += bool(pairs)
        self.reordered_pairs += int(pairs)
        if self.float64:
            return Evaluation(evaluation.accuracy, exact)
        return evaluation


def one_run(seed: int, algorithm: str, float64: bool) -> tuple[int | None, float, Watched]:
    settings = Settings.of(problem="digits", seed=seed, algorithm=algorithm, evaluations=BUDGET,
                           NGEN=BUDGET, RGEN=1)  # fmt: skip
    problem = Watched(make_problem(settings), float64)
    result = run(problem, settings, check_every=CHECK, early_stop=False)
    hits = [c.work for c in result.checks if c.test_accuracy >= TARGET]
    return (hits[0] if hits else None), result.checks[-1].test_accuracy, problem


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    options = parser.parse_args()
    for algorithm, name in (("es", "evolution strategy"), ("sep-cma-es", "separable CMA-ES")):
        rows = []
        for seed in range(options.seeds):
            hit32, final32, watched = one_run(seed, algorithm, float64=False)
            hit64, final64, _ = one_run(seed, algorithm, float64=True)
            rows.append((seed, hit32, hit64, final32, final64, watched))
            print(f"  {name}, seed {seed}: float32 {hit32} networks to 95% (final {final32:.3f}),"
                  f" float64 {hit64} ({final64:.3f}); generations with a reordered pair "
                  f"{watched.reordered_generations} of {watched.generations}", flush=True)
        generations = sum(r[5].generations for r in rows)
        reordered = sum(r[5].reordered_generations for r in rows)
        pairs = sum(r[5].reordered_pairs for r in rows)
        both = [(a, b) for _, a, b, *_ in rows if a and b]
        p_hits = paired_values_test([a for a, _ in both], [b for _, b in both]) if both else 1.0
        p_final = paired_values_test([r[3] for r in rows], [r[4] for r in rows])
        print(f"\n{name}, seeds 0-{options.seeds - 1}:")
        print(f"- near-ties: {reordered} of {generations} float32 generations order at least two "
              f"samples otherwise than float64 ({pairs} neighbouring pairs in all)")
        print(f"- 95% held out reached: float32 {sum(r[1] is not None for r in rows)}, float64 "
              f"{sum(r[2] is not None for r in rows)} of {len(rows)} seeds; median networks "
              f"{np.median([a for a, _ in both]):,.0f} vs {np.median([b for _, b in both]):,.0f}, "
              f"Wilcoxon p = {p_hits:.2g}")
        print(f"- held-out accuracy after {BUDGET:,} networks: median "
              f"{np.median([r[3] for r in rows]):.3f} vs {np.median([r[4] for r in rows]):.3f}, "
              f"Wilcoxon p = {p_final:.2g}\n", flush=True)


if __name__ == "__main__":
    main()
