"""Studies: methods x problems x seeds x a grid of settings, one row per run.

Introduced in notebook 05 (its race) and used by notebooks 06 (the lesson's exercises as
sweeps) and 07 (threshold networks, digits). One run per setting answers nothing — a seed
succeeds or fails by luck — so a study runs every combination with every seed.
:func:`run_study` plans every run as :class:`~neuroevo_utils.settings.Settings` first, so a
combination any run would refuse is refused before anything starts; then runs them where
``scheduler`` says (:mod:`neuroevo_utils.scheduling`) and returns one row per run: its
settings, what it reached and what it spent. :func:`summary` reads the rows with their
uncertainty (:mod:`neuroevo_utils.uncertainty`); every comparison the series draws from them
is a registered claim, tested in :mod:`neuroevo_utils.claims`.

* A **race** names its ``methods`` ("lesson GA", "CMA-ES + loss", ...: the registry's
  labels). Every method runs on the same problems and seeds — the same data and start for a
  seed. Settings the race shares (``base``) that a method or problem ignores stay at their
  defaults for it, and every method gets the genetic algorithms' budget
  (:func:`fair_budget`).
* A **sweep** varies settings on a ``grid`` (no ``methods``: the settings name the method),
  every value given as the runs will use it. Each finished run can be appended to a
  results file the moment it completes; started again with the same file, a study skips
  the runs already there (runs that failed are run again).
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pandas as pd

from .evolution import run
from .experiment import Experiment
from .methods import labelled
from .parameters import PROBLEMS, validate
from .paths import check_output_path
from .problems import make_problem, reachable_target
from .scheduling import results_as_completed
from .settings import Settings, SettingsError
from .uncertainty import (
    success_summary,
)

EXERCISES: dict[str, dict[str, list[Any]]] = {
    "samples": {"number_samples": [100, 250, 500, 1000]},
    "rates": {"CXPB": [0.2, 0.4, 0.6, 0.8], "MUTPB": [0.1, 0.3, 0.5, 0.7]},
    "middle layer": {"middle_layer": [5, 10, 15, 25]},
    "problems": {"problem": list(PROBLEMS)},
}
"""The lesson's three exercises and "other problems", as grids: notebook 06 sweeps each, and
``benchmarks/full_study.py`` sweeps them at the lesson's size for the README."""


@dataclass(frozen=True)
class PlannedRun:
    """One run of a study: its method's name, its settings, and how it is judged."""

    method: str
    settings: Settings
    target: float
    """The accuracy that counts as reaching the goal: on the training points, or with
    ``held_out`` on the held-out points at a check."""
    held_out: bool = False
    check_every: int = 0
    early_stop: bool = True

    def key(self) -> str:
        """What identifies the run in a results file."""
        return json.dumps({"method": self.method, "target": self.target, "held_out": self.held_out,
                           "check_every": self.check_every, "early_stop": self.early_stop,
                           **self.settings.values()}, sort_keys=True)  # fmt: skip


def fair_budget(
    settings: Settings, genetic: Settings, max_steps: int | None = None
) -> dict[str, Any]:
    """What a method in a race may spend, given the genetic algorithms' settings ``genetic``.

    Gradient descent gets ``max_steps`` steps (or epochs), if given. With an evaluation
    budget (``evaluations`` > 0) every evolutionary method has it, checked after each
    generation. Otherwise a method that samples its own population (CMA-ES, whose restarts
    double it) gets the genetic algorithms' MU x NGEN x RGEN evaluations as its budget.
    """
    method = settings.method
    if method.gradient:
        return {} if max_steps is None else {"NGEN": max_steps, "RGEN": 1, "evaluations": 0}
    if settings.evaluations:
        return {"NGEN": settings.evaluations, "RGEN": 1}
    if "MU" in method.unused:
        budget = genetic.MU * genetic.NGEN * genetic.RGEN
        return {"NGEN": budget, "RGEN": 1, "evaluations": budget}
    return {}


