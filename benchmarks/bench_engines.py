"""Benchmark: the lesson's original loop against neuroevo's DEAP and NumPy engines.

    python3 dev.py bench                       # or: .venv/bin/python benchmarks/bench_engines.py
    .venv/bin/python benchmarks/bench_engines.py --seeds 3 --repeats 2   # shorter

Everything runs in one process, the engines taking turns (original, deap, numpy,
original, ...) so machine noise hits them alike. Printed as Markdown tables:

1. Per generation, MU=1000, for 100 and 1000 points and middle_layer 5 and 25: for each
   of a few fresh populations, the three engines run a few untimed warm-up generations,
   then take turns (one untimed generation, then 5 timed), several times; the median over all
   turns of milliseconds per generation and evaluations per second, the speed-up over the
   original, and peak memory (tracemalloc, in a separate untimed run).
2. Time to 100% training accuracy on the lesson's default experiment (circles, 100 points,
   MU=1000, RGEN=10, NGEN=100, early stop) over several seeds: successes and the median.
3. What bounds the numpy engine at 100 points (``--limits`` runs only this, in about two
   minutes): the same turns for the original, the numpy engine and the numpy engine drawing
   from its own ``numpy.random.Generator`` (same algorithm, not the lesson's draws), plus,
   timed in each turn, the numpy engine's draws alone and ``np.tanh`` in float32 over
   MU x points x middle_layer values (the issue's "tanh floor").
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import tracemalloc
from importlib import util
from pathlib import Path

import numpy as np

from neuroevo_utils import Settings, evolve, load_data
from neuroevo_utils.methods.array_ga import (
    BLEND_ALPHA,
    MUTATION_INDPB,
    TOURNAMENT_SIZE,
    ArrayGA,
    GenerationDraws,
    draw_generation,
)
from neuroevo_utils.methods.random_stream import PythonRandomStream
from neuroevo_utils.network import genome_length
from neuroevo_utils.population import NetworkShape
from neuroevo_utils.problems import array_problem

_spec = util.spec_from_file_location(
    "original_lesson", Path(__file__).with_name("original_lesson.py")
)
original_lesson = util.module_from_spec(_spec)
_spec.loader.exec_module(original_lesson)

ENGINES = ("original", "deap", "numpy")
SIZES = [(100, 5), (1000, 5), (100, 25), (1000, 25)]  # (number_samples, middle_layer)
MU = 1000
ROUND = 5  # generations per timed turn


class _Original:
    """Adapts the lesson's loop to the strategies' start / run interface."""

    def __init__(self, X, Y, middle_layer, seed):
        self.loop = original_lesson.OriginalLoop(X, Y, middle_layer=middle_layer, MU=MU, seed=seed)

    def start(self):
        # eaSimple's first call evaluates the whole population at its generation 0.
        self.loop.run(0)

    def run(self, generations):
        before = self.loop.evaluations
        self.loop.run(generations)
        return [{"nevals": self.loop.evaluations - before}]


def package_settings(middle_layer, seed, engine="numpy"):
    return Settings.of(middle_layer=middle_layer, MU=MU, CXPB=0.6, MUTPB=0.3, seed=seed,
                       engine=engine)  # fmt: skip


class OwnStreamLoop(ArrayGA):
    """The numpy engine drawing from its own ``numpy.random.Generator``.

    Same algorithm and the same array code for selection, crossover, mutation and
    evaluation; only the draws differ, so it follows a different run than the lesson for
    the same seed. It exists here to measure what making DEAP's exact draws costs.
    """

    def __init__(self, X, Y, middle_layer, seed):
        problem = array_problem(X, Y, NetworkShape(2, middle_layer))
        super().__init__(problem, package_settings(middle_layer, seed))
        self.rng = np.random.default_rng(seed)

    def _draw(self):
        size, n, rng = len(self.population), self.n_genes, self.rng
        aspirants = rng.integers(0, size, (size, TOURNAMENT_SIZE))
        mated = 2 * np.flatnonzero(rng.random(size // 2) < self.cxpb)
        gamma = (1.0 + 2.0 * BLEND_ALPHA) * rng.random((mated.size, n)) - BLEND_ALPHA
        mutants = np.flatnonzero(rng.random(size) < self.mutpb)
        rows, genes = np.nonzero(rng.random((mutants.size, n)) < MUTATION_INDPB)
        z = rng.standard_normal(rows.size)
        return GenerationDraws(aspirants, mated, gamma, mutants, mutants[rows], genes, z)


def make_engine(name, X, Y, middle_layer, seed):
    if name == "original":
        return _Original(X, Y, middle_layer, seed)
    if name == "numpy, own stream":
        return OwnStreamLoop(X, Y, middle_layer, seed)
    # "deap" or "numpy": the package's engines, as evolve() makes them
    settings = package_settings(middle_layer, seed, engine=name)
    problem = array_problem(X, Y, NetworkShape(2, middle_layer))
    return settings.method.strategy_class(name)(problem, settings)


def interleaved_samples(X, Y, middle_layer, seed, rounds, warmup, names=ENGINES, extra=None):
    """Per-generation seconds and evaluations per second, ``rounds`` samples per engine.

    The engines in ``names`` start from the same seed, run ``warmup`` untimed generations (first
    calls allocate memory, fill caches), then take turns, so a slow or fast spell of the
    machine falls on all of them alike. Each turn is one untimed generation (the other
    engines' turns leave the processor's caches cold, which would penalise the fast engines
    most) and ``ROUND`` timed ones. The original and the DEAP engine both draw from
    Python's ``random``; each keeps its own stream. ``extra`` maps more names to functions
    that take part in the turns: each is timed on one call and that time counts as ``ROUND``
    generations' worth.
    """
    extra = extra or {}
    engines, streams = {}, {}
    for name in names:
        random.seed(seed)
        engines[name] = make_engine(name, X, Y, middle_layer, seed)
        engines[name].start()
        if warmup:
            engines[name].run(warmup)
        streams[name] = random.getstate()
    samples = {name: [] for name in [*names, *extra]}
    for _ in range(rounds):
        for name, engine in engines.items():
            random.setstate(streams[name])
            engine.run(1)  # untimed: the others' turns left the caches cold
            started = time.perf_counter()
            rows = engine.run(ROUND)
            seconds = time.perf_counter() - started
            streams[name] = random.getstate()
            samples[name].append((seconds / ROUND, sum(r["nevals"] for r in rows) / seconds))
        for name, work in extra.items():
            work()  # untimed, as above
            started = time.perf_counter()
            work()
            samples[name].append(((time.perf_counter() - started) / ROUND, 0.0))
    return samples


def pooled_samples(X, Y, middle_layer, repeats, rounds, warmup, names=ENGINES, extra=None):
    """:func:`interleaved_samples` for ``repeats`` fresh populations (seeds 64, 65, ...),
    pooled per name."""
    samples = {name: [] for name in [*names, *(extra or {})]}
    for repeat in range(repeats):
        for name, values in interleaved_samples(
            X, Y, middle_layer, 64 + repeat, rounds, warmup, names, extra
        ).items():
            samples[name] += values
    return samples


def peak_memory_mb(name, X, Y, middle_layer, seed):
    tracemalloc.start()
    random.seed(seed)
    engine = make_engine(name, X, Y, middle_layer, seed)
    engine.start()
    engine.run(2)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def per_generation_table(repeats, rounds, warmup):
    lines = [
        "| points | middle_layer | engine | ms / generation | evaluations / s "
        "| speed-up | peak MB |",
        "|---:|---:|---|---:|---:|---:|---:|",
    ]
    for number_samples, middle_layer in SIZES:
        X, Y = load_data("circles", number_samples, 1, random_state=64)
        samples = pooled_samples(X, Y, middle_layer, repeats, rounds, warmup)
        per_gen = {
            name: statistics.median(s for s, _ in values) for name, values in samples.items()
        }
        for name in ENGINES:
            memory = peak_memory_mb(name, X, Y, middle_layer, 64)
            evals = statistics.median(e for _, e in samples[name])
            lines.append(
                f"| {number_samples} | {middle_layer} | {name} | {per_gen[name] * 1e3:.1f} | "
                f"{evals:,.0f} | {per_gen['original'] / per_gen[name]:.1f}x | {memory:.1f} |"
            )
        print(f"  measured {number_samples} points, middle_layer {middle_layer}", flush=True)
    return "\n".join(lines)


def run_to_target(X, Y, seed, options):
    """One run of the lesson's experiment: the original loop if ``options`` is None, else
    ``evolve`` with them. Returns (reached 100%, generations, seconds, evaluations)."""
    if options is None:
        accuracy, generations, seconds, _, evaluations = original_lesson.run_lesson(X, Y, seed=seed)
        return accuracy == 1.0, generations, seconds, evaluations
    result = evolve(X, Y, seed=seed, **options)
    return result.train_accuracy == 1.0, result.generations, result.seconds, result.evaluations


def runs_to_target(runners, seeds):
    """Every runner (name -> options for :func:`run_to_target`) on each seed in turn, so a
    slow or fast spell of the machine falls on all of them; a progress line per seed."""
    X, Y = load_data("circles", 100, 1, random_state=64)
    results = {name: [] for name in runners}
    for seed in seeds:
        for name, options in runners.items():
            results[name].append(run_to_target(X, Y, seed, options))
        print(
            f"  seed {seed}: "
            + ", ".join(
                f"{n} {'100%' if r[-1][0] else 'no'} at {r[-1][1]} gens in {r[-1][2]:.2f} s"
                for n, r in results.items()
            ),
            flush=True,
        )
    return results


def time_to_full_accuracy_table(seeds):
    runners = {name: None if name == "original" else {"engine": name} for name in ENGINES}
    results = runs_to_target(runners, seeds)
    # Over whole runs (minutes of alternating work), ms per generation is less exposed to
    # the machine's moment-to-moment noise than the short timings of the first table.
    per_generation = {
        name: 1e3 * sum(r[2] for r in runs) / sum(r[1] for r in runs)
        for name, runs in results.items()
    }
    lines = [
        f"| engine | reached 100% (of {len(seeds)} seeds) | median generations | "
        "median seconds to 100% | seed 64: generations, seconds | ms / generation, "
        "all runs | speed-up |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, runs in results.items():
        wins = [(g, s) for ok, g, s, _ in runs if ok]
        median_gens = statistics.median(g for g, _ in wins) if wins else float("nan")
        median_secs = statistics.median(s for _, s in wins) if wins else float("nan")
        seed64 = "–"
        if 64 in seeds:
            ok, g, s, _ = runs[list(seeds).index(64)]
            seed64 = f"{g}, {s:.2f}" + ("" if ok else " (not reached)")
        speed_up = per_generation["original"] / per_generation[name]
        lines.append(
            f"| {name} | {len(wins)} | {median_gens:g} | {median_secs:.2f} | {seed64} "
            f"| {per_generation[name]:.1f} | {speed_up:.1f}x |"
        )
    return "\n".join(lines)


def check_same_trajectory():
    """The original and both engines must agree on the lesson's run (seed 64)."""
    X, Y = load_data("circles", 100, 1, random_state=64)
    accuracy, generations, _, best, _ = original_lesson.run_lesson(X, Y, seed=64)
    parts = [f"original: {generations} generations"]
    for engine in ("deap", "numpy"):
        result = evolve(X, Y, seed=64, engine=engine)
        same = (
            generations == result.generations
            and accuracy == result.train_accuracy
            and np.array_equal(best, result.best_individual)
        )
        parts.append(f"{engine} engine: {result.generations}, same best individual: {same}")
    return "; ".join(parts)


