"""Benchmark: the series' searches beside the libraries a reader would pick instead, on digits.

    python3 dev.py bench --peers        # installs the optional `peers` extra, then runs this
    .venv/bin/python benchmarks/bench_peers.py [--seeds 5] [--runs 2]

Notebook 07's task: scikit-learn's digits, a quarter held out (the series' seeded split), a
64-16-10 tanh network (1,210 genes), the mean softmax cross-entropy on the training images as
the loss, float32. Every method starts from the same genome (the series' digits start for the
seed), and the held-out accuracy of its mean is checked every 1,000 networks evaluated; a run
stops at 95% held out or after 40,000 networks. Methods, all with one thread:

* the series' evolution strategy (population 100, sigma 0.05, Adam 0.03) and separable
  CMA-ES (lambda 25, sigma0 0.1), run by ``neuroevo_utils.evolution.run``;
* pycma 4.5's ``CMA_diagonal=True`` (lambda 25, sigma0 0.1) on the series' loss pass;
* evosax 0.3's ``Open_ES`` with the series' ES settings, a whole generation (sampling, the
  loss of all 100 networks, the update) in one ``jax.jit``;
* EvoTorch 0.6's PGPE (ClipUp, centre learning rate 0.15), a generation's loss in torch.

Each run is a fresh process, so JAX compiles as it would for a user; its compile time is
reported apart and included in its seconds to 95%. Seconds are wall-clock, from the start of
the method's set-up to the check that reached 95%. Two runs (the machine is noisy); the
table gives, per method, the seeds that reached 95%, the median networks and seconds to it,
the median milliseconds a generation and per 100 networks, and each as a ratio to the
series' evolution strategy.

First, the population pass against this machine's floor, measured in the same run: a
float32 matrix product of the task's shape gives the machine's GFLOP/s; the floor is the
pass's products at that rate plus its ``tanh`` and ``exp`` (the only other work that cannot
be avoided); the series' pass (100 networks, loss and accuracy) is timed beside it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
}
METHODS = ("series evolution strategy", "series separable CMA-ES", "pycma diagonal CMA-ES",
           "evosax Open_ES", "EvoTorch PGPE")  # fmt: skip
TARGET, BUDGET, CHECK = 0.95, 40_000, 1_000
HIDDEN, PIXELS, CLASSES = 16, 64, 10


def digits(seed: int):
    from neuroevo_utils import Settings, make_problem

    return make_problem(Settings.of(problem="digits", seed=seed, middle_layer=HIDDEN))


class Clock:
    """Checks the held-out accuracy of the mean every CHECK networks; knows when 95% came."""

    def __init__(self, problem) -> None:
        self.problem, self.started = problem, time.perf_counter()
        self.networks, self.next_check, self.reached_at = 0, CHECK, None
        self.generations = []

    def generation(self, networks: int, seconds: float, mean) -> bool:
        """Record a generation; True once the run is over (target or budget)."""
        import numpy as np

        self.networks += networks
        self.generations.append(seconds)
        if self.networks >= self.next_check or self.networks >= BUDGET:
            while self.next_check <= self.networks:
                self.next_check += CHECK
            held_out = self.problem.held_out_accuracy(np.asarray(mean, dtype=float)[None])[0]
            if held_out >= TARGET:
                self.reached_at = time.perf_counter() - self.started
                return True
        return self.networks >= BUDGET


def run_series(problem, seed: int, algorithm: str, clock: Clock) -> None:
    from neuroevo_utils import Settings
    from neuroevo_utils.evolution import run

    settings = Settings.of(problem="digits", seed=seed, middle_layer=HIDDEN, algorithm=algorithm,
                           evaluations=BUDGET, NGEN=BUDGET, RGEN=1)  # fmt: skip
    result = run(problem, settings, check_every=CHECK, held_out_target=TARGET, early_stop=False)
    clock.networks = result.evaluations
    clock.generations = [result.seconds / max(1, result.generations)] * result.generations
    hits = [c for c in result.checks if c.test_accuracy >= TARGET]
    if hits:
        clock.networks = hits[0].work
        clock.reached_at = time.perf_counter() - clock.started - result.seconds + hits[0].seconds


def run_pycma(problem, seed: int, clock: Clock) -> None:
    import cma
    import numpy as np

    start = problem.mean_start(np.random.default_rng(seed))
    es = cma.CMAEvolutionStrategy(start, 0.1, {"CMA_diagonal": True, "popsize": 25,
                                               "seed": seed + 1, "verbose": -9})  # fmt: skip
    while True:
        began = time.perf_counter()
        X = np.array(es.ask())
        es.tell(list(X), problem.evaluate(X, "loss").loss.tolist())
        if clock.generation(len(X), time.perf_counter() - began, es.mean):
            return


def jax_loss(X, Y):
    """The population's mean cross-entropy in JAX: one network written plainly, vmapped."""
    import jax
    import jax.numpy as jnp

    X, Y = jnp.asarray(X, jnp.float32), jnp.asarray(Y)
    w1, b1, w2 = PIXELS * HIDDEN, PIXELS * HIDDEN + HIDDEN, PIXELS * HIDDEN + HIDDEN * (1 + CLASSES)

    def one(genome):
        W1 = genome[:w1].reshape(HIDDEN, PIXELS)
        W2 = genome[b1:w2].reshape(CLASSES, HIDDEN)
        logits = jnp.tanh(X @ W1.T + genome[w1:b1]) @ W2.T + genome[w2:]
        chosen = jnp.take_along_axis(logits, Y[:, None], axis=1)[:, 0]
        return jnp.mean(jax.nn.logsumexp(logits, axis=1) - chosen)

    return jax.vmap(one)


