"""Sweeps (notebook 06): every scheduler gives the same table, with real Dask processes.

Dask is not mocked: one sweep runs on a ``LocalCluster`` the sweep starts, another on a
``dask scheduler`` and a ``dask worker`` started here as separate processes on 127.0.0.1 and
reached by address. Every test that starts processes checks that it leaves none behind
(``no_leftovers``: processes this test session started, see ``own_processes.py``).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pytest
from own_processes import assert_gone, own_processes

from neuroevo_utils.cli import main
from neuroevo_utils.methods import METHOD_TABLE, Method, register_method
from neuroevo_utils.methods.base import Strategy
from neuroevo_utils.parameters import METHOD_NAMES
from neuroevo_utils.scheduling import results_as_completed
from neuroevo_utils.study import load_results, plan, run_study, summary, sweep

GRID = {"problem": ["circles", "moons"], "CXPB": [0.3, 0.6]}
BASE = dict(MU=30, NGEN=8, RGEN=5, engine="numpy")
SEEDS = [0, 1, 2]
DASK = Path(sys.executable).with_name("dask")


def comparable(table):
    """A sweep's rows without the one machine-dependent column, in a fixed order."""
    return sorted(json.dumps({k: v for k, v in row.items() if k != "seconds"}, sort_keys=True,
                             default=str) for row in table.to_dict("records"))  # fmt: skip


@pytest.fixture(scope="module")
def serial_table():
    return sweep(GRID, SEEDS, base=BASE, progress=False)


def test_the_grid_is_every_combination_with_every_seed():
    runs = [run.settings for run in plan(grid=GRID, seeds=SEEDS, base=BASE)]
    assert len(runs) == 2 * 2 * 3
    assert {(r.problem, r.CXPB, r.seed) for r in runs} == {
        (p, c, s) for p in GRID["problem"] for c in GRID["CXPB"] for s in SEEDS
    }
    assert all(r.MU == 30 and r.middle_layer == 5 for r in runs)  # base, then defaults


def test_bad_values_fail_before_any_run_naming_the_range():
    with pytest.raises(ValueError, match=r"CXPB must be a number from 0 to 1; got 1\.5"):
        plan(grid={"CXPB": [0.5, 1.5]})
    with pytest.raises(ValueError, match="problem must be one of 'classification'"):
        plan(grid={"problem": ["spirals"]})
    with pytest.raises(ValueError, match="give seeds with seeds="):
        plan(grid={"seed": [1, 2]})
    # a combination no run would take: refused whole, before anything runs or is written
    with pytest.raises(ValueError, match="CXPB \\+ MUTPB must be at most 1"):
        plan(grid={"algorithm": ["lesson", "elitist"], "CXPB": [0.6, 0.9]}, seeds=[0])


def test_a_row_is_the_command_lines_summary_plus_error(serial_table, capsys):
    assert main(["--problem", "moons", "--cxpb", "0.3", "--mu", "30", "--ngen", "8", "--rgen",
                 "5", "--engine", "numpy", "--seed", "1", "--json", "--quiet"]) == 0  # fmt: skip
    single = json.loads(capsys.readouterr().out)
    row = serial_table[(serial_table["problem"] == "moons") & (serial_table["CXPB"] == 0.3)
                       & (serial_table["seed"] == 1)].iloc[0].to_dict()  # fmt: skip
    assert set(row) == set(single) | {"method", "target", "reached", "error"}
    assert row["error"] is None and row["method"] == "lesson GA"
    assert {k: row[k] for k in single if k != "seconds"} == {
        k: v for k, v in single.items() if k != "seconds"
    }


EVERY_ENGINE = {"engine": ["lesson", "deap", "numpy"], "fitness": ["accuracy", "loss"]}
"""The lesson's GA on every engine and fitness. The DEAP engines draw from Python's random,
which Dask's own threads also call."""
OTHER_METHODS = ["elitist GA", "elitist GA + loss", "CMA-ES on accuracy", "CMA-ES + loss",
                 "separable CMA-ES", "evolution strategy", "backprop"]  # fmt: skip
