"""An exception inside a slider callback must fail the notebook run, not hide in widget state."""

import nbformat
import pytest

pytestmark = pytest.mark.notebooks


@pytest.mark.parametrize(
    ("body", "fails"),
    [("return difficulty", False), ("return 1 / (difficulty - difficulty)", True)],
)
def test_an_error_in_an_explore_callback_fails_the_run(tmp_path, run_nbval, body, fails):
    code = (
        "from neuroevo_utils.widgets import explore\n"
        "def draw(difficulty):\n"
        f"    {body}\n"
        "explore(draw, {'difficulty': 2})\n"
    )
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(code)]
    path = tmp_path / "probe.ipynb"
    nbformat.write(notebook, path)
    completed = run_nbval(path)
    assert (completed.returncode != 0) == fails, completed.stdout[-2000:]
    assert ("ZeroDivisionError" in completed.stdout) == fails
