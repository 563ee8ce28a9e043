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

Writes ``results/setup.json``, the "First open" section of ``results/notebooks.md`` and the
set-up costs in README.md (between its ``setup`` markers; ``tests/test_readme.py`` checks
them against the file). ``--write-only`` rewrites those two from ``results/setup.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
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
README = ROOT / "README.md"
README_START = "<!-- setup: made by benchmarks/bench_setup.py; tests/test_readme.py checks it -->"
README_END = "<!-- end of setup -->"
LIBRARIES = ("numpy", "scipy", "pandas", "sklearn", "matplotlib.pyplot", "deap", "ipykernel",
             "neuroevo_utils")  # fmt: skip


def size_mb(path: Path) -> int:
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())
    return round(total / 1e6)


def timed(command: list[str], cwd: Path, env: dict, must_pass: bool = True) -> float:
    """Seconds ``command`` took. A test run (``must_pass=False``) is timed whatever its
    outcome: the costs are measured before ``results/setup.json`` exists, which one README
    test reads; a failure is printed."""
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, env=env, check=must_pass, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    if completed.returncode:
        print(f"{' '.join(command)} exited {completed.returncode}:\n{completed.stdout[-2000:]}")
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
    parser.add_argument("--write-only", action="store_true",
                        help="only rewrite the documents from results/setup.json")  # fmt: skip
    options = parser.parse_args()
    if options.write_only:
        found = json.loads(SETUP.read_text())
        write_first_open(found)
        write_readme(found)
        write_quick_tier(found)
        return
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
        found["quick_first_seconds"] = timed(quick, clone, env, must_pass=False)
        found["quick_tier_seconds"] = round(timed(quick, clone, env, must_pass=False))
        found["venv_test_mb"] = size_mb(clone / ".venv")
        print(f"quick tier: {found['quick_tier_seconds']} s", flush=True)
        if options.full:
            full = [sys.executable, "dev.py", "test", "-q"]
            found["full_suite_seconds"] = round(timed(full, clone, env, must_pass=False))
    previous = json.loads(SETUP.read_text()) if SETUP.exists() else {}
    if not options.full and "full_suite_seconds" in previous:
        found["full_suite_seconds"] = previous["full_suite_seconds"]
        found["full_suite_date"] = previous.get("full_suite_date", previous.get("date"))
    elif options.full:
        found["full_suite_date"] = found["date"]
    SETUP.write_text(json.dumps(found, indent=1) + "\n")
    write_first_open(found)
    write_readme(found)
    write_quick_tier(found)
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


def setup_block(found: dict) -> str:
    """README's set-up costs, from ``results/setup.json``."""
    full = ""
    if "full_suite_seconds" in found:
        full = (
            f" The full suite, `python3 dev.py test`, takes about "
            f"{round(found['full_suite_seconds'] / 60)} minutes."
        )
    return "\n".join([
        README_START,
        f"Measured on a fresh clone of this repository ({found['date']}, {found['cores']} cores, "
        f"`benchmarks/bench_setup.py`): the first `python3 dev.py lab` takes about "
        f"{round(found['lab_first_seconds'])} s until JupyterLab answers (pip, mostly) and leaves "
        f"a `.venv` of {found['venv_lab_mb']} MB; with the test extras it is "
        f"{found['venv_test_mb']} MB. The first notebook opened after that runs in about "
        f"{round(found['run_all_07_first'])} s (notebook 07; {round(found['run_all_07_again'])} s "
        f"the second time). The quick tier, `python3 dev.py test --quick`, takes about "
        f"{found['quick_tier_seconds']} s.{full}",
        README_END,
    ])  # fmt: skip


QUICK_TIER = {
    ROOT / "dev.py": re.compile(r"(Dask clusters \()(?:under 2 minutes|about \d+ s)(\))"),
    ROOT / "CONTRIBUTING.md": re.compile(r"(\| quick \|.*\| )(?:about )?\d+ s( \|)"),
}
"""Where the quick tier's time is stated besides README."""


def write_quick_tier(found: dict) -> None:
    for path, pattern in QUICK_TIER.items():
        stated = rf"\g<1>about {found['quick_tier_seconds']} s\g<2>"
        path.write_text(pattern.sub(stated, path.read_text(), count=1))


def write_readme(found: dict) -> None:
    text = README.read_text()
    before, rest = text.split(README_START, 1)
    README.write_text(before + setup_block(found) + rest.split(README_END, 1)[1])


def write_first_open(found: dict) -> None:
    text = NOTEBOOKS_MD.read_text() if NOTEBOOKS_MD.exists() else ""
    if START in text:
        before, rest = text.split(START, 1)
        text = before + rest.split(END, 1)[1].lstrip("\n")
    NOTEBOOKS_MD.write_text(text.rstrip("\n") + "\n\n" + first_open_section(found) + "\n")


if __name__ == "__main__":
    main()
