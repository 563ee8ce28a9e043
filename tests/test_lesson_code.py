"""The lesson's code lives in the notebooks' cells and, identically, in the package.

Notebooks 03, 04, 05 and 07 define the network, the toolbox, the loop, the loss toolbox, the
elitist GA's generations, CMA-ES's generation, the threshold network and the evolution
strategy where
the reader can read and edit them; the package keeps the same code for later notebooks and the
command line. These tests fail as soon as the two drift apart.
"""

import ast
import inspect
import json
import random
from pathlib import Path

import numpy as np
import pytest
from deap import algorithms, tools

import neuroevo_utils
from neuroevo_utils import evolve, load_data
from neuroevo_utils import network as network_module
from neuroevo_utils.methods import cma_es, elitist, evolution_strategy, loss_toolbox
from neuroevo_utils.methods import toolbox as toolbox_module
from neuroevo_utils.methods.toolbox import build_toolbox

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

SHARED = {
    "03_numpy_mlp.ipynb": [network_module.sigmoid, network_module.NeuralNetwork],
    "04_genetic_algorithm_training.ipynb": [toolbox_module.build_toolbox],
    "05_reliable_neuroevolution.ipynb": [
        loss_toolbox.build_loss_toolbox,
        elitist.elitist_generations,
        cma_es.cma_es_generation,
    ],
    "07_when_to_evolve_a_network.ipynb": [
        network_module.ThresholdNetwork,
        evolution_strategy.EvolutionStrategy,
    ],
}
"""What each notebook teaches in its own cells, and the package's copy of it."""


def definitions(notebook: str) -> dict[str, str]:
    """Top-level ``def`` and ``class`` statements in the notebook's code cells, by name."""
    found = {}
    for cell in json.loads((NOTEBOOKS / notebook).read_text())["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        for node in ast.parse(source).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                found[node.name] = ast.get_source_segment(source, node)
    return found


@pytest.mark.parametrize(
    ("notebook", "shared"),
    [(notebook, obj) for notebook, objects in SHARED.items() for obj in objects],
    ids=lambda x: x if isinstance(x, str) else x.__name__,
)
def test_the_notebook_defines_the_packages_code_word_for_word(notebook, shared):
    cells = definitions(notebook)
    assert shared.__name__ in cells, f"{notebook} should define {shared.__name__} in a cell"
    assert cells[shared.__name__] == inspect.getsource(shared).rstrip()


@pytest.mark.parametrize("notebook", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_no_notebook_redefines_a_package_name_differently(notebook):
    """A notebook may show a helper's code, but then it must be the package's code."""
    for name, source in definitions(notebook).items():
        packaged = getattr(neuroevo_utils, name, None)
        if packaged is not None:
            assert source == inspect.getsource(packaged).rstrip(), name


def test_notebook_04s_loop_is_the_lesson_engine():
    """The loop written out in notebook 04 and engine "lesson" make the same run."""
    namespace = {"algorithms": algorithms, "tools": tools}
    exec(definitions("04_genetic_algorithm_training.ipynb")["lesson_loop"], namespace)
    X, Y = load_data("moons", 100, 1, random_state=2)
    random.seed(2)
    best, generations = namespace["lesson_loop"](
        build_toolbox(X, Y, 5), MU=40, NGEN=100, RGEN=3, CXPB=0.6, MUTPB=0.3
    )
    result = evolve(X, Y, MU=40, NGEN=100, RGEN=3, seed=2, engine="lesson")
    assert generations == result.generations
    np.testing.assert_array_equal(np.array(best), result.best_individual)
