#!/usr/bin/env python3
"""Set up and run neuroevo with nothing but Python 3.10+ (no make, no conda needed).

    python3 dev.py lab        install into ./.venv, open the notebooks in JupyterLab
    python3 dev.py test       install into ./.venv, run every test (what CI runs)
    python3 dev.py test --quick   the quick tier: every module's logic, no notebook runs,
                              browser, worker processes or Dask clusters (about 44 s)
    python3 dev.py execute    re-run the notebooks in place, so their outputs can be committed
    python3 dev.py bench      the performance benchmark (see README, "Performance")
    python3 dev.py bench --notebooks   each notebook's Run All time and the Evolve panel's
                              cost (benchmarks/results/notebooks.md)
    python3 dev.py bench --peers   the series' searches beside pycma, evosax and EvoTorch
                              on digits (installs the `peers` extra: JAX, PyTorch)
    python3 dev.py study      notebook 06's sweeps at the lesson's size (README figures)
    python3 dev.py studies    recompute the committed studies notebooks 05, 06 and 07 read
                              (notebooks/results/*.json; a name, e.g. 05_race, for one)

Anything after the command goes to the program it starts: JupyterLab
(`python3 dev.py lab --ip=0.0.0.0 --port=8889`), pytest (`python3 dev.py test -k browser`),
the notebooks to execute (`python3 dev.py execute notebooks/04_*.ipynb`; default: all), or the
benchmark (`python3 dev.py bench --limits`). Run as root (a container, a Codespace), `lab`
adds JupyterLab's `--allow-root`, without which JupyterLab refuses to start.

Each command first makes sure ./.venv exists and holds the project (editable) with the
extras that command needs, so it works the same on a fresh clone and on a used one. pip runs
only when ./.venv lacks those extras or pyproject.toml changed since it last ran.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
EXTRAS = {
    "lab": "lab",
    "test": "test",
    "execute": "lab",
    "bench": "test",
    "study": "test",
    "studies": "test",
}
"""The optional dependencies (pyproject.toml) each command needs: the notebooks need only
``lab``; tests and the benchmark (which executes notebooks, drives a browser) ``test``."""

QUICK = "not (notebooks or browser or cluster or slow)"
"""The quick tier (``test --quick``): the tests not marked as one of the slow kinds."""
INSTALLED = VENV / "neuroevo-installed.txt"
"""What pip last installed here: one line per extras set, with pyproject.toml's hash."""


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run(*command: str | Path) -> None:
    print("+", " ".join(str(c) for c in command), flush=True)
    subprocess.run([str(c) for c in command], cwd=ROOT, check=True)


def install(extras: str) -> Path:
    if sys.version_info < (3, 10):  # noqa: UP036 - dev.py runs under any python3
        sys.exit(f"neuroevo needs Python 3.10 or newer; this is {sys.version.split()[0]}")
    if not venv_python().exists():
        print(f"creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    python = venv_python()
    stamp = f"{extras} {hashlib.sha256((ROOT / 'pyproject.toml').read_bytes()).hexdigest()}"
    done = INSTALLED.read_text().splitlines() if INSTALLED.exists() else []
    if stamp not in done:
        run(python, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]")
        # matplotlib lists the machine's fonts on its first import (seconds; see
        # benchmarks/results/notebooks.md): pay it here, not in the reader's first notebook.
        run(python, "-c", "import matplotlib.pyplot")
        INSTALLED.write_text("\n".join([*done, stamp]) + "\n")
    return python


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab(python: Path, arguments: list[str]) -> None:
    """JupyterLab, opened at the top of the checkout (the README and notebooks/ in reach).

    On Linux and macOS this process *becomes* JupyterLab (``exec``): Ctrl-C, or stopping
    ``dev.py`` by its process id, stops JupyterLab, and nothing is left running. Elsewhere
    it runs JupyterLab as a child and stops it when interrupted."""
    command = [str(python), "-m", "jupyter", "lab", *arguments]
    print("+", " ".join(command), flush=True)
    os.chdir(ROOT)
    if os.name == "posix":
        os.execv(command[0], command)
    child = subprocess.Popen(command)
    try:
        child.wait()
    finally:
        if child.poll() is None:
            child.terminate()
            child.wait()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in EXTRAS:
        print(__doc__)
        return 2
    command, arguments = argv[0], argv[1:]
    python = install(EXTRAS[command])
    try:
        if command == "lab":
            if running_as_root() and "--allow-root" not in arguments:
                arguments.append("--allow-root")
            lab(python, arguments)
        elif command == "test":
            if "--quick" in arguments:
                arguments = [a for a in arguments if a != "--quick"] + ["-m", QUICK]
            run(python, "-m", "pytest", *arguments)
        elif command == "execute":
            notebooks = arguments or sorted(
                str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").glob("*.ipynb")
            )
            run(
                python,
                "-m",
                "jupyter",
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--inplace",
                *notebooks,
            )
        elif command == "bench" and "--notebooks" in arguments:
            arguments.remove("--notebooks")
            run(python, "benchmarks/bench_notebooks.py", *arguments)
        elif command == "bench" and "--peers" in arguments:
            arguments.remove("--peers")
            python = install("peers")
            run(python, "benchmarks/bench_peers.py", *arguments)
        elif command == "bench":
            run(python, "benchmarks/bench_engines.py", *arguments)
        elif command == "study":
            run(python, "benchmarks/full_study.py", *arguments)
        elif command == "studies":
            run(python, "-m", "neuroevo_utils.studies", *arguments)
    except subprocess.CalledProcessError as error:
        return error.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
