"""The notebooks' shape: names, parameter cells that mirror the spec, committed outputs.

(nbval, run on notebooks/ by the same pytest command, executes them.)
"""

import ast
import json
import re
from pathlib import Path

import pytest

from neuroevo_utils import DEFAULTS, PARAMETERS
from neuroevo_utils.widgets import RUN_THIS_CELL

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
SLIDER = re.compile(r'#@param \{type:"slider", min:(\S+), max:(\S+), step:(\S+)\}')
CHOICES = re.compile(r"#@param (\[.*\])")


def cells(path, kind="code"):
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == kind]


def source(cell):
    return "".join(cell["source"])


def test_the_notebooks_are_numbered_in_order_from_01():
    names = [p.name for p in NOTEBOOKS]
    assert len(names) >= 5
    for number, name in enumerate(names, start=1):
        assert re.fullmatch(rf"0{number}_[a-z0-9_]+\.ipynb", name), name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_mirrors_the_spec_at_the_lessons_defaults(path):
    tagged = [c for c in cells(path) if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    for line in source(tagged[0]).splitlines():
        (assignment,) = ast.parse(line).body
        name, value = assignment.targets[0].id, ast.literal_eval(assignment.value)
        spec = PARAMETERS[name]
        assert value == DEFAULTS[name], f"{name} should stay at the lesson's default"
        if slider := SLIDER.search(line):
            low, high, step = (float(v) for v in slider.groups())
            assert (low, high, step) == (spec.minimum, spec.maximum, spec.step), name
        if choices := CHOICES.search(line):
            assert tuple(ast.literal_eval(choices.group(1))) == spec.choices, name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_are_committed_and_plots_end_with_show(path):
    code_cells = cells(path)
    assert all(c["execution_count"] for c in code_cells), "execute the notebook before committing"
    figures = [c for c in code_cells if "image/png" in json.dumps(c["outputs"])]
    if "appendix" not in path.name:  # the appendix shows code and checks, not results
        assert figures, "readers on the web should see plots"
    for cell in code_cells:
        text = source(cell)
        if "plt.subplots" in text or re.search(r"^(show_predictions|plot_data)\(", text, re.M):
            assert text.rstrip().endswith("plt.show()"), text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_widget_outputs_read_well_before_the_cell_is_run(path):
    """A freshly opened notebook, or the web, shows a widget's text form: one plain line."""
    for cell in cells(path):
        for output in cell["outputs"]:
            data = output.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data:
                (line,) = data["text/plain"] if isinstance(data["text/plain"], list) else [
                    data["text/plain"]
                ]
                assert RUN_THIS_CELL in line and "children=" not in line, line


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_use_the_package_not_pasted_helpers(path):
    text = "\n".join(source(c) for c in cells(path))
    assert "from neuroevo_utils" in text
    assert "sys.path" not in text and not re.search(r"np\.int\b", text)
    assert "creator.create" not in text  # warns when re-run; the package defines the classes


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_has_a_goal_a_summary_and_exercises(path):
    prose = "\n".join(source(c) for c in cells(path, "markdown"))
    assert prose.startswith("# 0") and "**Goal.**" in prose
    assert "## Summary" in prose and "## Exercises" in prose
