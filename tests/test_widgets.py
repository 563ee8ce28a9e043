import ipywidgets as widgets
import pytest

from neuroevo_utils import PARAMETERS
from neuroevo_utils.widgets import (
    RUN_THIS_CELL,
    STALE,
    RunPanel,
    explore,
    parameter_widget,
    parameter_widgets,
    widget_values,
)


@pytest.mark.parametrize(
    "name", [n for n, p in PARAMETERS.items() if p.choices is None and p.minimum is not None]
)
def test_sliders_mirror_the_spec(name):
    spec = PARAMETERS[name]
    slider = parameter_widget(name)
    assert (slider.min, slider.max, slider.step, slider.value) == (
        spec.minimum,
        spec.maximum,
        spec.step,
        spec.default,
    )
    if name == "seed":  # 2**32 positions: a number box, not a slider
        assert isinstance(slider, widgets.BoundedIntText)
    else:
        assert isinstance(slider, widgets.IntSlider if spec.is_integer else widgets.FloatSlider)


def test_problem_is_a_dropdown_of_the_five_problems():
    dropdown = parameter_widget("problem", "moons")
    assert isinstance(dropdown, widgets.Dropdown)
    assert list(dropdown.options) == list(PARAMETERS["problem"].choices)
    assert dropdown.value == "moons"


def test_starting_values_are_validated():
    with pytest.raises(ValueError, match="MU must be an integer from 1 up"):
        parameter_widget("MU", 0)
    # fine in code, but a slider keeps the lesson's range
    with pytest.raises(ValueError, match=r"MU=2000 is off its slider \(5 to 1000 in steps of 5\)"):
        parameter_widget("MU", 2000)


def test_widget_values_round_trip():
    controls = parameter_widgets({"problem": "blobs", "number_samples": 250, "CXPB": 0.5})
    controls["number_samples"].value = 300
    assert widget_values(controls) == {"problem": "blobs", "number_samples": 300, "CXPB": 0.5}


def test_explore_calls_the_plain_function_now_and_on_every_change():
    calls = []
    box = explore(
        lambda problem, difficulty: calls.append((problem, difficulty)),
        {"problem": "moons", "difficulty": 2},
    )
    assert calls == [("moons", 2)]
    box.children[1].value = 4  # move the difficulty slider
    assert calls[-1] == ("moons", 4)


def test_run_panel_runs_with_current_values_on_click():
    runs = []
    panel = RunPanel({"MU": 10, "RGEN": 3}, runs.append)
    panel.controls["MU"].value = 20
    panel.button.click()
    panel.run_now()
    assert runs == [{"MU": 20, "RGEN": 3}] * 2


def test_a_control_changed_after_a_run_marks_the_run_out_of_date_until_the_next():
    panel = RunPanel({"MU": 10, "problem": "circles"}, lambda values: None, "Evolve")
    panel.controls["MU"].value = 20
    assert panel.stale.value == ""  # nothing shown yet: nothing out of date
    panel.run_now()
    assert panel.stale.value == ""
    panel.controls["problem"].value = "moons"
    assert STALE.format(button="Evolve") in panel.stale.value
    panel.run_now()
    assert panel.stale.value == ""


def test_run_panel_disables_its_button_during_a_run_even_one_that_fails():
    states = []
    panel = RunPanel({"MU": 10}, lambda values: states.append(panel.button.disabled))
    panel.run_now()
    assert states == [True] and not panel.button.disabled

    def fail(values):
        raise ValueError("bad run")

    failing = RunPanel({"MU": 10}, fail)
    with pytest.raises(ValueError, match="bad run"):  # outside IPython, Output re-raises
        failing.run_now()
    assert not failing.button.disabled


@pytest.mark.parametrize(
    "make",
    [
        lambda: explore(lambda difficulty: None, {"difficulty": 2}),
        lambda: RunPanel({"MU": 10}, print, description="Evolve"),
    ],
    ids=["explore", "RunPanel"],
)
def test_a_widget_not_yet_run_tells_the_reader_what_to_do(make):
    # The text form is what a freshly opened notebook (and the web) shows for the cell.
    text = make()._repr_mimebundle_()["text/plain"]
    assert RUN_THIS_CELL in text and "children=" not in text and len(text) <= 110


def test_controls_the_chosen_algorithm_ignores_are_disabled_with_a_note():
    from neuroevo_utils.methods import method_spec
    from neuroevo_utils.widgets import RunPanel

    panel = RunPanel(dict(MU=100, CXPB=0.6, MUTPB=0.3, engine="deap", seed=1,
                          algorithm="lesson"), run=lambda values: None)  # fmt: skip
    assert not any(control.disabled for control in panel.controls.values())
    assert panel.note.value == ""
    panel.controls["algorithm"].value = "cma-es"
    disabled = {name for name, control in panel.controls.items() if control.disabled}
    assert disabled == set(method_spec("cma-es").unused) == {"MU", "CXPB", "MUTPB", "engine"}
    assert set(panel.values()) == {"seed", "algorithm"}  # the run takes the others' defaults
    assert "cma-es on circles does not use MU, CXPB, MUTPB, engine" in panel.note.value
    panel.controls["algorithm"].value = "elitist"
    assert not any(control.disabled for control in panel.controls.values())


def test_a_panel_run_meets_the_same_one_line_refusal():
    import pytest

    from neuroevo_utils import run_experiment
    from neuroevo_utils.widgets import RunPanel

    panel = RunPanel(dict(engine="numpy", algorithm="elitist", NGEN=100, MU=10),
                     run=run_experiment)  # fmt: skip
    with pytest.raises(ValueError, match=r"^algorithm 'elitist' runs on engine 'lesson' or"):
        panel.run_now()
    assert not panel.button.disabled  # the panel is usable again
