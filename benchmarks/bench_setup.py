"""A newcomer's first hour, measured: what README's two commands cost on a fresh clone.

    .venv/bin/python benchmarks/bench_setup.py           # about 10 minutes, mostly pip
    .venv/bin/python benchmarks/bench_setup.py --full    # also the full test suite (+10 min)

In a fresh clone of this repository (its last commit) in a temporary directory, with no
``.venv`` and an empty matplotlib cache (as on a machine that never ran matplotlib):

1. ``python3 dev.py lab --no-browser``: seconds until JupyterLab answers (creating the venv
   and installing the ``lab`` extra included), then stopped; the venv's size.
2. Where the first Run All of a fresh venv spends its extra time: the import of each heavy
   library in a fresh interpreter with an empty matplotlib cache (what a first notebook paid
   before ``dev.py`` built that cache at install time), then as a notebook now meets it after
   ``dev.py lab``, and again; then notebook 07 executed twice.
3. ``python3 dev.py test --quick`` twice: the first includes installing the ``test`` extra;
   the second is the quick tier's time, which README, CONTRIBUTING.md and dev.py state
   (``tests/test_readme.py`` keeps them equal to ``results/setup.json``); the venv's size.
4. With ``--full``, ``python3 dev.py test``: the full suite's time.

Writes ``results/setup.json`` and the "First open" section of ``results/notebooks.md``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SETUP = RESULTS / "setup.json"
NOTEBOOKS_MD = RESULTS / "notebooks.md"
START, END = "<!-- first open: made by benchmarks/bench_setup.py -->", "<!-- end of first open -->"
LIBRARIES = ("numpy", "scipy", "pandas", "sklearn", "matplotlib.pyplot", "deap", "ipykernel",
             "neuroevo_utils")  # fmt: skip


def size_mb(path: Path) -> int:
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())
    return round(total / 1e6)


def timed(command: list[str], cwd: Path, env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)  # fmt: skip
    return round(time.perf_counter() - started, 1)


def lab_until_it_answers(clone: Path, env: dict) -> float:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    lab = subprocess.Popen([sys.executable, "dev.py", "lab", "--no-browser", f"--port={port}"],
                           cwd=clone, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=2)
                break
            except OSError as error:
                if getattr(error, "code", None) is not None:  # 403: serving, asks for a token
                    break
            if lab.poll() is not None:
                raise RuntimeError("dev.py lab ended before JupyterLab answered")
            time.sleep(0.25)
        return round(time.perf_counter() - started, 1)
    finally:
        lab.send_signal(signal.SIGTERM)
        lab.wait(timeout=60)


def import_seconds(python: Path, env: dict) -> dict[str, float]:
    """Each library's import in a fresh interpreter, in order (each after the ones before)."""
    script = "\n".join([
        "import importlib, json, time", "out = {}", f"for name in {LIBRARIES!r}:",
        "    t = time.perf_counter(); importlib.import_module(name)",
        "    out[name] = round(time.perf_counter() - t, 2)", "print(json.dumps(out))",
    ])  # fmt: skip
    done = subprocess.run([str(python), "-c", script], env=env, check=True, capture_output=True,
                          text=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also time the full test suite")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        clone = Path(scratch) / "neuroevo"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        env = {**os.environ, "MPLCONFIGDIR": str(Path(scratch) / "matplotlib")}
        env.pop("VIRTUAL_ENV", None)
        python = clone / ".venv" / "bin" / "python"
        found: dict = {"date": datetime.date.today().isoformat(), "cores": os.cpu_count(),
                       "python": platform.python_version()}  # fmt: skip
        found["lab_first_seconds"] = lab_until_it_answers(clone, env)
        found["venv_lab_mb"] = size_mb(clone / ".venv")
        print(f"dev.py lab on a fresh clone: {found['lab_first_seconds']} s", flush=True)
        empty = {**env, "MPLCONFIGDIR": str(Path(scratch) / "empty-matplotlib-cache")}
        found["imports_without_warm_up"] = import_seconds(python, empty)
        found["imports_cold"] = import_seconds(python, env)
        found["imports_warm"] = import_seconds(python, env)
        nb07 = ["dev.py", "execute", "notebooks/07_when_to_evolve_a_network.ipynb"]
        found["run_all_07_first"] = timed([sys.executable, *nb07], clone, env)
        found["run_all_07_again"] = timed([sys.executable, *nb07], clone, env)
        print(f"notebook 07: {found['run_all_07_first']} s, again {found['run_all_07_again']} s",
              flush=True)  # fmt: skip
        quick = [sys.executable, "dev.py", "test", "--quick", "-q", "-p", "no:cacheprovider"]
        found["quick_first_seconds"] = timed(quick, clone, env)
        found["quick_tier_seconds"] = round(timed(quick, clone, env))
        found["venv_test_mb"] = size_mb(clone / ".venv")
        print(f"quick tier: {found['quick_tier_seconds']} s", flush=True)
        if options.full:
            found["full_suite_seconds"] = round(
                timed([sys.executable, "dev.py", "test", "-q"], clone, env))  # fmt: skip
    previous = json.loads(SETUP.read_text()) if SETUP.exists() else {}
    if not options.full and "full_suite_seconds" in previous:
        found["full_suite_seconds"] = previous["full_suite_seconds"]
        found["full_suite_date"] = previous.get("full_suite_date", previous.get("date"))
    elif options.full:
        found["full_suite_date"] = found["date"]
    SETUP.write_text(json.dumps(found, indent=1) + "\n")
    write_first_open(found)
    print(json.dumps(found, indent=1))


def first_open_section(found: dict) -> str:
    before, cold, warm = (found[k] for k in ("imports_without_warm_up", "imports_cold",
                                             "imports_warm"))  # fmt: skip
    rows = "\n".join(f"| `{name}` | {before[name]} | {cold[name]} | {warm[name]} |"
                      for name in cold)  # fmt: skip
    return "\n".join([
        START, "",
        f"## First open (`benchmarks/bench_setup.py`, {found['date']}, a fresh clone, "
        "empty matplotlib cache)", "",
        f"- `python3 dev.py lab` until JupyterLab answers: {found['lab_first_seconds']} s "
        f"(the venv with the `lab` extra: {found['venv_lab_mb']} MB).",
        f"- Notebook 07's Run All right after the install: {found['run_all_07_first']} s; "
        f"again: {found['run_all_07_again']} s.",
        "- Each import in a fresh interpreter, seconds: with an empty matplotlib cache (a first "
        "notebook before `dev.py` built it at install), the first time after `dev.py lab`, "
        "and again:", "",
        "| library | empty cache | first after dev.py | again |", "|---|---:|---:|---:|", rows,
        "",
        END,
    ])  # fmt: skip


def write_first_open(found: dict) -> None:
    text = NOTEBOOKS_MD.read_text() if NOTEBOOKS_MD.exists() else ""
    if START in text:
        before, rest = text.split(START, 1)
        text = before + rest.split(END, 1)[1].lstrip("\n")
    NOTEBOOKS_MD.write_text(text.rstrip("\n") + "\n\n" + first_open_section(found) + "\n")


if __name__ == "__main__":
    main()
