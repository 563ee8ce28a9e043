"""Shared test helpers, the session's process mark, and the test tiers' markers."""

import subprocess
import sys

import pytest
from own_processes import assert_gone, own_processes

# Importing own_processes marks this session's environment: every process a test starts
# carries the mark, so leftover checks look at those and nothing else on the machine.


@pytest.fixture
def no_leftovers():
    """Fail the test if a process it started (at any depth) is still running after it."""
    before = own_processes()
    yield
    assert_gone(own_processes() - before)


@pytest.fixture
def run_nbval(tmp_path):
    """Run one notebook file under `pytest --nbval-lax` in a separate process."""

    def run(notebook_path):
        return subprocess.run(
            [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env",
             "-p", "no:cacheprovider", "-o", "addopts=", "--rootdir", str(tmp_path),
             str(notebook_path)],
            capture_output=True, text=True, timeout=900, cwd=tmp_path,
        )  # fmt: skip

    return run
