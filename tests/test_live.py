import matplotlib.pyplot as plt
import pytest

from neuroevo_utils import evolve, load_data
from neuroevo_utils.live import LiveEvolutionDisplay


class RecordingHandle:
    def __init__(self):
        self.updates = 0

    def update(self, figure):
        self.updates += 1


@pytest.fixture
def displayed(monkeypatch):
    shown = []

    def fake_display(figure, display_id=False):
        assert display_id  # updatable in place
        shown.append(RecordingHandle())
        return shown[-1]

    monkeypatch.setattr("neuroevo_utils.live.display", fake_display)
    return shown


def test_one_figure_is_shown_once_then_updated_in_place(displayed):
    X, Y = load_data("moons", 100, 1, random_state=0)
    live = LiveEvolutionDisplay(min_seconds=0.0)
    rounds = []

    def on_round(report):
        rounds.append(report.round)
        live(report)

    result = evolve(
        X, Y, MU=20, RGEN=1, seed=3, target_accuracy=0.85, engine="numpy", on_round=on_round
    )
    assert len(rounds) > 1 and live.draws == len(rounds)
    assert len(displayed) == 1 and displayed[0].updates == len(rounds) - 1
    live.finish(result)
    assert displayed[0].updates == len(rounds)
    assert f"after {result.generations} generations" in live.figure._suptitle.get_text()
    assert len(live.figure.axes) == 2 and not plt.get_fignums()  # never shown a second time


def test_redraws_are_throttled(displayed):
    X, Y = load_data("moons", 100, 1, random_state=0)
    slow = LiveEvolutionDisplay(min_seconds=3600)
    evolve(X, Y, MU=5, NGEN=100, RGEN=1, early_stop=False, engine="numpy", on_round=slow)
    assert slow.draws == 1  # the first round draws, the rest fall inside the throttle


def test_finish_before_any_round_is_an_error(displayed):
    X, Y = load_data("moons", 100, 1, random_state=0)
    result = evolve(X, Y, MU=5, RGEN=1, engine="numpy", target_accuracy=0.5)
    with pytest.raises(RuntimeError, match="passed to evolve"):
        LiveEvolutionDisplay().finish(result)