def plan(
    problems: Sequence[str] | None = None,
    methods: Sequence[str] | None = None,
    seeds: Iterable[int] = range(20),
    *,
    grid: Mapping[str, Sequence[Any]] | None = None,
    base: Mapping[str, Any] | None = None,
    target: float | str | None = None,
    max_steps: int | None = None,
    check_every: int = 0,
    held_out_target: float | None = None,
    early_stop: bool = True,
) -> list[PlannedRun]:
    """Every run of a study, each as checked :class:`~neuroevo_utils.settings.Settings`.

    ``problems`` (default: ``base``'s, or the lesson's) x every combination of ``grid``'s
    values x ``seeds`` x ``methods`` (default: ``base``'s algorithm and fitness). ``target``:
    the training accuracy that counts as success (default ``target_accuracy``);
    ``"auto"``: per problem and seed, one the network can reach (100% where the classes never
    overlap, else the linear baseline's). ``held_out_target``: succeed (and stop) at a
    held-out check (``check_every`` evaluations; gradient descent checks every step) this
    accurate. Any value or combination a run would refuse is refused here, in one line,
    before any run starts; so is data that cannot be split as asked.
    """
    grid = {name: list(values) for name, values in (grid or {}).items()}
    if "seed" in grid:
        raise SettingsError("give seeds with seeds=, not in the grid", "seed")
    for name, values in grid.items():
        if not values:
            raise SettingsError(f"the grid gives no values for {name}", name)
        for value in values:
            try:
                validate(name, value)
            except ValueError as error:
                raise SettingsError(str(error), name) from None
    seeds = list(seeds)
    if not seeds:
        raise SettingsError("a study needs at least one seed", "seed")
    for seed in seeds:
        try:
            validate("seed", seed)
        except ValueError as error:
            raise SettingsError(str(error), "seed") from None
    base = dict(base or {})
    shared_by_study = {"seed": "seeds=", "problem": "problems=" if problems is not None else None,
                       "algorithm": "methods=" if methods is not None else None,
                       "fitness": "methods=" if methods is not None else None}  # fmt: skip
    for name, instead in shared_by_study.items():
        if name in base and instead is not None:
            raise SettingsError(f"give {name} with {instead}, not in base", name)
    problem_names = list(problems) if problems is not None else [None]  # base's, or the grid's
    method_names = list(methods) if methods is not None else [None]
    runs, targets = [], {}
    for problem, combination, seed, method in itertools.product(
        problem_names, itertools.product(*grid.values()), seeds, method_names
    ):
        own = {**dict(zip(grid, combination, strict=True)), "seed": seed}
        if problem is not None:
            own["problem"] = problem
        if methods is not None:  # the race's own budget: what its genetic algorithms get
            genetic = Settings.of({**base, **own})
            own.update(labelled(method))
        settings = Settings.sharing(base, own)
        if methods is not None:
            settings = settings.but(**fair_budget(settings, genetic, max_steps))
        data = (settings.problem, settings.number_samples, settings.difficulty, settings.seed,
                settings.test_size, settings.middle_layer, settings.activation)  # fmt: skip
        if data not in targets:
            targets[data] = _target(settings, target)
        if targets[data] != settings.target_accuracy:
            settings = settings.but(target_accuracy=targets[data])
        label = method or settings.method.label(settings.fitness)
        checks = (1 if settings.method.gradient else check_every) if check_every else 0
        runs.append(PlannedRun(
            label, settings, held_out_target if held_out_target is not None else targets[data],
            held_out=held_out_target is not None, check_every=checks, early_stop=early_stop,
        ))  # fmt: skip
    return runs


def _target(settings: Settings, target: float | str | None) -> float:
    """The training target of a run on this data, after checking the data can be made."""
    try:
        problem = make_problem(settings)
    except ValueError as error:
        raise SettingsError(f"problem {settings.problem!r}, seed {settings.seed}: {error}",
                            "test_size") from None  # fmt: skip
    if target == "auto":
        return reachable_target(problem, settings.seed)
    return (
        settings.target_accuracy if target is None else float(validate("target_accuracy", target))
    )


