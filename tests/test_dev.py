"""dev.py, the one entry point README gives: `lab` stops cleanly (issue 29)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from own_processes import assert_gone, own_processes

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=2):
            return True
    except OSError as error:  # 403 without a token still means it is serving
        return getattr(error, "code", None) is not None


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "kill"])
def test_stopping_dev_py_lab_stops_jupyterlab_and_leaves_nothing(tmp_path, stop):
    before = own_processes()
    port = free_port()
    log = (tmp_path / "lab.log").open("w")
    lab = subprocess.Popen(
        [sys.executable, "dev.py", "lab", "--no-browser", f"--port={port}",
         "--ServerApp.port_retries=0"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180  # the first call may pip-install the lab extra
        while not answers(port):
            assert lab.poll() is None, (tmp_path / "lab.log").read_text()
            assert time.monotonic() < deadline, "JupyterLab never answered"
            time.sleep(0.5)
        started = own_processes() - before
        lab.send_signal(stop)  # to dev.py's own process id, as a terminal or a manager would
        if stop == signal.SIGINT:  # JupyterLab asks to confirm a Ctrl-C; a second one stops it
            time.sleep(0.5)
            if lab.poll() is None:
                lab.send_signal(stop)
        lab.wait(timeout=30)
        assert_gone(started)
        assert not answers(port)
    finally:
        if lab.poll() is None:
            lab.kill()
        log.close()
