"""Each DEAP run draws from its own stream: other threads and other runs cannot change it,
and it changes nothing in DEAP's modules."""

import random
import threading

from deap import tools

from neuroevo_utils import build_toolbox, evolve, load_data
from neuroevo_utils.methods.run_stream import bind_toolbox, with_stream

X, Y = load_data("circles", 100, 1, random_state=3)
RUN = dict(MU=30, NGEN=10, RGEN=2, seed=5, early_stop=False)


def fingerprint(result):
    return result.generations, result.train_accuracy, result.best_individual.tolist()


def test_a_bound_toolbox_draws_its_genes_from_the_run_stream_and_leaves_the_original():
    toolbox = build_toolbox(X, Y, 5)
    bound = bind_toolbox(toolbox, random.Random(7))
    assert bound.attr_float.func.__self__ is not random.random.__self__
    assert toolbox.attr_float.func.__self__ is random.random.__self__  # the reader's as it was
    random.seed(7)
    assert bound.individual() == toolbox.individual()  # the same numbers as random.seed(7)
    assert bound.attr_float.__name__ == "attr_float"
    # the operators are copies of DEAP's own code, drawing from the run's stream
    assert bound.select.func is not tools.selTournament
    assert bound.select.func.__code__ is tools.selTournament.__code__
    assert bound.select.keywords == {"tournsize": 5}


def test_a_copied_operator_draws_from_its_stream_and_the_global_stream_is_untouched():
    random.seed(1)
    outside = [random.random() for _ in range(3)]
    random.seed(1)
    select = with_stream(tools.selTournament, random.Random(99))
    inside = select(list(range(1000)), 3, 2, fit_attr="real")  # numbers: their own fitness
    assert [random.random() for _ in range(3)] == outside  # the global stream was not used
    replay = random.Random(99)
    assert inside == [max(replay.choice(range(1000)), replay.choice(range(1000)))
                      for _ in range(3)]  # fmt: skip


def test_another_thread_drawing_from_random_does_not_change_a_run():
    alone = fingerprint(evolve(X, Y, engine="deap", **RUN))
    stop = threading.Event()

    def draw():
        while not stop.is_set():
            random.sample(range(100), 5)  # as dask.sizeof does in a worker's event loop

    other = threading.Thread(target=draw)
    other.start()
    try:
        disturbed = fingerprint(evolve(X, Y, engine="deap", **RUN))
    finally:
        stop.set()
        other.join()
    assert disturbed == alone


def test_two_runs_in_two_threads_at_once_each_give_their_own_run():
    expected = {seed: fingerprint(evolve(X, Y, engine="lesson", **{**RUN, "seed": seed}))
                for seed in (5, 6)}  # fmt: skip
    results = {}

    def run(seed):
        results[seed] = fingerprint(evolve(X, Y, engine="lesson", **{**RUN, "seed": seed}))

    threads = [threading.Thread(target=run, args=(seed,)) for seed in (5, 6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == expected


def test_a_run_leaves_every_deap_module_as_it_found_it():
    import importlib
    import pkgutil
    import sys

    import deap

    for module in pkgutil.walk_packages(deap.__path__, "deap."):
        importlib.import_module(module.name)
    before = {name: dict(vars(module)) for name, module in sys.modules.items()
              if name.startswith("deap")}  # fmt: skip
    evolve(X, Y, engine="deap", algorithm="elitist", **RUN)
    evolve(X, Y, engine="lesson", fitness="loss", **RUN)
    after = {name: dict(vars(sys.modules[name])) for name in before}
    assert after == before  # nothing patched, nothing left behind


def test_every_deap_function_that_draws_is_copied_to_draw_from_the_stream():
    """Each function of DEAP's that names ``random`` gets the run's stream in its copy."""
    import importlib
    import pkgutil
    import types

    import deap

    stream = random.Random(0)
    for info in pkgutil.walk_packages(deap.__path__, "deap."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (isinstance(value, types.FunctionType) and value.__module__ == module.__name__
                    and "random" in value.__code__.co_names):  # fmt: skip
                copy = with_stream(value, stream)
                assert copy is not value and copy.__globals__["random"] is stream, value
