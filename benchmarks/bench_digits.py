"""Benchmark: evolution against backprop on real data, digits, to the same held-out target.

    .venv/bin/python benchmarks/bench_digits.py            # 5 seeds, target 95%
    .venv/bin/python benchmarks/bench_digits.py --seeds 2 --target 0.9

Notebook 07's question, timed. For each seed: scikit-learn's digits, 25% held out (stratified,
seeded); a 64-16-10 network (1,210 genes). The evolution strategy and separable CMA-ES check
their mean network's held-out accuracy every 1,000 networks evaluated; backprop (Adam on
minibatches of 200, the same 16 tanh units, the same start) after every epoch
(``neuroevo_utils.study.run_study``). Each stops at the target or at its evaluation (epoch)
budget. All run in this process, one after the other per seed, on the same data, with
single-threaded BLAS; the table gives seconds and work to the target and the medians side by
side.
"""

from __future__ import annotations

import argparse
import statistics

from neuroevo_utils.study import run_study

METHODS = ("evolution strategy", "separable CMA-ES", "backprop")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--target", type=float, default=0.95)
    parser.add_argument("--evaluations", type=int, default=200_000,
                        help="networks an evolutionary run may evaluate")  # fmt: skip
    options = parser.parse_args()
    columns = " | ".join(f"{m}: s to {options.target:.0%} | work" for m in METHODS)
    print(f"| seed | {columns} |")
    print("|---:|" + "---:|---:|" * len(METHODS))
    reached: dict[str, list[float]] = {method: [] for method in METHODS}
    for seed in range(options.seeds):
        cells = []
        for method in METHODS:
            run = run_study(["digits"], [method], [seed], check_every=1_000, max_steps=1_000,
                            base=dict(middle_layer=16, evaluations=options.evaluations),
                            held_out_target=options.target, early_stop=False).iloc[0]
            work, seconds, _ = run["checks"][-1]
            if run["reached"]:
                reached[method].append(seconds)
            shown = f"{seconds:.1f}" if run["reached"] else f">{seconds:.0f}"
            cells += [shown, f"{work:,} {run['work_unit']}"]
        print(f"| {seed} | " + " | ".join(cells) + " |", flush=True)
    for method, seconds in reached.items():
        median = f"{statistics.median(seconds):.1f} s" if seconds else "-"
        print(f"{method}: reached {len(seconds)} of {options.seeds}, median {median}")


if __name__ == "__main__":
    main()
