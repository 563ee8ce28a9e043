"""JupyterLab on 127.0.0.1 and Debian's Chromium driven by Playwright: helpers for test_browser.

A reader's browser is the client that matters: nbval and papermill never render a widget or
press a button, so they cannot see a live display freeze. These helpers do what a reader does
(open a notebook, Run All, move sliders, press buttons) and read what the page then shows.

Everything they start they also stop: the server (over a copy of the notebooks, so the
committed files are never autosaved), its kernels and the browser.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium (`apt-get install chromium`); Playwright's own browser download is
unreachable on the project's machines."""

CHROMIUM_FLAGS = [
    "--no-sandbox",  # Chromium refuses to start as root with its sandbox
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # no calls to hosts a closed network cannot reach
    "--disable-component-update",
    "--disable-sync",
]

# JupyterLab user settings for the test server: every cell stays in the page (no windowing),
# no news or update checks over the network.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def processes_mentioning(text: str) -> list[int]:
    """PIDs of live processes whose command line contains ``text`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                command_line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if text in command_line:
                found.append(int(entry.name))
    return found


class LabServer:
    """A JupyterLab server over a copy of ``notebooks`` in ``workdir``, with its own token."""

    def __init__(self, notebooks: list[Path], workdir: Path) -> None:
        self.root = workdir / "notebooks"
        self.root.mkdir(parents=True)
        for path in notebooks:  # as committed: long studies read their committed results
            shutil.copyfile(path, self.root / path.name)
        figures = notebooks[0].parent / "figures" if notebooks else None
        if figures and figures.is_dir():  # the images the notebooks' markdown shows
            shutil.copytree(figures, self.root / "figures")
        self.runtime = workdir / "runtime"
        settings = workdir / "settings"
        for plugin, values in LAB_SETTINGS.items():
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        self.port, self.token = free_port(), os.urandom(16).hex()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(workdir / "workspaces"),
            "JUPYTER_RUNTIME_DIR": str(self.runtime),
        }
        env.pop("MPLBACKEND", None)  # with it set, the kernel shows figures as text, not images
        self.log = workdir / "jupyterlab.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
             "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
             "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
             f"--ServerApp.root_dir={self.root}"],
            stdout=self.log.open("w"), stderr=subprocess.STDOUT, env=env,
            start_new_session=True,
        )  # fmt: skip

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def wait_until_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited:\n{self.log.read_text()[-3000:]}")
            try:
                self.api("GET", "/api/status")
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"JupyterLab did not answer in {timeout} s:\n{self.log.read_text()}")

    def notebook_url(self, name: str) -> str:
        # ?reset: start from an empty workspace, so only this notebook is open
        return f"{self.url}/lab/tree/{name}?reset&token={self.token}"

    def shutdown_kernels(self) -> None:
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def stop(self) -> list[int]:
        """Shut down kernels and server; return the PIDs that had to be killed afterwards."""
        try:
            self.shutdown_kernels()
        except OSError:
            pass  # the server is gone already; leftovers are caught below
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        # kernels run in sessions of their own; each was started with a connection file here
        leftovers = processes_mentioning(str(self.runtime))
        for pid in leftovers:
            os.kill(pid, signal.SIGKILL)
        return leftovers


@contextmanager
def lab_server(notebooks: list[Path], workdir: Path) -> Iterator[LabServer]:
    server = LabServer(notebooks, workdir)
    try:
        server.wait_until_ready()
        yield server
    finally:
        leftovers = server.stop()
    if leftovers:
        raise RuntimeError(f"processes left running after JupyterLab stopped: {leftovers}")


@contextmanager
def chromium() -> Iterator[object]:
    """Headless Debian Chromium under Playwright; closed (with Playwright's driver) on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


# What a control looks like in the page (ipywidgets 8): one record per control.
READ_CONTROLS = """(box) =>
  [...box.querySelectorAll('.widget-dropdown, .widget-slider, .widget-text')].map(el => {
    const label = el.querySelector('.widget-label').textContent.trim();
    const select = el.querySelector('select');
    if (select) return {label, kind: 'dropdown', value: select.value,
                        options: [...select.options].map(o => o.value)};
    // The value as the reader sees it: noUiSlider rounds aria-valuenow to one decimal.
    const handle = el.querySelector('.noUi-handle');
    if (handle) return {label, kind: 'slider',
                        value: Number(el.querySelector('.widget-readout').textContent),
                        min: Number(handle.getAttribute('aria-valuemin')),
                        max: Number(handle.getAttribute('aria-valuemax'))};
    const input = el.querySelector('input');
    return {label, kind: 'number box', value: Number(input.value), min: Number(input.min),
            max: Number(input.max), step: Number(input.step)};
  })"""

# Records what an output area shows from now on: each new image (by a short key), each line
# of text, and the disabled state of the button beside it at every change.
WATCH_OUTPUT = """(area) => {
  const key = img => img.src.length + ':' + img.src.slice(-80);
  const before = new Set([...area.querySelectorAll('img')].map(key));
  const seen = {images: [], lines: [], disabled: []};
  const button = area.parentElement.querySelector(':scope > button');
  const note = () => {
    area.querySelectorAll('img').forEach(img => { const k = key(img);
      if (!before.has(k) && !seen.images.includes(k)) seen.images.push(k); });
    area.innerText.split('\\n').map(l => l.trim()).filter(l => l).forEach(line => {
      if (!seen.lines.includes(line)) seen.lines.push(line); });
    if (button) seen.disabled.push(button.disabled);
  };
  new MutationObserver(note).observe(area.parentElement,
      {subtree: true, childList: true, attributes: true, characterData: true});
  window.__watched = seen;
}"""


@dataclass
class NotebookPage:
    """One notebook open in JupyterLab, with the actions a reader takes."""

    page: object  # playwright.sync_api.Page

    def status(self) -> str:
        return self.page.locator(".jp-StatusBar-TextItem", has_text="|").first.inner_text()

    def wait_for_idle_kernel(self, timeout: float = 120, settle: float = 0.6) -> None:
        """Wait until the kernel has been idle for ``settle`` seconds in a row."""
        deadline = time.monotonic() + timeout
        idle_since = None
        while time.monotonic() < deadline:
            if self.status().endswith("| Idle"):
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since >= settle:
                    return
            else:
                idle_since = None
            time.sleep(0.1)
        raise TimeoutError(f"kernel still not idle after {timeout} s: {self.status()!r}")

    def run_all(self, timeout: float = 300) -> None:
        """Run ▸ Run All Cells, then wait for every code cell to have run."""
        self.page.click(".lm-MenuBar-itemLabel:text-is('Run')")
        self.page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
        self.page.wait_for_function(
            """() => {
              const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
              return prompts.length && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
            }""",
            timeout=timeout * 1000,
        )
        self.wait_for_idle_kernel(timeout)

    def output_texts(self) -> list[str]:
        return self.page.locator(".jp-OutputArea-output").all_inner_texts()

    def error_outputs(self) -> list[str]:
        """Tracebacks and anything written to stderr, as the page shows them."""
        stderr = self.page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        ).all_inner_texts()
        return stderr + [t for t in self.output_texts() if "Traceback" in t]

    def widget_boxes(self) -> list[object]:
        """The top-level widget of each widget cell: explore()'s sliders or a RunPanel."""
        return self.page.locator(
            ".jp-OutputArea-output > .widget-interact, .jp-OutputArea-output > .widget-vbox"
        ).all()

    def control(self, box, label: str):
        """The control whose description is exactly ``label`` (``MU`` is not ``MUTPB``)."""
        return box.locator(".widget-inline-hbox").filter(
            has=self.page.locator(f".widget-label:text-is('{label}')")
        )

    def image_in(self, box) -> str:
        return box.locator(".widget-output img").first.get_attribute("src") or ""

    def wait_for_new_image(self, box, old_src: str, timeout: float = 60) -> str:
        box.locator(".widget-output img").first.wait_for(timeout=timeout * 1000)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            src = self.image_in(box)
            if src and src != old_src:
                return src
            time.sleep(0.1)
        shown = box.locator(".widget-output").first.inner_text()
        raise TimeoutError(
            f"no new image within {timeout} s; kernel {self.status()!r}; the output shows "
            f"{shown[-500:]!r}; controls: {box.evaluate(READ_CONTROLS)}"
        )

    def press_on_slider(self, slider, key: str) -> float:
        """Focus a slider's handle, press ``key`` (ArrowRight/ArrowLeft), return its readout."""
        readout = slider.locator(".widget-readout")
        before = readout.inner_text()
        slider.locator(".noUi-handle").focus()
        self.page.keyboard.press(key)
        self.page.wait_for_function(
            "([element, text]) => element.textContent !== text",
            arg=[readout.element_handle(), before],
            timeout=5000,
        )
        return float(readout.inner_text())
