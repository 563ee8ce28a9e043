"""Scale-out: the same sweep on every scheduler, timed in one run (README, "Performance").

A sweep of independent runs (circles, the lesson's algorithm on the numpy engine, MU=300, up to
300 generations, seeds 0..N-1) on ``serial``, ``processes``, ``dask`` with a LocalCluster the
sweep starts and stops (its start-up is part of its time, as it is for a user), and ``dask``
at an address: a ``dask scheduler`` and ``dask worker`` started here as separate processes on
127.0.0.1 before the clock starts, as a cluster that is already running would be. Every
scheduler must give the same rows (seconds aside).

    .venv/bin/python benchmarks/bench_schedulers.py [--runs 60] [--workers 2]
    .venv/bin/python benchmarks/bench_schedulers.py --malloc-trim   # why the nanny is off

``--malloc-trim`` times the same 8 serial runs in fresh plain processes, taking turns, with
and without ``MALLOC_TRIM_THRESHOLD_=65536``, the setting Dask's nanny gives its workers
(the reason ``neuroevo_utils.scheduling`` drops it and the README starts workers without
a nanny).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from distributed import Client

from neuroevo_utils.study import sweep

DASK = Path(sys.executable).with_name("dask")


@contextmanager
def dask_processes(workers: int):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                 "--no-dashboard"], **quiet)]  # fmt: skip
    for _ in range(workers):  # as the README says: --no-nanny, one thread, one per core
        started.append(subprocess.Popen([DASK, "worker", address, "--no-nanny", "--nthreads",
                                         "1", "--no-dashboard"], **quiet))  # fmt: skip
    try:
        with Client(address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=60)
        yield address
    finally:
        for process in started[::-1]:
            process.terminate()
            process.wait(timeout=30)


def rows_without_seconds(table) -> list[str]:
    return sorted(json.dumps({k: v for k, v in r.items() if k != "seconds"}, sort_keys=True,
                             default=str) for r in table.to_dict("records"))  # fmt: skip


GRID = {"problem": ["circles"]}
BASE = {"MU": 300, "NGEN": 300, "RGEN": 1, "engine": "numpy"}
"""Every run of this benchmark: the lesson's algorithm on the numpy engine, seeds varying."""

EIGHT_RUNS = f"""
import time
from neuroevo_utils.study import sweep
started = time.perf_counter()
sweep({GRID!r}, range(8), base={BASE!r}, scheduler="serial", progress=False)
print(time.perf_counter() - started)
"""


def malloc_trim_table(turns: int = 3) -> str:
    """Seconds for 8 serial runs in a fresh process, with and without the nanny's setting."""
    plain = {k: v for k, v in os.environ.items() if k != "MALLOC_TRIM_THRESHOLD_"}
    environments = {
        "plain process": plain,
        "MALLOC_TRIM_THRESHOLD_=65536": {**plain, "MALLOC_TRIM_THRESHOLD_": "65536"},
    }
    seconds: dict[str, list[float]] = {name: [] for name in environments}
    for _ in range(turns):
        for name, environment in environments.items():
            out = subprocess.run([sys.executable, "-c", EIGHT_RUNS], env=environment,
                                 capture_output=True, text=True, check=True).stdout  # fmt: skip
            seconds[name].append(float(out.split()[-1]))
    lines = ["| process | seconds for 8 runs (each turn) | median |", "|---|---|---:|"]
    for name, values in seconds.items():
        shown = ", ".join(f"{v:.2f}" for v in values)
        lines.append(f"| {name} | {shown} | {sorted(values)[len(values) // 2]:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60, help="runs in the sweep (seeds 0..N-1)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument(
        "--malloc-trim",
        action="store_true",
        help="only: 8 runs with and without the nanny's MALLOC_TRIM_THRESHOLD_",
    )
    args = parser.parse_args()
    if args.malloc_trim:
        print(malloc_trim_table())
        return
    grid, base = GRID, BASE
    seeds = range(args.runs)

    def timed(scheduler, workers, address=None):
        started = time.perf_counter()
        table = sweep(grid, seeds, base=base, scheduler=scheduler, workers=workers,
                      dask_address=address, progress=False)  # fmt: skip
        return time.perf_counter() - started, table

    results = {"serial": timed("serial", 1)}
    results["processes"] = timed("processes", args.workers)
    results["dask, LocalCluster"] = timed("dask", args.workers)
    with dask_processes(args.workers) as address:
        results["dask, scheduler + workers by address"] = timed("dask", args.workers, address)

    reference = rows_without_seconds(results["serial"][1])
    serial_seconds = results["serial"][0]
    print(f"\n{args.runs} runs (circles, MU=300, up to 300 generations, numpy engine), "
          f"{args.workers} workers:\n")  # fmt: skip
    print("| scheduler | workers | wall seconds | runs per second | speed-up | "
          "overhead per run (ms) | same rows as serial |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, (seconds, table) in results.items():
        workers = 1 if name == "serial" else args.workers
        busy = float(table["seconds"].sum())  # time spent inside the runs themselves
        overhead = (seconds * workers - busy) / len(table) * 1000
        same = rows_without_seconds(table) == reference
        print(
            f"| {name} | {workers} | {seconds:.1f} | {len(table) / seconds:.1f} | "
            f"{serial_seconds / seconds:.2f} | {overhead:.0f} | {'yes' if same else 'NO'} |"
        )


if __name__ == "__main__":
    main()
