"""The processes this test session started, and a check that none outlives its test.

Every process the suite starts — a pool worker, a Dask nanny and its worker, a Jupyter
kernel, even one whose parent died and left it orphaned — inherits the session's
environment, and so :data:`SESSION` (set by ``tests/conftest.py`` before any test runs).
Leftover checks look only at processes that carry it: another program's Python, Dask workers
or a second copy of the suite on the same machine never fail a test here.
"""

from __future__ import annotations

import os
import time
import uuid

import psutil

VARIABLE = "NEUROEVO_TEST_SESSION"
SESSION = os.environ.setdefault(VARIABLE, uuid.uuid4().hex)


def own_processes() -> set[int]:
    """Live processes started by this session (any depth), except this one and
    multiprocessing's resource tracker (one per interpreter, ended with it)."""
    found = set()
    for process in psutil.process_iter(["pid", "cmdline", "environ", "status"]):
        info = process.info
        if (
            info["pid"] != os.getpid()
            and (info["environ"] or {}).get(VARIABLE) == SESSION
            and info["status"] != psutil.STATUS_ZOMBIE
            and "multiprocessing.resource_tracker" not in " ".join(info["cmdline"] or ())
        ):
            found.add(info["pid"])
    return found


def assert_gone(pids: set[int], timeout: float = 15) -> None:
    """Wait up to ``timeout`` seconds for ``pids`` to end; fail naming those still alive."""
    deadline = time.monotonic() + timeout
    alive = set(pids)
    while alive and time.monotonic() < deadline:
        alive = {pid for pid in alive if _alive(pid)}
        if alive:
            time.sleep(0.2)
    left = {pid: _command(pid) for pid in alive}
    assert not left, f"processes left behind: {left}"


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _command(pid: int) -> str:
    try:
        return " ".join(psutil.Process(pid).cmdline())
    except psutil.Error:
        return "(ended)"
