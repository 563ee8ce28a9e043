"""An exception inside a slider callback must fail the notebook run, not hide in widget state."""

import subprocess
import sys

import nbformat
import pytest


def run_nbval_on(tmp_path, code):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(code)]
    path = tmp_path / "probe.ipynb"
    nbformat.write(notebook, path)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-current-env",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "--rootdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )


@pytest.mark.parametrize(
    ("body", "fails"),
    [("return difficulty", False), ("return 1 / (difficulty - difficulty)", True)],
)
def test_an_error_in_an_explore_callback_fails_the_run(tmp_path, body, fails):
    code = (
        "from neuroevo_utils.widgets import explore\n"
        "def draw(difficulty):\n"
        f"    {body}\n"
        "explore(draw, {'difficulty': 2})\n"
    )
    completed = run_nbval_on(tmp_path, code)
    assert (completed.returncode != 0) == fails, completed.stdout[-2000:]
    assert ("ZeroDivisionError" in completed.stdout) == fails