METHOD_BASE = dict(MU=20, NGEN=6, RGEN=5)


def every_method(**where):
    engines = sweep(EVERY_ENGINE, SEEDS[:2], base=METHOD_BASE, progress=False, **where)
    others = run_study(["circles"], OTHER_METHODS, SEEDS[:2], base=METHOD_BASE, **where)
    return pd.concat([engines, others], ignore_index=True)


@pytest.fixture(scope="module")
def serial_methods():
    return every_method()


@pytest.mark.cluster
@pytest.mark.parametrize("scheduler", ["processes", "dask"])
def test_every_scheduler_gives_the_serial_table(serial_table, scheduler, no_leftovers):
    table = sweep(GRID, SEEDS, base=BASE, scheduler=scheduler, workers=2, progress=False)
    assert comparable(table) == comparable(serial_table)


@pytest.mark.cluster
def test_every_engine_and_method_gives_the_same_rows_on_processes_and_twice_on_dask(
    serial_methods, no_leftovers
):
    assert serial_methods["error"].isna().all() and len(serial_methods) == 2 * (6 + 7)
    for scheduler in ("processes", "dask", "dask"):
        table = every_method(scheduler=scheduler, workers=2)
        assert comparable(table) == comparable(serial_methods), scheduler


@pytest.fixture
def dask_cluster_processes(tmp_path):
    """A `dask scheduler` and a `dask worker`, separate processes on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    log = open(tmp_path / "dask.log", "w")  # closed below
    common = dict(stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    before = own_processes()
    started = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                 "--no-dashboard"], **common)]  # fmt: skip
    # Two threads: two runs at once in one worker process, each with its own random stream.
    started.append(subprocess.Popen([DASK, "worker", address, "--nworkers", "1", "--nthreads",
                                     "2", "--no-dashboard"], **common))  # fmt: skip
    try:
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(1, timeout=60)
        yield address
    finally:
        pids = own_processes() - before
        for process in started[::-1]:
            process.terminate()
        for process in started:
            process.wait(timeout=30)
        log.close()
        assert_gone(pids)


@pytest.mark.cluster
def test_a_dask_cluster_reached_by_address_gives_the_serial_table(
    serial_table, serial_methods, dask_cluster_processes, monkeypatch
):
    table = sweep(GRID, SEEDS, base=BASE, scheduler="dask", dask_address=dask_cluster_processes,
                  progress=False)  # fmt: skip
    assert comparable(table) == comparable(serial_table)
    table = every_method(scheduler="dask", dask_address=dask_cluster_processes)
    assert comparable(table) == comparable(serial_methods)
    monkeypatch.setenv("NEUROEVO_DASK_ADDRESS", dask_cluster_processes)  # the same, by variable
    table = sweep({"problem": ["moons"]}, [0], base=BASE, scheduler="dask", progress=False)
    assert table["error"].isna().all()


@pytest.mark.cluster
def test_a_wrong_dask_address_fails_within_seconds_and_clearly(no_leftovers):
    started = time.monotonic()
    with pytest.raises(ConnectionError, match=r"no Dask scheduler answered at 'tcp://127\.0\.0\.1:9'"):
        sweep({"problem": ["moons"]}, [0], base=BASE, scheduler="dask",
              dask_address="tcp://127.0.0.1:9", progress=False)  # fmt: skip
    assert time.monotonic() - started < 15


class Failing(Strategy):
    """A method that fails on the seeds it is given an odd one of: a run that raises."""

    def __init__(self, problem, settings, toolbox=None):
        super().__init__(problem, settings)
        if settings.seed % 2:
            raise RuntimeError(f"seed {settings.seed} is odd")

    def first(self):
        return np.zeros((1, self.problem.genes))

    def ask(self):
        return self.first()

    def tell(self, genomes, evaluation):
        pass


@pytest.fixture
def failing_method():
    register_method(Method("failing", "fails on odd seeds", Failing,
                           labels={"accuracy": "failing"}, auto_fitness="accuracy"))  # fmt: skip
    yield
    del METHOD_TABLE["failing"]
    METHOD_NAMES.remove("failing")


def test_a_failing_run_is_recorded_the_sweep_goes_on_and_a_rerun_retries_it(
    tmp_path, failing_method
):
    path = tmp_path / "runs.jsonl"
    table = sweep({"algorithm": ["lesson", "failing"]}, [0, 1], base=BASE, results=path,
                  progress=False)  # fmt: skip
    failed = table[table["error"].notna()]
    assert len(table) == 4 and len(failed) == 1
    assert failed.iloc[0]["error"] == "RuntimeError: seed 1 is odd"
    assert len(load_results(path)) == 4
    counts = summary(table, ["algorithm"]).set_index("algorithm")
    assert counts.loc["failing", "errors"] == 1 and counts.loc["lesson", "errors"] == 0
    sweep({"algorithm": ["lesson", "failing"]}, [0, 1], base=BASE, results=path, progress=False)
    assert len(load_results(path)) == 5  # the failed run was run again, the others not


def test_a_sweep_that_every_run_fails_says_so(tmp_path, failing_method, capsys):
    out = tmp_path / "runs.jsonl"
    assert main(["sweep", "--algorithm", "failing", "--seeds", "1,3", "--out", str(out),
                 "--no-progress"]) == 1  # fmt: skip
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line == ("neuroevo sweep: every one of the 2 runs failed; the first: RuntimeError: "
                    "seed 1 is odd")  # fmt: skip


def test_a_rerun_skips_the_runs_in_the_results_file(tmp_path):
    path = tmp_path / "runs.jsonl"
    first = sweep({"problem": ["moons"]}, SEEDS, base=BASE, results=path, progress=False)
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:2]) + "\n" + lines[2][:40])  # a crash mid-line
    again = sweep({"problem": ["moons"]}, SEEDS, base=BASE, results=path, progress=False)
    kept = path.read_text().splitlines()
    assert kept[:2] == lines[:2] and len(kept) == 3  # two kept as they were, one rerun
    assert comparable(again) == comparable(first)
    bigger = sweep({"problem": ["moons"]}, [*SEEDS, 3], base=BASE, results=path, progress=False)
    assert path.read_text().splitlines()[:3] == kept and len(bigger) == 4
    keys = {json.loads(line)["key"] for line in path.read_text().splitlines()}
    assert keys == {run.key() for run in plan(grid={"problem": ["moons"]}, seeds=[*SEEDS, 3],
                                              base=BASE)}  # fmt: skip


INTERRUPTED = textwrap.dedent("""
    import sys
    from neuroevo_utils.study import sweep
    if __name__ == "__main__":
        sweep({"problem": ["circles"]}, range(12), base=dict(MU=300, NGEN=30, RGEN=10),
              results=sys.argv[1], scheduler=sys.argv[2], workers=2, progress=False)
