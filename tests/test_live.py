import matplotlib.pyplot as plt

from neuroevo_utils import evolve, load_data
from neuroevo_utils.live import LiveEvolutionDisplay


class RecordingHandle:
    def __init__(self):
        self.updates = 0

    def update(self, figure):
        self.updates += 1


def test_one_figure_is_redrawn_in_place_and_throttled(monkeypatch):
    X, Y = load_data("moons", 100, 1, random_state=0)
    monkeypatch.setattr("neuroevo_utils.live.display", lambda *a, **k: RecordingHandle())
    live = LiveEvolutionDisplay(X, Y, min_seconds=0.0)
    rounds = []

    def on_round(report):
        rounds.append(report.round)
        live(report)

    result = evolve(
        X, Y, MU=20, RGEN=1, seed=3, target_accuracy=0.85, engine="numpy", on_round=on_round
    )
    assert len(rounds) > 1 and live.handle.updates == live.draws == len(rounds)
    live.finish(result)
    assert live.handle.updates == len(rounds) + 1
    assert f"after {result.generations} generations" in live.figure._suptitle.get_text()
    assert len(live.figure.axes) == 2 and not plt.get_fignums()  # never shown a second time

    slow = LiveEvolutionDisplay(X, Y, min_seconds=3600)
    evolve(X, Y, MU=5, NGEN=100, RGEN=1, early_stop=False, engine="numpy", on_round=slow)
    assert slow.draws == 1  # the first round draws, the rest fall inside the throttle