def run_evosax(problem, seed: int, clock: Clock) -> dict:
    import jax
    import numpy as np
    import optax
    from evosax.algorithms import Open_ES

    start = problem.mean_start(np.random.default_rng(seed)).astype(np.float32)
    es = Open_ES(population_size=100, solution=start, optimizer=optax.adam(0.03),
                 std_schedule=optax.constant_schedule(0.05))  # fmt: skip
    params, loss = es.default_params, jax_loss(problem.X_train, problem.Y_train)

    @jax.jit
    def generation(key, state):
        ask_key, tell_key = jax.random.split(key)
        population, state = es.ask(ask_key, state, params)
        state, _ = es.tell(tell_key, population, loss(population), state, params)
        return state

    key = jax.random.key(seed)
    compiling = time.perf_counter()
    state = es.init(key, start, params)
    compiled = generation.lower(key, state).compile()  # the generation's compile, timed apart
    jax.block_until_ready(compiled(key, state))  # and any second compilation of the state
    compile_seconds = time.perf_counter() - compiling
    while True:
        key, now = jax.random.split(key)
        began = time.perf_counter()
        state = jax.block_until_ready(compiled(now, state))
        if clock.generation(100, time.perf_counter() - began, state.mean):
            return {"compile": compile_seconds}


def run_evotorch(problem, seed: int, clock: Clock) -> None:
    import numpy as np
    import torch
    from evotorch import Problem
    from evotorch.algorithms import PGPE

    torch.set_num_threads(1)
    torch.manual_seed(seed)
    X = torch.as_tensor(problem.X_train, dtype=torch.float32)
    Y = torch.as_tensor(problem.Y_train, dtype=torch.long)
    w1, b1, w2 = PIXELS * HIDDEN, PIXELS * HIDDEN + HIDDEN, PIXELS * HIDDEN + HIDDEN * (1 + CLASSES)

    class Digits(Problem):
        def _evaluate_batch(self, batch):
            genomes = batch.values
            P = genomes.shape[0]
            W1 = genomes[:, :w1].reshape(P, HIDDEN, PIXELS)
            W2 = genomes[:, b1:w2].reshape(P, CLASSES, HIDDEN)
            hidden = torch.tanh(torch.baddbmm(genomes[:, w1:b1, None], W1, X.T.expand(P, -1, -1)))
            logits = torch.baddbmm(genomes[:, w2:, None], W2, hidden)  # (P, classes, N)
            loss = torch.nn.functional.cross_entropy(
                logits, Y.expand(P, -1), reduction="none").mean(dim=1)  # fmt: skip
            batch.set_evals(loss)

    start = problem.mean_start(np.random.default_rng(seed))
    search = PGPE(Digits("min", solution_length=start.size, initial_bounds=(-1, 1),
                         dtype=torch.float32),
                  popsize=100, center_learning_rate=0.15, stdev_learning_rate=0.1,
                  stdev_init=0.05, center_init=torch.as_tensor(start, dtype=torch.float32))
    while True:
        began = time.perf_counter()
        search.step()
        center = search.status["center"].numpy()
        if clock.generation(100, time.perf_counter() - began, center):
            return