""")


def _interrupt_by_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.cluster
@pytest.mark.parametrize("scheduler", ["processes", "dask"])
def test_an_interrupted_sweep_stops_its_workers_and_resumes(tmp_path, scheduler):
    script, results = tmp_path / "interrupted.py", tmp_path / "runs.jsonl"
    script.write_text(INTERRUPTED)
    # Ctrl-C's default action in the child even when this suite runs in the background
    # (nohup, `&` without job control), where the shell starts it with SIGINT ignored
    child = subprocess.Popen([sys.executable, script, results, scheduler], cwd=tmp_path,
                             stderr=subprocess.PIPE, text=True,
                             preexec_fn=_interrupt_by_default)  # fmt: skip
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        workers |= {p.pid for p in psutil.Process(child.pid).children(recursive=True)}
        if results.exists() and len(results.read_text().splitlines()) >= 2:
            break
        time.sleep(0.2)
    assert child.poll() is None, child.stderr.read()
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode != 0 and "KeyboardInterrupt" in stderr
    assert workers, "the sweep should have started worker processes"
    assert_gone(workers)
    finished = results.read_text().splitlines()
    assert 2 <= len(finished) < 12
    rest = sweep({"problem": ["circles"]}, range(12), base=dict(MU=300, NGEN=30, RGEN=10),
                 results=results, progress=False)  # fmt: skip
    assert results.read_text().splitlines()[: len(finished)] == finished
    assert len(results.read_text().splitlines()) == 12 == len(rest)


@pytest.mark.cluster
def test_a_client_that_fails_to_start_leaves_no_cluster_behind(monkeypatch, no_leftovers):
    import distributed

    class RefusingClient(distributed.Client):
        def __init__(self, *args, **kwargs):
            raise OSError("the client could not start")

    monkeypatch.setattr(distributed, "Client", RefusingClient)  # the cluster itself is real
    with pytest.raises(OSError, match="the client could not start"):
        list(results_as_completed(_reciprocal, [1, 2], "dask", workers=1))


@pytest.mark.cluster
def test_errors_inside_a_task_stop_the_pool_and_surface(no_leftovers):
    with pytest.raises(ZeroDivisionError):
        list(results_as_completed(_reciprocal, [1, 2, 0, 4], "processes", workers=2))


def _reciprocal(x):
    return 1 / x


@pytest.mark.parametrize("scheduler", ["serial", pytest.param("dask", marks=pytest.mark.cluster)])
def test_the_command_line_sweeps_and_resumes(tmp_path, capsys, no_leftovers, scheduler):
    out = tmp_path / "runs.jsonl"
    args = ["sweep", "--problem", "circles", "moons", "--cxpb", "0.3", "0.6", "--mu", "30",
            "--ngen", "8", "--rgen", "5", "--engine", "numpy", "--seeds", "0-2",
            "--out", str(out), "--no-progress", "--scheduler", scheduler]  # fmt: skip
    assert main(args) == 0
    printed = capsys.readouterr()
    assert printed.out.splitlines()[0].split()[:4] == ["problem", "CXPB", "runs", "reached"]
    assert "12 runs in" in printed.err and len(out.read_text().splitlines()) == 12
    assert main(args) == 0  # again: nothing new to run
    assert len(out.read_text().splitlines()) == 12


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--cxpb", "0.2", "1.5"], "CXPB must be a number from 0 to 1; got 1.5"),
        (["--seeds", "5-2"], "the range '5-2' runs backwards; write it as 2-5"),
        (["--seeds", "-1"], "seeds must look like 0-19, 0,5,9 or 0-4,10"),
        (["--seeds", "0-x"], "seeds must look like 0-19, 0,5,9 or 0-4,10"),
        (["--problem", "moons", "--mu", "50", "--algorithm", "cma-es"],
         "algorithm 'cma-es' does not use MU: leave it at the default"),
        (["--scheduler", "mpi"], "invalid choice: 'mpi'"),
        (["--dask-address", "tcp://x:1"], "--dask-address needs --scheduler dask"),
    ],
)
def test_bad_sweep_flags_exit_2_in_one_line(arguments, message, tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["sweep", "--out", str(tmp_path / "r.jsonl"), *arguments])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not os.path.exists(tmp_path / "r.jsonl")


@pytest.mark.parametrize("where", ["folder", "missing folder", "no permission"])
def test_a_results_file_that_cannot_be_written_is_refused_at_once(tmp_path, where, capsys):
    if where == "no permission" and os.geteuid() == 0:
        pytest.skip("root may write anywhere")
    out = {"folder": tmp_path, "missing folder": tmp_path / "no" / "r.jsonl",
           "no permission": tmp_path / "locked" / "r.jsonl"}[where]  # fmt: skip
    if where == "no permission":
        out.parent.mkdir(mode=0o500)
    started = time.monotonic()
    with pytest.raises(SystemExit) as exited:
        main(["sweep", "--problem", "moons", "--out", str(out)])
    assert exited.value.code == 2 and time.monotonic() - started < 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("neuroevo sweep: error: --out ")
