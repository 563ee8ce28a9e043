"""Run many independent trainings: one after another, on local processes, or on Dask.

Introduced in notebook 05 (its race) and used by notebook 06's sweeps. One run of the lesson
is too small to split (shipping a generation to another process costs more than evaluating
it), but separate runs need nothing from each other, so they spread over cores and machines
perfectly. Whichever scheduler runs a task, the task seeds itself, so the same task gives the
same result.

==============  ===================================================================
scheduler       where the runs go
==============  ===================================================================
``serial``      this process, in order
``processes``   a pool of local worker processes (standard library), one per core
``dask``        a Dask cluster: a ``LocalCluster`` started (and stopped) here, or the
                scheduler at ``dask_address`` / ``$NEUROEVO_DASK_ADDRESS``
==============  ===================================================================
"""

from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TextIO

from tqdm.std import tqdm

SCHEDULERS: tuple[str, ...] = ("serial", "processes", "dask")
"""Where :func:`results_as_completed` can run tasks."""

DASK_ADDRESS_VARIABLE = "NEUROEVO_DASK_ADDRESS"
"""Environment variable naming an existing Dask scheduler, e.g. ``tcp://10.0.0.5:8786``."""

CONNECT_SECONDS = 5
"""How long to wait for a Dask scheduler at an address before saying it is not there."""


def default_workers() -> int:
    """One worker per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def dask_address(address: str | None = None) -> str | None:
    """The scheduler to use: ``address``, else ``$NEUROEVO_DASK_ADDRESS``, else ``None``
    (start a ``LocalCluster``)."""
    return address or os.environ.get(DASK_ADDRESS_VARIABLE) or None


def results_as_completed(
    function: Callable[[Any], Any],
    tasks: Sequence[Any],
    scheduler: str = "serial",
    *,
    workers: int | None = None,
    address: str | None = None,
    progress: bool | TextIO = False,
    done_before: int = 0,
    name: str = "runs",
) -> Iterator[tuple[int, Any]]:
    """Yield ``(index, function(tasks[index]))`` for every task, as each finishes.

    ``function`` must be importable by name (defined in a module, not a notebook cell) for
    ``processes`` and ``dask``. An exception in a task is raised here, after the workers are
    stopped; so is ``KeyboardInterrupt``. Every process or cluster started here is stopped
    when the iteration ends, however it ends. ``progress``: a bar of tasks done / total
    (:func:`progress_bar`), starting from ``done_before`` finished elsewhere.
    """
    if scheduler not in SCHEDULERS:
        raise ValueError(f"scheduler must be one of {', '.join(map(repr, SCHEDULERS))}; "
                         f"got {scheduler!r}")  # fmt: skip
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1; got {workers}")
    if scheduler == "serial" or not tasks:
        results = ((index, function(task)) for index, task in enumerate(tasks))
    elif scheduler == "processes":
        results = _on_processes(function, tasks, workers or default_workers())
    else:
        results = _on_dask(function, tasks, workers, dask_address(address))
    bar = progress_bar(progress, total=done_before + len(tasks), initial=done_before, name=name)
    with contextlib.closing(results), bar if bar is not None else contextlib.nullcontext():
        for result in results:
            yield result
            if bar is not None:
                bar.update()


def _on_processes(function, tasks, workers: int) -> Iterator[tuple[int, Any]]:
    # "spawn": fresh interpreters, safe from a Jupyter kernel's threads (fork is not).
    # Leaving the `with` block terminates the workers, whatever ended the iteration (an
    # error, an interrupt, a loop abandoned early); after a full iteration they are joined.
    context = multiprocessing.get_context("spawn")
    with context.Pool(min(workers, len(tasks))) as pool:
        indexed = functools.partial(_indexed, function)
        yield from pool.imap_unordered(indexed, enumerate(tasks))
        pool.close()
        pool.join()


def _indexed(function: Callable[[Any], Any], item: tuple[int, Any]) -> tuple[int, Any]:
    index, task = item
    return index, function(task)


def worker_environment() -> dict[str, Any]:
    """What a LocalCluster's nannies set before starting a worker: Dask's defaults, except
    ``MALLOC_TRIM_THRESHOLD_``.

    Dask sets it to 64 kB so that workers hand freed memory back to the system at once. Our
    runs allocate and free arrays of a few MB every generation, and with that setting each
    allocation costs fresh pages from the system: measured, a run took 34% longer
    (``MALLOC_TRIM_THRESHOLD_=65536`` in a plain process: 3.11 s against 2.32 s for 8 runs).
    """
    import dask

    environment = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}))
    environment.pop("MALLOC_TRIM_THRESHOLD_", None)
    return environment


def _on_dask(function, tasks, workers: int | None, address: str | None):
    from distributed import Client, as_completed

    # The stack closes the client, then the cluster, however the iteration ends, a failure
    # to start the client included.
    with contextlib.ExitStack() as stack:
        if address is None:
            cluster = stack.enter_context(_local_cluster(workers or default_workers()))
            client = stack.enter_context(Client(cluster))
        else:
            client = stack.enter_context(_connect(address))
        futures = [client.submit(function, task, pure=False) for task in tasks]
        stack.callback(client.cancel, futures)
        index = {future.key: i for i, future in enumerate(futures)}
        for future in as_completed(futures):
            yield index[future.key], future.result()


def _local_cluster(workers: int):
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.nanny.pre-spawn-environ": worker_environment()}):
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=1,  # one run per worker process, as with "processes"
            processes=True,
            dashboard_address=":0",  # any free port: never "8787 is in use" warnings
            silence_logs=logging.CRITICAL,  # not the benign heartbeat races of shutdown
        )


def _connect(address: str):
    from distributed import Client

    try:
        return Client(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError) as error:
        raise ConnectionError(
            f"no Dask scheduler answered at {address!r} within {CONNECT_SECONDS} s "
            f"({error}); start one with `dask scheduler` and `dask worker ADDRESS`, or "
            f"leave the address (and ${DASK_ADDRESS_VARIABLE}) unset to start a "
            "LocalCluster"
        ) from None


def progress_bar(progress: bool | TextIO, total: int, initial: int = 0, name: str = "runs"):
    """A bar of runs done / total (``tqdm``), or None when ``progress`` is False.

    ``progress=True`` draws on stderr, or on stdout in a notebook (where stderr shows as a red
    warning box); a stream draws there.
    """
    if progress is False:
        return None
    in_notebook = "ipykernel" in sys.modules
    stream = progress if progress is not True else (sys.stdout if in_notebook else sys.stderr)
    # In a notebook every redraw is kept in the saved output: redraw there only every 5 s.
    interval = 5.0 if stream is sys.stdout and in_notebook else 0.5
    return tqdm(total=total, initial=initial, file=stream, unit="run", desc=name,
                ascii=True, mininterval=interval)  # fmt: skip
