"""Each DEAP run draws from its own stream: other threads and other runs cannot change it."""

import random
import threading

from deap import tools

from neuroevo_utils import build_toolbox, evolve, load_data
from neuroevo_utils.engines.run_stream import bind_toolbox, drawing_from

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
    assert bound.select.func is tools.selTournament and bound.attr_float.__name__ == "attr_float"


def test_deap_operators_draw_from_the_run_stream_only_inside_a_run():
    random.seed(1)
    outside = [random.random() for _ in range(3)]
    random.seed(1)
    with drawing_from(random.Random(99)):
        inside = tools.selRandom(list(range(1000)), 3)
    assert [random.random() for _ in range(3)] == outside  # the global stream was not used
    replay = random.Random(99)
    assert inside == [replay.choice(range(1000)) for _ in range(3)]


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


def test_every_deap_module_that_draws_is_given_the_stand_in():
    import importlib
    import pkgutil
    import sys

    import deap

    from neuroevo_utils.engines.run_stream import DEAP_MODULES_THAT_DRAW

    for module in pkgutil.walk_packages(deap.__path__, "deap."):
        importlib.import_module(module.name)
    drawing = {
        name for name, module in sys.modules.items()
        if name.startswith("deap") and getattr(module, "random", None) is not None
    }  # fmt: skip
    assert drawing <= set(DEAP_MODULES_THAT_DRAW)
    with drawing_from(random.Random(1)):
        pass
    assert all(sys.modules[name].random is not random for name in drawing)
