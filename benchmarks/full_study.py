"""Notebook 06's sweeps at the lesson's size, for the README's figures (`python3 dev.py study`).

Every exercise of ``neuroevo_utils.study.EXERCISES`` × seeds 0-19 with the lesson's values
(MU=1000, up to 1000 generations, checked for 100% after every one), on the numpy engine
(the lesson's runs, faster), on a Dask LocalCluster. Each run is appended to
``benchmarks/results/full_study.jsonl`` as it finishes, so an interrupted study resumes where
it stopped; the figures go beside it as PNG files.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from neuroevo_utils import figure_grid
from neuroevo_utils.plots import plot_sweep, plot_sweep_heatmap
from neuroevo_utils.study import EXERCISES, summary, sweep

RESULTS = Path(__file__).resolve().parent / "results"
LESSON_SIZE = dict(MU=1000, NGEN=1000, RGEN=1, engine="numpy")


def figure_for(name: str, runs, grid: dict) -> plt.Figure:
    figure, axes = figure_grid(1, 1, panel_height=3.8)
    names = list(grid)
    title = f"full study: {name}, {runs['seed'].nunique()} seeds per setting"
    if len(names) == 2:
        plot_sweep_heatmap(summary(runs, names), *names, axes[0, 0], title=title)
    else:
        plot_sweep(summary(runs, names), names[0], axes[0, 0], title=title)
    return figure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="seeds 0..N-1 per setting")
    parser.add_argument("--scheduler", default="dask", help="serial, processes or dask")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    for name, grid in EXERCISES.items():
        started = time.perf_counter()
        runs = sweep(grid, range(args.seeds), base=LESSON_SIZE, scheduler=args.scheduler,
                     results=RESULTS / "full_study.jsonl")  # fmt: skip
        print(f"\n{name}: {len(runs)} runs, {time.perf_counter() - started:.0f} s")
        print(summary(runs, list(grid)).to_string(index=False), flush=True)
        figure = figure_for(name, runs, grid)
        figure.savefig(RESULTS / f"full_study_{name.replace(' ', '_')}.png", dpi=100)
        plt.close(figure)


if __name__ == "__main__":
    main()
