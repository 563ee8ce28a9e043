"""Every notebook with widgets, used as a reader uses it: JupyterLab in headless Chromium.

For each such notebook: on first open no widget cell shows a raw widget repr; after Run All
every control has the spec's range, step and the parameters cell's value; moving the problem
and a numeric slider draws a new image; an Evolve button shows the run progressing (several
frames) and then its final state, and a second click replaces the first run. No traceback or
stderr output may appear anywhere on the page.

Needs Debian's Chromium and Playwright (see jupyter_browser.py). Without them the tests skip,
except under CI=true, where skipping would hide a broken reader experience: they fail instead.
Screenshots of every widget go to .test-artifacts/browser/ (not committed).
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import time
from pathlib import Path

import pytest
from jupyter_browser import (
    CHROMIUM,
    READ_CONTROLS,
    WATCH_OUTPUT,
    NotebookPage,
    chromium,
    lab_server,
)

from neuroevo_utils import PARAMETERS, run_experiment
from neuroevo_utils.live import final_status
from neuroevo_utils.methods import method_spec
from neuroevo_utils.widgets import RUN_THIS_CELL

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / ".test-artifacts" / "browser"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
RAW_WIDGET_REPR = re.compile(r"\w+\(children=\(")
PROGRESS = re.compile(r"^round \d+ of \d+ \(generation \d+\): best accuracy [\d.]+$")
FINAL = re.compile(r"^(stopped early|ran every round) after \d+ generations: best accuracy [\d.]+$")
LESSON_RUN = "stopped early after 50 generations: best accuracy 1.0"
"""What the Evolve panel must end on at the lesson's defaults (seed 64)."""


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def widget_cell_count(path: Path) -> int:
    return sum(
        any(WIDGET_VIEW in output.get("data", {}) for output in cell.get("outputs", []))
        for cell in load(path)["cells"]
    )


def parameters_cell(path: Path) -> tuple[dict[str, object], set[str]]:
    """The parameters cell's values, and the names the lesson made form fields (``#@param``)."""
    (cell,) = [c for c in load(path)["cells"] if "parameters" in c["metadata"].get("tags", [])]
    values, form_fields = {}, set()
    for line in "".join(cell["source"]).splitlines():
        (assignment,) = ast.parse(line).body
        name = assignment.targets[0].id
        values[name] = ast.literal_eval(assignment.value)
        if "#@param" in line:
            form_fields.add(name)
    return values, form_fields


WIDGET_NOTEBOOKS = [p for p in sorted((ROOT / "notebooks").glob("*.ipynb")) if widget_cell_count(p)]


def browser_missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no {CHROMIUM}: install Debian's Chromium (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = browser_missing()
    if reason and os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the browser tests, but: {reason}")
    if reason:
        pytest.skip(reason)
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    with lab_server(WIDGET_NOTEBOOKS, tmp_path_factory.mktemp("jupyterlab")) as server:
        yield server


