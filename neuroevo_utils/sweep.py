"""Sweeps: the lesson's experiment over a grid of parameter values × many seeds.

Introduced in notebook 06. One run per setting answers nothing (a seed succeeds or fails by
luck), so a sweep runs every combination of the grid's values with every seed, and
:func:`sweep_summary` turns the runs into success rates and generations to target.

Each finished run is appended to a results file (JSON lines, one run per line) the moment it
completes. Started again with the same file, a sweep skips every run already in it, so an
interrupted or crashed sweep loses no finished run. A run that raises is recorded with its
error, and the sweep goes on. Where the runs go is :mod:`neuroevo_utils.scheduling`'s choice:
``serial``, ``processes``, or ``dask`` (a ``LocalCluster``, or a cluster at an address).
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .experiment import run_experiment
from .methods import for_algorithm, resolve_fitness
from .parameters import DEFAULTS, PROBLEMS, validate, validate_all
from .scheduling import results_as_completed
from .uncertainty import independent_test, success_summary, verdict

EXERCISES: dict[str, dict[str, list[Any]]] = {
    "samples": {"number_samples": [100, 250, 500, 1000]},
    "rates": {"CXPB": [0.2, 0.4, 0.6, 0.8], "MUTPB": [0.1, 0.3, 0.5, 0.7]},
    "middle layer": {"middle_layer": [5, 10, 15, 25]},
    "problems": {"problem": list(PROBLEMS)},
}
"""The lesson's three exercises and "other problems", as grids: notebook 06 sweeps each, and
``benchmarks/full_study.py`` sweeps them at the lesson's size for the README."""


