"""Benchmark: each notebook's Run All, and the Evolve panel against the same run headless.

    python3 dev.py bench --notebooks            # or: .venv/bin/python benchmarks/bench_notebooks.py
    .venv/bin/python benchmarks/bench_notebooks.py --panel-only

Each notebook is executed as Jupyter's Run All does (a fresh kernel, every cell in order, the
notebook's folder as working directory) on a copy, timed from the kernel's start to the last
cell's end. The panel row runs one experiment twice in one kernel: headless, then with the
live display the Evolve panels use (every frame rendered to PNG by the inline backend, as
in JupyterLab; the browser's own drawing is not counted). The table is printed and written to
``benchmarks/results/notebooks.md``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
OUTPUT = ROOT / "benchmarks" / "results" / "notebooks.md"
LIMIT_SECONDS = {"01": 30, "02": 30, "03": 30, "04": 30}
"""Run All limits (issue 18): 30 s for notebooks 01-04, 60 s for the others."""

PANEL_RUN = dict(problem="circles", seed=1, MUTPB=0.4, NGEN=100, RGEN=10)
"""A 1,000-generation run at the lesson's other values (it does not reach 100%)."""

PANEL_CELL = f"""
import time
from neuroevo_utils import run_experiment
from neuroevo_utils.live import LiveEvolutionDisplay

values = {PANEL_RUN!r}
started = time.perf_counter()
headless = run_experiment(values).result
headless_seconds = time.perf_counter() - started

live = LiveEvolutionDisplay()
started = time.perf_counter()
shown = run_experiment(values, on_round=live).result
live.finish(shown)
panel_seconds = time.perf_counter() - started
assert shown.generations == headless.generations
assert shown.train_accuracy == headless.train_accuracy
print("RESULT", headless.generations, headless_seconds, panel_seconds, live.draws,
      live.seconds_drawing)
"""


def run_all(path: Path) -> float:
    """Seconds to execute every cell of the notebook at ``path`` in a fresh kernel."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=1200, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})  # fmt: skip
    started = time.perf_counter()
    client.execute()
    return time.perf_counter() - started


def panel_against_headless() -> tuple[int, float, float, int, float]:
    """Generations, headless seconds, panel seconds, frames drawn, seconds drawing."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PANEL_CELL)])
    NotebookClient(notebook, timeout=1200, kernel_name="python3").execute()
    text = "".join(o.get("text", "") for o in notebook.cells[0].outputs)
    line = next(line for line in text.splitlines() if line.startswith("RESULT"))
    generations, headless, panel, draws, drawing = line.split()[1:]
    return int(generations), float(headless), float(panel), int(draws), float(drawing)


FIRST_OPEN = "<!-- first open: made by benchmarks/bench_setup.py -->"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--panel-only", action="store_true", help="only the panel row")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {OUTPUT.name}")
    options = parser.parse_args()
    os.environ.pop("MPLBACKEND", None)  # the kernels use the inline backend, as in Jupyter
    lines = [
        f"Measured {datetime.date.today().isoformat()} by `benchmarks/bench_notebooks.py` on "
        f"{os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
    ]
    if not options.panel_only:
        lines += ["| notebook | Run All, s | limit, s | within |", "|---|---:|---:|---|"]
        for path in NOTEBOOKS:
            seconds = run_all(path)
            limit = LIMIT_SECONDS.get(path.name[:2], 60)
            lines.append(f"| {path.name} | {seconds:.1f} | {limit} | "
                         f"{'yes' if seconds <= limit else 'NO'} |")  # fmt: skip
            print(lines[-1], flush=True)
        lines.append("")
    generations, headless, panel, draws, drawing = panel_against_headless()
    lines += [
        "| Evolve panel run | generations | headless, s | with the live display, s | ratio "
        "| frames | drawing, s |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| {', '.join(f'{k}={v}' for k, v in PANEL_RUN.items())} | {generations} | "
        f"{headless:.1f} | {panel:.1f} | {panel / headless:.2f} | {draws} | {drawing:.1f} |",
    ]
    print("\n".join(lines[-3:]))
    if not options.no_write:
        kept = ""  # the first-open section bench_setup.py writes stays
        previous = OUTPUT.read_text() if OUTPUT.exists() else ""
        if FIRST_OPEN in previous:
            kept = "\n" + FIRST_OPEN + previous.split(FIRST_OPEN, 1)[1]
        OUTPUT.write_text("\n".join(lines) + "\n" + kept)
        print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
