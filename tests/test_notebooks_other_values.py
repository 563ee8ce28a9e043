"""Each notebook still runs end to end with other values in its parameters cell.

Like papermill: the `parameters` cell is replaced by values at the far ends of the slider
ranges (and another problem), and the notebook is executed by nbval. Checked outputs are
not compared here (they belong to the committed values); any error fails. A notebook's
``study`` cell (notebooks 05, 06) is made small: its size is not what is tested here.
"""

import json
from pathlib import Path

import pytest
from notebook_copies import with_small_study

pytestmark = pytest.mark.notebooks

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))

OTHER_VALUES = {
    "problem": "blobs",
    "number_samples": 1000,
    "difficulty": 5,
    "middle_layer": 25,
    "MU": 5,
    "NGEN": 100,
    "RGEN": 1,
    "CXPB": 0.9,
    "MUTPB": 0.05,
    "seed": 0,
    "engine": "numpy",
    "algorithm": "cma-es",
    "fitness": "accuracy",
}


def with_other_values(notebook):
    for cell in notebook["cells"]:
        text = "".join(cell["source"])
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            names = [line.split("=")[0].strip() for line in text.splitlines() if "=" in line]
            cell["source"] = "\n".join(f"{n} = {OTHER_VALUES[n]!r}" for n in names)
        elif cell["cell_type"] == "code":
            cell["source"] = text.replace("# NBVAL_CHECK_OUTPUT", "# NBVAL_IGNORE_OUTPUT")
    return notebook


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_with_other_parameter_values(path, tmp_path, run_nbval, no_leftovers):
    # no_leftovers: notebooks 05 and 06 start worker processes (a pool, a Dask cluster);
    # none may outlive the kernel that started them.
    copy = tmp_path / path.name
    notebook = with_small_study(with_other_values(json.loads(path.read_text())))
    copy.write_text(json.dumps(notebook))
    completed = run_nbval(copy)
    assert completed.returncode == 0, completed.stdout[-3000:]