def one(method: str, seed: int) -> dict:
    """One method on one seed (in its own process); a row of what it spent."""
    problem = digits(seed)
    clock = Clock(problem)
    extra = {}
    if method == "series evolution strategy":
        run_series(problem, seed, "es", clock)
    elif method == "series separable CMA-ES":
        run_series(problem, seed, "sep-cma-es", clock)
    elif method == "pycma diagonal CMA-ES":
        run_pycma(problem, seed, clock)
    elif method == "evosax Open_ES":
        extra = run_evosax(problem, seed, clock)
    else:
        run_evotorch(problem, seed, clock)
    return {"method": method, "seed": seed, "reached": clock.reached_at is not None,
            "networks": clock.networks, "seconds": clock.reached_at,
            "ms_per_generation": 1e3 * statistics.median(clock.generations),
            "per_generation": clock.networks / max(1, len(clock.generations)), **extra}  # fmt: skip


def floor_table() -> list[str]:
    """The population pass against the machine's floor, measured here and now."""
    from neuroevo_utils.costs import pass_cost

    cost = pass_cost(digits(0))
    N = digits(0).X_train.shape[0]
    P = cost.networks
    return [
        "| measured now | value |", "|---|---:|",
        f"| float32 product of the first layer's shape ({P * HIDDEN}x{PIXELS + 1} @ "
        f"{PIXELS + 1}x{N}) | {cost.product_ms:.2f} ms, {cost.gflops:.0f} GFLOP/s |",
        f"| the pass's products at that rate | {cost.products_ms:.2f} ms |",
        f"| tanh of {P * HIDDEN * N:,} float32 | {cost.tanh_ms:.2f} ms |",
        f"| exp of {P * CLASSES * N:,} float32 | {cost.exp_ms:.2f} ms |",
        f"| floor (products + tanh + exp) | {cost.floor_ms:.2f} ms |",
        f"| the series' pass ({P} networks, loss and accuracy) | {cost.pass_ms:.2f} ms |",
        f"| pass / floor | {cost.over_floor:.2f}x |",
    ]


def table(rows: list[dict]) -> list[str]:
    lines = ["| method | seeds reaching 95% | median networks | median s to 95% | "
             "compile s | ms per generation | ms per 100 networks | s / ES's | "
             "ms per 100 networks / ES's |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    summary = {}
    for method in METHODS:
        mine = [r for r in rows if r["method"] == method]
        done = [r for r in mine if r["reached"]]
        per_100 = statistics.median(r["ms_per_generation"] * 100 / r["per_generation"]
                                    for r in mine)  # fmt: skip
        summary[method] = (
            len(done), len(mine),
            statistics.median(r["networks"] for r in done) if done else float("nan"),
            statistics.median(r["seconds"] for r in done) if done else float("nan"),
            statistics.median(r.get("compile", 0.0) for r in mine),
            statistics.median(r["ms_per_generation"] for r in mine), per_100,
        )  # fmt: skip
    es = summary[METHODS[0]]
    for method, (done, runs, networks, seconds, compile_s, ms, per_100) in summary.items():
        lines.append(f"| {method} | {done} of {runs} | {networks:,.0f} | {seconds:.2f} | "
                     f"{compile_s:.2f} | {ms:.2f} | {per_100:.2f} | {seconds / es[3]:.2f} | "
                     f"{per_100 / es[6]:.2f} |")  # fmt: skip
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1")
    parser.add_argument("--runs", type=int, default=2, help="how many times to run it all")
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--one", nargs=2, metavar=("METHOD", "SEED"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one:
        print(json.dumps(one(options.one[0], int(options.one[1]))), flush=True)
        return
    os.environ.update(ONE_THREAD)
    print(f"{datetime.date.today()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, one thread each\n")
    print("\n".join(floor_table()), flush=True)
    for run_number in range(1, options.runs + 1):
        rows = []
        for seed in range(options.seeds):
            for method in options.methods:  # methods take turns, so the machine's moods even out
                done = subprocess.run([sys.executable, __file__, "--one", method, str(seed)],
                                      capture_output=True, text=True, env=os.environ,
                                      check=True)  # fmt: skip
                rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
                print(f"  run {run_number}, seed {seed}: {method} done", file=sys.stderr,
                      flush=True)  # fmt: skip
        print(f"\nRun {run_number}, seeds 0-{options.seeds - 1}:\n")
        print("\n".join(table(rows)), flush=True)


if __name__ == "__main__":
    main()
