"""Copies of the notebooks with a smaller study, for tests that run them for another reason.

Notebooks 05, 06 and 07 run many trainings; their size is set in a cell tagged ``study``,
apart from the lesson's ``parameters``. The committed run (and nbval on the committed
notebooks) uses the real size; tests that execute a notebook to check something else (other
parameter values, the widgets in a browser) run a copy whose study cell is made tiny here.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

SMALL_STUDY = {
    "RECOMPUTE": True,  # run the study (small), rather than read the committed results
    "RACE_SEEDS": 2,
    "RACE_MU": 20,
    "RACE_GENERATIONS": 20,
    "BACKPROP_STEPS": 300,
    "RACE_SCHEDULER": "serial",
    "SWEEP_SEEDS": 2,
    "SWEEP_MU": 20,
    "SWEEP_GENERATIONS": 30,
    "SWEEP_SCHEDULER": "serial",
    "THRESHOLD_SEEDS": 2,
    "THRESHOLD_GENERATIONS": 20,
    "DIGITS_SEEDS": 2,
    "DIGITS_EVALUATIONS": 2_000,
    "DIGITS_EPOCHS": 20,
    "SCALING_LAYERS": [4, 8],
    "SCALING_SEEDS": 2,
    "SCALING_EVALUATIONS": 2_000,
    "SCALING_EPOCHS": 20,
    "STUDY_SCHEDULER": "serial",
}
"""What each study variable becomes in a copy; names not listed keep their value."""


def with_small_study(notebook: dict) -> dict:
    """``notebook`` (parsed JSON) with each assignment of its ``study`` cell made small."""
    for cell in notebook["cells"]:
        if "study" not in cell.get("metadata", {}).get("tags", []):
            continue
        lines = []
        for line in "".join(cell["source"]).splitlines():
            body = ast.parse(line).body if line.strip() else []
            name = body[0].targets[0].id if body and isinstance(body[0], ast.Assign) else None
            lines.append(f"{name} = {SMALL_STUDY[name]!r}" if name in SMALL_STUDY else line)
        cell["source"] = "\n".join(lines)
    return notebook


def copy_with_small_study(path: Path, destination: Path) -> Path:
    """Write the small-study copy of the notebook at ``path`` to ``destination``."""
    destination.write_text(json.dumps(with_small_study(json.loads(path.read_text()))))
    return destination
