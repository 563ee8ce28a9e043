"""Shared test helpers."""

import subprocess
import sys

import pytest


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
