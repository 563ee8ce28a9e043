"""Long studies, read from committed results unless the reader asks to recompute them.

Introduced in notebooks 05 (the race) and 06 (the sweeps). A study of hundreds of runs takes
minutes; a reader who opens the notebook should see its results at once. So each study's
rows are committed in ``notebooks/results/NAME.json`` together with what made them: the
arguments of :func:`~neuroevo_utils.study.run_study`, the package version, the commit and
the libraries. The
notebook's study cell sets ``RECOMPUTE = True`` to run it again at the values it gives.

``tests/test_studies.py`` recomputes a slice of every committed study (its first seed) and
compares it with the committed rows, so a change to the code that changes the results cannot
leave a stale file behind; ``python3 dev.py studies`` recomputes every file in full.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import json
import platform
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .study import run_study

RESULTS = Path(__file__).resolve().parents[1] / "notebooks" / "results"
"""Where the committed studies live (the notebooks read them from there)."""

IGNORED_COLUMNS = ("seconds", "checks_seconds")
"""What depends on the machine: never compared (a check's seconds are its second number)."""


def study(
    name: str,
    arguments: Mapping[str, Any],
    *,
    recompute: bool = False,
    scheduler: str = "serial",
    **where: Any,
) -> pd.DataFrame:
    """The rows of study ``name``: :func:`~neuroevo_utils.study.run_study` with
    ``arguments``, read from its committed file, or run now if ``recompute`` (on
    ``scheduler``, with a progress bar).

    Reading checks that the file was made with these ``arguments``; if not, the error says
    what differs and that ``RECOMPUTE = True`` runs the study at these values.
    """
    arguments = _plain(arguments)
    if recompute:
        return run_study(**arguments, scheduler=scheduler, **{"progress": True, **where})
    saved = load_study(name)
    if saved["arguments"] != arguments:
        differ = sorted(
            key for key in set(arguments) | set(saved["arguments"])
            if arguments.get(key) != saved["arguments"].get(key)
        )  # fmt: skip
        raise ValueError(
            f"the committed results of {name!r} were made with other values "
            f"({', '.join(differ)}); set RECOMPUTE = True to run the study with these"
        )
    return pd.DataFrame(saved["rows"])


def load_study(name: str) -> dict[str, Any]:
    """The committed file of study ``name``, parsed: arguments, made_with, rows."""
    path = RESULTS / f"{name}.json"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in RESULTS.glob("*.json"))) or "none"
        raise FileNotFoundError(
            f"no committed results for study {name!r} in {RESULTS} (known: {known}); set "
            "RECOMPUTE = True to run it"
        )
    return json.loads(path.read_text())


def save_study(name: str, arguments: Mapping[str, Any], rows: pd.DataFrame,
               folder: Path | None = None) -> Path:  # fmt: skip
    """Write study ``name``'s rows with what made them into ``folder`` (by default
    :data:`RESULTS`); returns the path."""
    folder = RESULTS if folder is None else folder
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    record = {
        "study": name,
        "arguments": _plain(arguments),
        "made_with": made_with(),
        "rows": json.loads(rows.to_json(orient="records")),
    }
    path.write_text(json.dumps(record, indent=1) + "\n")
    return path


def made_with() -> dict[str, Any]:
    """The package version, the commit (and whether the checkout had changes outside the
    results), the libraries that decide the numbers, and the date."""
    root = RESULTS.parents[1]
    commit = _git(root, "rev-parse", "HEAD")
    # the results themselves are not code: rewriting several studies in a row changes them
    changed = _git(root, "status", "--porcelain", "--untracked-files=no", "--", ".",
                   f":!{RESULTS.relative_to(root)}")  # fmt: skip
    libraries = ("numpy", "scikit-learn", "deap")
    return {
        "neuroevo": importlib.metadata.version("neuroevo"),
        "commit": commit,
        "uncommitted_changes": bool(changed) if commit else None,
        "python": platform.python_version(),
        **{name: importlib.metadata.version(name) for name in libraries},
        "date": datetime.date.today().isoformat(),
    }


def first_seed_slice(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The committed rows of the study's first seed (and of each grid's first value), and
    the same runs recomputed now (machine-dependent values dropped from both), for the
    staleness test."""
    saved = load_study(name)
    arguments = dict(saved["arguments"])
    committed = pd.DataFrame(saved["rows"])
    first = arguments["seeds"][0]
    arguments["seeds"] = [first]
    committed = committed[committed["seed"] == first]
    grid = dict(arguments.get("grid") or {})
    for parameter, values in grid.items():
        grid[parameter] = values[:1]
        committed = committed[committed[parameter] == values[0]]
    if grid:
        arguments["grid"] = grid
    fresh = run_study(**arguments, progress=False)
    return _comparable(committed.reset_index(drop=True)), _comparable(fresh)


def _comparable(rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows.drop(columns=[c for c in IGNORED_COLUMNS if c in rows])
    if "checks" in rows:  # each check is [work, seconds, held-out accuracy]: drop the seconds
        rows = rows.assign(checks=[[[w, a] for w, _, a in checks or []]
                                   for checks in rows["checks"]])  # fmt: skip
    return pd.DataFrame(json.loads(rows.to_json(orient="records")))  # as stored: JSON types


def _plain(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """``arguments`` as JSON gives them back (ranges and tuples become lists)."""
    return json.loads(json.dumps(dict(arguments), default=list))


def _git(root: Path, *command: str) -> str | None:
    try:
        done = subprocess.run(["git", *command], cwd=root, capture_output=True, text=True)
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def recompute_committed(names: list[str] | None = None, scheduler: str = "processes") -> None:
    """Run every committed study (or those named) again with its recorded arguments and
    rewrite its file: what ``python3 dev.py studies`` does after a change to the results."""
    for path in sorted(RESULTS.glob("*.json")):
        if names and path.stem not in names:
            continue
        saved = json.loads(path.read_text())
        rows = run_study(**saved["arguments"], scheduler=scheduler, progress=True)
        save_study(path.stem, saved["arguments"], rows)
        print(f"{path.stem}: {len(rows)} rows", flush=True)


if __name__ == "__main__":
    import sys

    recompute_committed(sys.argv[1:] or None)
