"""Where CMA-ES's time goes on the lesson's task (benchmarks/README.md, "algorithm=").

    .venv/bin/python benchmarks/profile_cma_es.py [--seeds 20]

CMA-ES on the loss (circles, 100 points, 2-5-1), seeds 0..N-1, run under cProfile after three
untimed runs; prints the generations, the profiled milliseconds per generation, and the
functions that took the most time of their own. Profiling inflates every call, so read the
shares, not the totals; ``bench_engines.py --algorithms`` gives the unprofiled seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

from neuroevo_utils import run_experiment

TASK = dict(problem="circles", number_samples=100, difficulty=1, middle_layer=5,
            algorithm="cma-es")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    for seed in range(3):  # imports and first calls, untimed
        run_experiment({**TASK, "seed": seed})
    profile, generations = cProfile.Profile(), 0
    started = time.perf_counter()
    profile.enable()
    for seed in range(args.seeds):
        generations += run_experiment({**TASK, "seed": seed}).result.generations
    profile.disable()
    seconds = time.perf_counter() - started
    print(f"seeds 0-{args.seeds - 1}: {generations} generations in {seconds:.2f} s profiled, "
          f"{1e3 * seconds / generations:.3f} ms a generation")  # fmt: skip
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats("population_evaluate|cma.py.*update|generate|eigh")
    stats.sort_stats("tottime").print_stats(12)


if __name__ == "__main__":
    main()