def sweep_grid(
    grid: Mapping[str, Sequence[Any]],
    seeds: Iterable[int] = range(20),
    base: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Every combination of ``grid``'s values with every seed, as full parameter dicts.

    ``grid`` maps parameter names to the values to try, e.g. ``{"CXPB": [0.2, 0.6]}``;
    ``base`` sets the parameters the grid does not vary (default: the lesson's); those a run's
    algorithm does not use stay at their defaults for it. Every value is checked here, so a
    bad one fails before any run starts, naming its range.
    """
    grid = {name: list(values) for name, values in grid.items()}
    if "seed" in grid:
        raise ValueError("give seeds with seeds=, not in the grid")
    for name, values in grid.items():
        if not values:
            raise ValueError(f"the grid gives no values for {name}")
        for value in values:
            validate(name, value)
    fixed = {**DEFAULTS, **validate_all(base or {})}
    seeds = [validate("seed", seed) for seed in seeds]
    if not seeds:
        raise ValueError("a sweep needs at least one seed")
    runs = []
    for combination in itertools.product(*grid.values()):
        varied = validate_all(dict(zip(grid, combination, strict=True)))
        # ``base`` sets what the grid does not vary, for the algorithms that use it: one that
        # does not (CMA-ES and MU) runs with the default, recorded as unused.
        values = {**for_algorithm({**fixed, **varied}), **varied}
        for seed in seeds:
            runs.append({**values, "seed": seed})
    return runs


def run_key(values: Mapping[str, Any]) -> str:
    """What identifies a run in a results file: its parameter values, as sorted JSON.

    ``fitness="auto"`` counts as the fitness it stands for, which is what a row records.
    """
    key = {name: values[name] for name in sorted(DEFAULTS)}
    key["fitness"] = resolve_fitness(key["algorithm"], key["fitness"])
    return json.dumps(key, sort_keys=True)


def sweep_run(values: Mapping[str, Any]) -> dict[str, Any]:
    """One run of a sweep: the command line's JSON summary, plus ``error`` (None if it ran).

    A run that raises becomes a row of its parameters and the error, so that the sweep goes
    on and the failure is on record.
    """
    try:
        row = run_experiment(values).summary()
        row["error"] = None
    except Exception as error:  # any failure of one run is recorded, and the sweep goes on
        row = {**values, "error": f"{type(error).__name__}: {error}"}
    return row


def load_results(path: str | Path) -> pd.DataFrame:
    """The runs recorded in a results file (one JSON object per line)."""
    return pd.DataFrame(_read_rows(Path(path)))


def _read_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of a results file. A last line cut short (a crash while writing it) is not
    a row: the file is rewritten without it, and that run will be run again."""
    if not path.exists():
        return []
    text = path.read_text()
    rows, lines = [], text.splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            if number != len(lines):  # only the last line can be cut short
                raise ValueError(f"{path}, line {number}: not a JSON object") from None
    if text and not text.endswith("\n"):
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return rows


def sweep(
    grid: Mapping[str, Sequence[Any]],
    seeds: Iterable[int] = range(20),
    *,
    base: Mapping[str, Any] | None = None,
    results: str | Path | None = None,
    scheduler: str = "serial",
    workers: int | None = None,
    dask_address: str | None = None,
    progress: bool | TextIO = True,
) -> pd.DataFrame:
    """Run the lesson's experiment for every combination in ``grid`` × ``seeds``.

    Returns one row per run, in grid order, with every key of the command line's JSON summary
    and ``error``. ``results``: a JSON-lines file each finished run is appended to; runs
    already in it are not run again. ``scheduler``, ``workers`` and ``dask_address``: where
    the runs go (:func:`neuroevo_utils.scheduling.results_as_completed`; the address may also
    come from ``$NEUROEVO_DASK_ADDRESS``). ``progress``: a bar of runs done / total, on
    stderr (stdout in a notebook), or on the stream given.
    """
    planned = sweep_grid(grid, seeds, base)
    path = None if results is None else Path(results)
    done = {}
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        done = {run_key(row): row for row in _read_rows(path)}
    to_run = [values for values in planned if run_key(values) not in done]
    with open(path, "a") if path is not None else contextlib.nullcontext() as out:
        for index, row in results_as_completed(
            sweep_run, to_run, scheduler, workers=workers, address=dask_address,
            progress=progress, done_before=len(planned) - len(to_run), name="sweep",
        ):  # fmt: skip
            done[run_key(to_run[index])] = row
            if out is not None:
                out.write(json.dumps(row) + "\n")
                out.flush()
    return pd.DataFrame([done[run_key(values)] for values in planned])


def sweep_summary(runs: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Per value of ``by``, in the order the values first appear (the grid's): runs, targets
    reached, runs that raised (they count as runs that did not reach it), success rate with
    its 95% interval, and the median generations and evaluations of the runs that reached
    their target (:func:`~neuroevo_utils.uncertainty.success_summary`, as the race's)."""
    runs = runs.copy()
    ok = runs["error"].isna() if "error" in runs else pd.Series(True, index=runs.index)
    runs["reached"] = ok & (runs["train_accuracy"] >= runs["target_accuracy"])
    runs["raised"] = ~ok
    medians = {"median generations": "generations", "median evaluations": "evaluations"}
    summary = success_summary(runs, by, medians)
    summary.insert(2, "errors", runs.groupby(list(by), sort=False)["raised"].sum())
    return summary.reset_index()


def compare_extremes(summary: pd.DataFrame, parameter: str) -> str:
    """One sentence: the settings of ``parameter`` with the most and the fewest successes
    (a :func:`sweep_summary` by it), and Fisher's exact test of the two. Settings are
    separate runs, so the test is for independent samples."""
    ranked = summary.sort_values("success rate", kind="stable").to_dict("records")
    low, high = ranked[0], ranked[-1]
    p_value = independent_test(high["reached"], high["runs"], low["reached"], low["runs"])
    most, fewest = f"{parameter} = {high[parameter]}", f"{parameter} = {low[parameter]}"
    return (f"most successes {most} ({high['reached']} of {high['runs']}), fewest {fewest} "
            f"({low['reached']} of {low['runs']}): "
            f"{verdict(p_value, most, fewest, 'reaches the target more often than')}")  # fmt: skip


def plot_sweep(summary: pd.DataFrame, parameter: str, ax: Axes, title: str = "") -> Axes:
    """Success rate (bars, left axis) and median generations to target of the successful
    runs (line, right axis) for each value of ``parameter`` (a :func:`sweep_summary` by it)."""
    labels = [str(v) for v in summary[parameter]]
    positions = np.arange(len(labels))
    numeric = pd.api.types.is_numeric_dtype(summary[parameter])
    ax.bar(positions, summary["success rate"], color="C0", alpha=0.7, label="success rate")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("success rate", color="C0")
    if numeric:
        ax.set_xticks(positions, labels)
    else:  # names: slanted, so that long ones do not run into each other
        ax.set_xticks(positions, labels, rotation=25, ha="right", fontsize=9)
    ax.set_xlabel(parameter)
    generations = ax.twinx()
    # a line joins numbers in order; between names it would suggest an order there is not
    generations.plot(positions, summary["median generations"], "o-" if numeric else "o",
                     color="C3", label="median generations (successful runs)")  # fmt: skip
    generations.set_ylabel("median generations to target", color="C3")
    generations.set_ylim(bottom=0)
    bars, line = ax.get_legend_handles_labels(), generations.get_legend_handles_labels()
    # under the axes, so that it never hides a bar or a point
    ax.figure.legend(bars[0] + line[0], bars[1] + line[1], loc="outside lower center", ncol=2,
                     fontsize=8, frameon=False)  # fmt: skip
    if title:
        ax.set_title(title)
    return ax


def plot_sweep_heatmap(
    summary: pd.DataFrame, x: str, y: str, ax: Axes, title: str = ""
) -> Axes:
    """Success rate for every pair of values of ``x`` and ``y`` (a summary by both)."""
    table = summary.pivot(index=y, columns=x, values="success rate").sort_index(ascending=False)
    image = ax.imshow(table.to_numpy(float), vmin=0, vmax=1, cmap="viridis", aspect="auto")
    ax.set_xticks(range(table.shape[1]), [f"{v:g}" for v in table.columns])
    ax.set_yticks(range(table.shape[0]), [f"{v:g}" for v in table.index])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    for (row, column), rate in np.ndenumerate(table.to_numpy(float)):
        ax.text(column, row, f"{rate:.2f}", ha="center", va="center", fontsize=9,
                color="white" if rate < 0.6 else "black")  # fmt: skip
    ax.figure.colorbar(image, ax=ax, shrink=0.85, label="success rate")
    if title:
        ax.set_title(title)
    return ax
