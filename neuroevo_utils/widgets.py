"""Sliders and dropdowns built from the parameter spec, mirroring the lesson's Colab ``#@param``.

Introduced in notebook 01. Widgets are thin: every control is made from
:data:`neuroevo_utils.PARAMETERS` (so ranges, steps and defaults cannot drift from the
validation and the command line), and every action they trigger is a plain function that
can be called, and tested, without a browser.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets

from .methods import method_spec
from .parameters import DEFAULTS, PARAMETERS, validate
from .problems import problem_spec

_STYLE = {"description_width": "initial"}
_MAX_SLIDER_POSITIONS = 1000  # beyond this a slider cannot be placed precisely: use a text box
_LAYOUT = widgets.Layout(width="420px")


def parameter_widget(name: str, value: Any = None) -> widgets.ValueWidget:
    """One control for parameter ``name``, starting at ``value`` (default: the lesson's)."""
    spec = PARAMETERS[name]
    if spec.choices is None and spec.minimum is None:
        raise ValueError(f"{name} has no slider; pass it to the function in code instead")
    value = spec.default if value is None else validate(name, value)
    if spec.choices is None and not spec.minimum <= value <= spec.maximum:
        raise ValueError(
            f"{name}={value!r} is off its slider ({spec.describe_slider()}); "
            "pass it to the function in code instead"
        )
    common = {"value": value, "description": name, "style": _STYLE, "layout": _LAYOUT}
    if spec.choices is not None:
        return widgets.Dropdown(options=list(spec.choices), **common)
    bounds = {"min": spec.minimum, "max": spec.maximum, "step": spec.step}
    if (spec.maximum - spec.minimum) / spec.step > _MAX_SLIDER_POSITIONS:  # e.g. the seed
        box = widgets.BoundedIntText if spec.is_integer else widgets.BoundedFloatText
        return box(**bounds, **common)
    slider = widgets.IntSlider if spec.is_integer else widgets.FloatSlider
    return slider(**bounds, continuous_update=False, **common)


def parameter_widgets(values: Mapping[str, Any]) -> dict[str, widgets.ValueWidget]:
    """Controls for each parameter in ``values`` (name -> starting value), in that order."""
    return {name: parameter_widget(name, value) for name, value in values.items()}


def widget_values(controls: Mapping[str, widgets.ValueWidget]) -> dict[str, Any]:
    """The current value of each control, by parameter name."""
    return {name: control.value for name, control in controls.items()}


RUN_THIS_CELL = "run this cell in Jupyter (Shift+Enter) to use them"
"""What a widget cell shows until it is run: in a freshly opened notebook or on the web.

A widget's saved output is a reference to a live model plus a text form. Until the cell
runs, JupyterLab shows the text form, which by default is the widget's repr
(``interactive(children=(Dropdown(description='problem', …``): we say what to do instead.
"""


class Explorer(widgets.interactive):
    """:func:`explore`'s sliders; only its text form differs from ``ipywidgets.interactive``."""

    def __repr__(self) -> str:
        return f"[Sliders: {RUN_THIS_CELL}.]"


def explore(draw: Callable[..., Any], values: Mapping[str, Any]) -> Explorer:
    """Sliders for ``values`` that call ``draw(**current_values)`` whenever one moves.

    ``draw`` is a plain plotting function; headless (CI) it runs once with ``values``.
    """
    return Explorer(draw, **parameter_widgets(values))


STALE = "Out of date: the run below used other values. Press {button} to run these."
"""What a panel says the moment a control changes after a run (issue 29)."""


class RunPanel(widgets.VBox):
    """Sliders plus a Run button: a click calls ``run(values)``, its output shown below.

    For slow computations (the genetic algorithm), so dragging a slider does not start a
    run per intermediate value. :meth:`run_now` does what a click does. Once a run has
    been shown, changing any control marks it out of date (:data:`STALE`) until the next.
    """

    def __init__(
        self,
        values: Mapping[str, Any],
        run: Callable[[dict[str, Any]], Any],
        description: str = "Run",
    ) -> None:
        self.controls = parameter_widgets(values)
        self.run = run
        self.button = widgets.Button(description=description, button_style="primary")
        self.output = widgets.Output()
        self.note = widgets.HTML()
        self.stale = widgets.HTML()
        self.has_run = False
        self.button.on_click(lambda _button: self.run_now())
        for chooser in ("algorithm", "problem"):
            if chooser in self.controls:
                self.controls[chooser].observe(lambda _change: self.grey_out_unused(), "value")
        for control in self.controls.values():
            control.observe(lambda _change: self.mark_stale(), "value")
        self.grey_out_unused()
        super().__init__([*self.controls.values(), self.note, self.button, self.stale,
                          self.output])  # fmt: skip

    def mark_stale(self) -> None:
        """Say that the output shown is from other values (nothing to say before a run)."""
        if self.has_run:
            message = STALE.format(button=self.button.description)
            self.stale.value = f"<b style='color:#b35900'>⚠ {message}</b>"

    def chosen(self, name: str) -> str:
        control = self.controls.get(name)
        return DEFAULTS[name] if control is None else control.value

    def grey_out_unused(self) -> None:
        """Disable the controls the chosen algorithm or problem does not use, and say so."""
        algorithm, problem = self.chosen("algorithm"), self.chosen("problem")
        unused = (*method_spec(algorithm).unused, *problem_spec(problem).unused())
        for name, control in self.controls.items():
            control.disabled = name in unused
        shown = [name for name in unused if name in self.controls]
        self.note.value = (
            f"<i>{algorithm} on {problem} does not use {', '.join(shown)}, so those controls "
            "are greyed out.</i>" if shown else ""
        )  # fmt: skip

    def values(self) -> dict[str, Any]:
        """Current values of the controls in use (greyed-out ones are left out, so the run
        takes their defaults and records them as unused)."""
        live = {name: control for name, control in self.controls.items() if not control.disabled}
        return widget_values(live)

    def run_now(self) -> None:
        """Run with the current values, replacing the previous output.

        The button is disabled meanwhile: the kernel would queue a click made during a run
        and start a second run after it.
        """
        self.button.disabled = True
        self.stale.value = ""
        try:
            self.output.clear_output(wait=True)
            with self.output:
                self.run(self.values())
        finally:
            self.button.disabled = False
            self.has_run = True

    def __repr__(self) -> str:
        return f"[Sliders and the {self.button.description} button: {RUN_THIS_CELL}.]"