def run_planned(planned: PlannedRun) -> dict[str, Any]:
    """One run of a study: a row of its settings, what it reached and what it spent; a run
    that raises becomes a row of its settings and the error, so the study goes on."""
    settings = planned.settings
    row: dict[str, Any] = {"method": planned.method, **settings.values()}
    try:
        problem = make_problem(settings)
        result = run(problem, settings, early_stop=planned.early_stop,
                     check_every=planned.check_every,
                     held_out_target=planned.target if planned.held_out else None)  # fmt: skip
        row.update(Experiment(settings, problem, result).summary())
        if planned.held_out:
            reached = any(c.test_accuracy >= planned.target for c in result.checks)
        else:
            reached = result.train_accuracy >= planned.target
        row.update(target=round(planned.target, 3), reached=bool(reached), error=None)
        if planned.check_every:
            row["checks"] = [[c.work, round(c.seconds, 4), round(c.test_accuracy, 4)]
                             for c in result.checks]  # fmt: skip
    except Exception as error:  # one failed run is recorded, and the study goes on
        row.update(target=round(planned.target, 3), reached=False,
                   error=f"{type(error).__name__}: {error}")  # fmt: skip
    return row


def run_study(
    problems: Sequence[str] | None = None,
    methods: Sequence[str] | None = None,
    seeds: Iterable[int] = range(20),
    *,
    grid: Mapping[str, Sequence[Any]] | None = None,
    base: Mapping[str, Any] | None = None,
    target: float | str | None = None,
    max_steps: int | None = None,
    check_every: int = 0,
    held_out_target: float | None = None,
    early_stop: bool = True,
    results: str | Path | None = None,
    scheduler: str = "serial",
    workers: int | None = None,
    dask_address: str | None = None,
    progress: bool | TextIO = False,
) -> pd.DataFrame:
    """Run a study (see :func:`plan` for what it runs); one row per run, in plan order.

    ``results``: a JSON-lines file each finished run is appended to; runs already in it
    without an error are not run again. ``scheduler``, ``workers``, ``dask_address``: where
    the runs go (:func:`~neuroevo_utils.scheduling.results_as_completed`); the rows are the
    same whichever runs them. ``progress``: a bar of runs done / total.
    """
    path = None if results is None else check_output_path(results)
    planned = plan(problems, methods, seeds, grid=grid, base=base, target=target,
                   max_steps=max_steps, check_every=check_every,
                   held_out_target=held_out_target, early_stop=early_stop)  # fmt: skip
    done = {}
    if path is not None:
        done = {row["key"]: row for row in _read_rows(path) if row.get("error") is None}
    to_run = [p for p in planned if p.key() not in done]
    with open(path, "a") if path is not None else contextlib.nullcontext() as out:
        for index, row in results_as_completed(
            run_planned, to_run, scheduler, workers=workers, address=dask_address,
            progress=progress, done_before=len(planned) - len(to_run), name="runs",
        ):  # fmt: skip
            done[to_run[index].key()] = row
            if out is not None:
                out.write(json.dumps({"key": to_run[index].key(), **row}) + "\n")
                out.flush()
    rows = [{k: v for k, v in done[p.key()].items() if k != "key"} for p in planned]
    return pd.DataFrame(rows)


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
    """The lesson's experiment for every combination in ``grid`` x ``seeds`` (notebook 06):
    :func:`run_study` with a grid, ``base`` setting what the grid does not vary."""
    return run_study(grid=grid, seeds=seeds, base=base, results=results, scheduler=scheduler,
                     workers=workers, dask_address=dask_address, progress=progress)  # fmt: skip


def load_results(path: str | Path) -> pd.DataFrame:
    """The runs recorded in a results file (one JSON object per line)."""
    return pd.DataFrame([{k: v for k, v in row.items() if k != "key"}
                         for row in _read_rows(Path(path))])  # fmt: skip


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


# -- reading the rows -----------------------------------------------------------------