ALGORITHM_RUNS = {
    "original (the lesson's loop)": None,
    "lesson, numpy engine": dict(algorithm="lesson", engine="numpy"),
    "elitist, deap engine": dict(algorithm="elitist", engine="deap"),
    "cma-es": dict(algorithm="cma-es"),
}


def algorithms_table(seeds):
    """Time to 100% training accuracy of every algorithm on the lesson's default task.

    Circles, 100 points, 2-5-1, the lesson's MU/NGEN/RGEN/CXPB/MUTPB (CMA-ES ignores MU, CXPB
    and MUTPB); each seed runs every algorithm in turn, the original loop for reference.
    Medians are over the seeds that reached 100%.
    """
    results = runs_to_target(ALGORITHM_RUNS, seeds)
    lines = [
        f"| algorithm | reached 100% (of {len(seeds)} seeds) | median seconds to 100% "
        "| median evaluations to 100% | median generations |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, runs in results.items():
        wins = [(g, s, e) for ok, g, s, e in runs if ok]

        def median(index, wins=wins):
            return statistics.median(w[index] for w in wins) if wins else float("nan")

        lines.append(
            f"| {name} | {len(wins)} | {median(1):.3f} | {median(2):,.0f} | {median(0):g} |"
        )
    return "\n".join(lines)


def markdown(table) -> str:
    """A pandas table as a Markdown table (no extra dependency)."""
    header = "| " + " | ".join(map(str, table.columns)) + " |"
    rule = "|" + "---|" * len(table.columns)
    rows = ["| " + " | ".join(map(str, row)) + " |" for row in table.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def race_tables(seeds, size=None, problems=None):
    """Notebook 05's race, by default at the lesson's size: every GA with MU=1000 for up to
    1000 generations (CMA-ES: as many evaluations), backprop 5000 steps, all five problems."""
    from neuroevo_utils.parameters import PROBLEMS
    from neuroevo_utils.study import run_study
    from neuroevo_utils.study import summary as race_summary

    size = size or dict(MU=MU, NGEN=1000, RGEN=1)
    runs = run_study(problems or PROBLEMS, RACE_METHODS, seeds, base=size, target="auto",
                     max_steps=5000, scheduler="processes")  # fmt: skip
    reached = runs.pivot_table(
        index="method", columns="problem", values="reached", aggfunc="sum", sort=False
    ).reset_index()
    return markdown(race_summary(runs)) + "\n\n" + markdown(reached)


RACE_METHODS = ("lesson GA", "elitist GA", "lesson GA + loss", "elitist GA + loss",
                "CMA-ES on accuracy", "CMA-ES + loss", "backprop")  # fmt: skip
"""Notebook 05's race."""

LIMIT_ENGINES = ("original", "numpy", "numpy, own stream")


def limits_table(repeats, rounds, warmup):
    """At 100 points: the numpy engine beside its own-stream variant, its draws and the floor."""
    lines = [
        "| middle_layer | original | 25x needs | numpy | of which draws "
        "| numpy, own stream | float32 tanh floor |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for middle_layer in (5, 25):
        ms = _limits_medians(middle_layer, repeats, rounds, warmup)

        def with_ratio(name, ms=ms):
            return f"{ms[name]:.1f} ({ms['original'] / ms[name]:.1f}x)"

        lines.append(
            f"| {middle_layer} | {ms['original']:.1f} | {ms['original'] / 25:.1f} "
            f"| {with_ratio('numpy')} | {ms['draws']:.1f} | {with_ratio('numpy, own stream')} "
            f"| {ms['floor']:.1f} |"
        )
        print(f"  measured middle_layer {middle_layer}", flush=True)
    return "\n".join(lines)


def _limits_medians(middle_layer, repeats, rounds, warmup):
    """Median ms per generation of each engine in LIMIT_ENGINES, of the numpy engine's
    draws alone, and of float32 tanh over MU x points x middle_layer values."""
    X, Y = load_data("circles", 100, 1, random_state=64)
    n_genes = genome_length(middle_layer, n_in=X.shape[1])
    stream = PythonRandomStream(64)
    rng = np.random.default_rng(0)
    activations = rng.standard_normal((MU * middle_layer, X.shape[0]), dtype=np.float32)
    output = np.empty_like(activations)

    def draws():
        for _ in range(ROUND):
            draw_generation(stream, MU, n_genes, 0.6, 0.3)

    def tanh_floor():
        for _ in range(ROUND):
            np.tanh(activations, out=output)

    extra = {"draws": draws, "floor": tanh_floor}
    samples = pooled_samples(X, Y, middle_layer, repeats, rounds, warmup, LIMIT_ENGINES, extra)
    return {name: 1e3 * statistics.median(s for s, _ in v) for name, v in samples.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="fresh populations per size")
    parser.add_argument("--rounds", type=int, default=6, help=f"timed turns of {ROUND} generations")
    parser.add_argument("--warmup", type=int, default=3, help="untimed generations before")
    parser.add_argument(
        "--seeds", type=int, default=10, help="seeds for time to 100%% (0..N-1, plus 64)"
    )
    parser.add_argument(
        "--limits", action="store_true", help="only table 3: what bounds the numpy engine"
    )
    parser.add_argument(
        "--algorithms", action="store_true", help="only table 4: time to 100%% per algorithm"
    )
    parser.add_argument(
        "--algorithm-seeds", type=int, default=20, help="seeds 0..N-1 for table 4"
    )
    parser.add_argument(
        "--race", action="store_true",
        help="only notebook 05's full race (the lesson's MU and generations; tens of minutes)",
    )  # fmt: skip
    parser.add_argument("--race-seeds", type=int, default=20, help="seeds 0..N-1 for --race")
    args = parser.parse_args()

    if args.race:
        print(f"\nNotebook 05's race at the lesson's size, seeds 0-{args.race_seeds - 1}:")
        print(race_tables(range(args.race_seeds)))
        return

    algorithms_title = (
        f"\nTime to 100% per algorithm (circles, 100 points, 2-5-1, seeds 0-"
        f"{args.algorithm_seeds - 1}):"
    )
    if args.algorithms:
        print(algorithms_title, flush=True)
        print(algorithms_table(range(args.algorithm_seeds)))
        return

    limits_title = (
        f"\nWhat bounds the numpy engine (ms per generation, MU={MU}, circles, 100 points; "
        f"{args.repeats} fresh populations, each {args.rounds} turns):"
    )
    if args.limits:
        print(limits_title, flush=True)
        print(limits_table(args.repeats, args.rounds, args.warmup))
        return

    print("Same trajectory check:", check_same_trajectory(), flush=True)
    print(
        f"\nPer generation (MU={MU}, circles; {args.repeats} fresh populations, each "
        f"{args.rounds} turns of {ROUND} generations after {args.warmup} untimed):",
        flush=True,
    )
    table1 = per_generation_table(args.repeats, args.rounds, args.warmup)
    print(table1, flush=True)
    seeds = sorted(set(range(args.seeds)) | {64})
    print(
        f"\nTime to 100% training accuracy (circles, 100 points, MU={MU}, RGEN=10, NGEN=100):",
        flush=True,
    )
    table2 = time_to_full_accuracy_table(seeds)
    print(limits_title, flush=True)
    table3 = limits_table(args.repeats, args.rounds, args.warmup)
    print(algorithms_title, flush=True)
    table4 = algorithms_table(range(args.algorithm_seeds))
    print("\n" + "\n\n".join((table1, table2, table3, table4)))


if __name__ == "__main__":
    main()