def screenshot_name(request, what: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{request.node.callspec.id.removesuffix('.ipynb')}-{what}.png"


@pytest.fixture
def notebook(browser, lab, request):
    """A fresh browser context; screenshots of every widget saved however the test ends."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    shown = NotebookPage(context.new_page())
    yield shown
    try:
        shown.page.screenshot(path=screenshot_name(request, "last"))
        for index, box in enumerate(shown.widget_boxes()):
            box.screenshot(path=screenshot_name(request, f"widget{index}"))
    finally:
        context.close()
        lab.shutdown_kernels()


def check_controls(
    shown: NotebookPage, box, values: dict, form_fields: set[str], redraws: bool
) -> None:
    """Every control has the spec's range and step and starts at the parameters cell's value.

    Each change is let through to the kernel before the next (a new image where the box
    redraws on every change, else an idle kernel), as a reader who watches the result does:
    ipywidgets holds back a change made while an earlier one is in flight, and pressing on
    regardless once left the kernel a step behind the page (a later press then changed
    nothing in the kernel and drew nothing).
    """

    def press(slider, key):
        image = shown.image_in(box) if redraws else None
        value = shown.press_on_slider(slider, key)
        if redraws:
            shown.wait_for_new_image(box, image)
        shown.wait_for_idle_kernel()
        return value

    controls = {c["label"]: c for c in box.evaluate(READ_CONTROLS)}
    assert form_fields <= set(controls), f"missing controls: {form_fields - set(controls)}"
    for label, control in controls.items():
        spec = PARAMETERS[label]
        assert control["value"] == values[label], label
        if control["kind"] == "dropdown":
            assert control["options"] == list(spec.choices), label
            continue
        assert (control["min"], control["max"]) == (spec.minimum, spec.maximum), label
        if control["kind"] == "number box":
            assert control["step"] == spec.step, label
            continue
        # The step, as a reader meets it: one arrow key press moves the slider by one step.
        slider = shown.control(box, label)
        away, back = ("ArrowRight", "ArrowLeft")
        if control["value"] >= spec.maximum:
            away, back = back, away
        moved = press(slider, away)
        assert abs(moved - control["value"]) == pytest.approx(spec.step), label
        assert press(slider, back) == pytest.approx(control["value"]), label


def check_explorer(shown: NotebookPage, box, values: dict) -> None:
    """Another problem, then one step of a numeric slider: each draws a new image."""
    image = shown.image_in(box)
    assert image.startswith("data:image/png"), "the sliders' plot is missing"
    other = next(p for p in PARAMETERS["problem"].choices if p != values["problem"])
    shown.control(box, "problem").locator("select").select_option(other)
    image = shown.wait_for_new_image(box, image)
    shown.press_on_slider(box.locator(".widget-slider").first, "ArrowRight")
    shown.wait_for_new_image(box, image)
    shown.wait_for_idle_kernel()


def press_and_watch(shown: NotebookPage, box, timeout: float = 90) -> dict:
    """Press the panel's button; return what its output showed until a final line appeared."""
    box.locator(":scope > .widget-output").evaluate(WATCH_OUTPUT)
    box.locator(":scope > button").click()
    shown.page.wait_for_function(
        "(final) => window.__watched.lines.some(line => new RegExp(final).test(line))",
        arg=FINAL.pattern,
        timeout=timeout * 1000,
    )
    shown.wait_for_idle_kernel()
    seen = shown.page.evaluate("window.__watched")
    now = box.locator(":scope > .widget-output")
    seen["now_lines"] = [line for line in now.inner_text().splitlines() if line.strip()]
    seen["now_images"] = now.locator("img").count()
    return seen


def check_first_press(shown: NotebookPage, box, started: float) -> None:
    """Pressed right after Run All, as an impatient reader does: at the lesson's defaults the
    run takes under a second (a frame or two, then the end), and it must have ended within
    60 s of starting Run All: no long study may hold the kernel."""
    first = press_and_watch(shown, box)
    seconds = time.monotonic() - started
    assert seconds <= 60, f"the panel's run ended {seconds:.0f} s after Run All started"
    assert first["now_lines"] == [LESSON_RUN] and first["now_images"] == 1
    assert any(PROGRESS.match(line) for line in first["lines"]), first["lines"]
    assert len(first["images"]) >= 2, "a frame, then the final one"
    assert True in first["disabled"] and first["disabled"][-1] is False


def check_run_panel(shown: NotebookPage, box, values: dict) -> None:
    # Other values — another problem, one step of a numeric slider, the numpy engine — make
    # a run of ~900 generations (seconds): it must be seen progressing, then end on the same
    # line as the same experiment run headless, replacing the first run's output.
    changed = {**values, "problem": "gaussian quantiles", "engine": "numpy"}
    shown.control(box, "problem").locator("select").select_option(changed["problem"])
    shown.control(box, "engine").locator("select").select_option(changed["engine"])
    changed["middle_layer"] = int(
        shown.press_on_slider(shown.control(box, "middle_layer"), "ArrowRight")
    )
    shown.wait_for_idle_kernel()  # every change in the kernel before the click
    stale = box.locator(":scope > .widget-html", has_text="Out of date")
    stale.wait_for(state="visible", timeout=10_000)  # the first run's figure is marked at once
    expected = final_status(run_experiment(changed).result)
    second = press_and_watch(shown, box)
    assert stale.count() == 0, "the mark outlived the run that answered it"
    progress = [line for line in second["lines"] if PROGRESS.match(line)]
    assert len(progress) >= 2, f"the run was not seen progressing: {second['lines']}"
    assert len(second["images"]) >= 3, "several frames, then the final one"
    assert second["now_lines"] == [expected] and second["now_images"] == 1

    # Notebook 05's panel also chooses the algorithm: CMA-ES must run, and end as headless.
    if shown.control(box, "algorithm").count():
        changed["algorithm"] = "cma-es"
        shown.control(box, "algorithm").locator("select").select_option("cma-es")
        shown.wait_for_idle_kernel()
        # the controls CMA-ES ignores are greyed out and left out: the run takes their defaults
        assert shown.control(box, "engine").locator("select").is_disabled()
        used = {k: v for k, v in changed.items() if k not in method_spec("cma-es").unused}
        expected = final_status(run_experiment(used).result)
        third = press_and_watch(shown, box)
        assert third["now_lines"] == [expected] and third["now_images"] == 1


@pytest.mark.parametrize("path", WIDGET_NOTEBOOKS, ids=lambda p: p.name)
def test_widgets_work_in_jupyterlab(path, lab, notebook, request):
    values, form_fields = parameters_cell(path)
    notebook.page.goto(lab.notebook_url(path.name))
    notebook.wait_for_idle_kernel()

    first_open = "\n".join(notebook.output_texts())
    assert not RAW_WIDGET_REPR.search(first_open), "a widget cell shows its raw repr"
    assert first_open.count(RUN_THIS_CELL) == widget_cell_count(path)
    hint = notebook.page.locator(".jp-OutputArea-output", has_text=RUN_THIS_CELL).first
    hint.scroll_into_view_if_needed()
    notebook.page.screenshot(path=screenshot_name(request, "first-open"))

    started = time.monotonic()
    notebook.run_all()
    boxes = notebook.widget_boxes()
    assert len(boxes) == widget_cell_count(path)
    for box in boxes:
        panel = box.locator(":scope > button").count() > 0
        if panel:
            check_first_press(notebook, box, started)
        check_controls(notebook, box, values, form_fields, redraws=not panel)
        if panel:
            check_run_panel(notebook, box, values)
        else:
            check_explorer(notebook, box, values)
    assert notebook.error_outputs() == []


# The search animation (issue 28): the GIF notebook 04 and the README open with, as a reader
# sees it in JupyterLab and on the README's rendered page (GitHub-flavoured markdown rendered
# by mistune, the renderer nbconvert uses). It must load and be seen moving.
IS_LOADED = "(img) => img.complete && img.naturalWidth > 0"


def frames_seen(image, name: str, seconds: float = 3.0) -> int:
    """Distinct screenshots of ``image`` over ``seconds``: more than one when it animates."""
    image.scroll_into_view_if_needed()
    image.page.wait_for_function(IS_LOADED, arg=image.element_handle(), timeout=20_000)
    shots, deadline = set(), time.monotonic() + seconds
    while time.monotonic() < deadline:
        shot = image.screenshot()
        if not shots:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            (ARTIFACTS / f"{name}.png").write_bytes(shot)
        shots.add(shot)
        time.sleep(0.4)
    return len(shots)


def test_the_search_animation_plays_in_jupyterlab_and_on_the_readme(browser, lab, tmp_path):
    import mistune

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(lab.notebook_url("04_genetic_algorithm_training.ipynb"))
        NotebookPage(page).wait_for_idle_kernel()
        image = page.locator(".jp-RenderedMarkdown img[src*='search_ga.gif']").first
        assert frames_seen(image, "search-animation-jupyterlab") > 1

        readme = tmp_path / "README.html"
        body = mistune.html((ROOT / "README.md").read_text())
        readme.write_text(f'<html><head><base href="{ROOT.as_uri()}/"></head>'
                          f"<body>{body}</body></html>")  # fmt: skip
        page.goto(readme.as_uri())
        image = page.locator("img[src$='notebooks/figures/search_ga.gif']").first
        assert image.bounding_box()["y"] < 1000, "the README opens with the animation"
        assert frames_seen(image, "search-animation-readme") > 1
    finally:
        context.close()