def summary(rows: pd.DataFrame, by: Sequence[str] = ("method",)) -> pd.DataFrame:
    """Per value of ``by``, in the order values first appear: runs, targets reached, runs
    that failed (counted as not reaching it), success rate with its 95% interval, and over
    the runs that reached their target the median generations, work and seconds; the work's
    unit; and the median held-out accuracy if any was measured."""
    by = list(by)
    rows = rows.assign(
        reached=rows["reached"].astype(bool),
        failed=rows["error"].notna() if "error" in rows else False,
    )
    medians = {"median generations": "generations", "median work": "evaluations",
               "median seconds": "seconds"}  # fmt: skip
    table = success_summary(rows, by, {k: v for k, v in medians.items() if v in rows})
    groups = rows.groupby(by, sort=False)
    table.insert(2, "errors", groups["failed"].sum())
    for name in ("median work", "median generations"):
        if name in table:
            table[name] = table[name].round(0)
    if "median seconds" in table:
        table["median seconds"] = table["median seconds"].round(3)
    if "work_unit" in rows:
        table["work unit"] = groups["work_unit"].first()
    if "test_accuracy" in rows and rows["test_accuracy"].notna().any():
        table["median held-out accuracy"] = groups["test_accuracy"].median().round(3)
    return table.reset_index()


def paired(rows: pd.DataFrame, a: str, b: str, column: str = "reached", by: str = "method",
           on: Sequence[str] = ("problem", "seed")) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """``a``'s and ``b``'s (values of ``by``) ``column``, row for row on the same ``on``."""
    table = rows[rows[by].isin([a, b])].pivot_table(
        index=list(on), columns=by, values=column, aggfunc="first"
    )
    if a not in table or b not in table:
        raise ValueError(f"no runs of {a if a not in table else b!r} to compare")
    table = table[[a, b]].dropna()
    return table[a].to_numpy(), table[b].to_numpy()


def curves(rows: pd.DataFrame) -> pd.DataFrame:
    """Every held-out check of every run (``check_every``), one row each: the run's method,
    seed and size, and the check's work (``evaluations``, in ``work_unit``), seconds and
    held-out accuracy."""
    records = []
    for row in rows.to_dict("records"):
        for work, seconds, held_out in row.get("checks") or []:
            records.append({"method": row["method"], "seed": row["seed"],
                            "middle_layer": row["middle_layer"], "genes": row["genes"],
                            "evaluations": work, "work_unit": row["work_unit"],
                            "seconds": seconds, "test_accuracy": held_out})  # fmt: skip
    return pd.DataFrame(records)


def first_to_target(checks: pd.DataFrame, target: float) -> pd.DataFrame:
    """Each run's first check at ``target`` held-out accuracy or above, or its last check
    if it never got there; ``reached`` says which (``checks``: :func:`curves`)."""
    checks = checks.assign(reached=checks["test_accuracy"] >= target)
    runs = checks.groupby(["method", "seed", "middle_layer"], sort=False)
    first_hit = runs["reached"].idxmax()  # a run's first check if it never reached the target
    last = runs["reached"].apply(lambda reached: reached.index[-1])
    chosen = [hit if checks.at[hit, "reached"] else end
              for hit, end in zip(first_hit, last, strict=True)]  # fmt: skip
    return checks.loc[chosen].reset_index(drop=True)


def ratio_medians(rows: pd.DataFrame, a: str, b: str, column: str = "seconds",
                  over: str = "genes") -> pd.Series:  # fmt: skip
    """How many times ``a``'s ``column`` to its target is ``b``'s, seed by seed at each value
    of ``over`` where both reached it: the median per value (notebook 07; whether it rises
    is the claim ``07 scaling``, tested in :mod:`neuroevo_utils.claims`). Empty where they
    never both reached it (a small study); a method with no runs at all is an error."""
    methods = set(rows["method"])
    missing = [name for name in (a, b) if name not in methods]
    if missing:
        raise ValueError(f"no runs of {missing[0]!r}; methods: {', '.join(sorted(methods))}")
    table = rows[rows["reached"]].pivot_table(index=[over, "seed"], columns="method",
                                              values=column)  # fmt: skip
    if a not in table or b not in table:
        return pd.Series(dtype=float, name=column).rename_axis(over)
    both = table[[a, b]].dropna()
    return (both[a] / both[b]).groupby(level=over).median().round(1)


def problem_names(rows: pd.DataFrame) -> list[str]:
    """The problems of a study's rows, in the order they first appear."""
    return list(dict.fromkeys(rows["problem"]))


__all__ = [
    "EXERCISES",
    "PlannedRun",
    "check_output_path",
    "curves",
    "fair_budget",
    "first_to_target",
    "load_results",
    "paired",
    "plan",
    "ratio_medians",
    "run_planned",
    "run_study",
    "summary",
    "sweep",
]
