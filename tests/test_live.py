"""The live display's messages. That a browser shows them is proven in test_browser.py."""

import matplotlib.pyplot as plt
import pytest

from neuroevo_utils import evolve, load_data
from neuroevo_utils.live import LiveEvolutionDisplay


@pytest.fixture
def shown(monkeypatch, capsys):
    """What the display sends, in order: ("clear", wait), ("figure", fig), ("text", line)."""
    messages = []

    def fake_clear_output(wait=False):
        messages.append(("clear", wait))

    def fake_display(obj, **kwargs):
        assert not kwargs, "no display_id: front ends drop its updates inside an Output widget"
        messages.append(("figure", obj))

    monkeypatch.setattr("neuroevo_utils.live.clear_output", fake_clear_output)
    monkeypatch.setattr("neuroevo_utils.live.display", fake_display)

    def read():
        for line in capsys.readouterr().out.splitlines():
            messages.append(("text", line))
        return messages

    return read


def frames(messages):
    """Split the messages into frames, each starting with a clear."""
    result = []
    for message in messages:
        if message[0] == "clear":
            result.append([])
        result[-1].append(message)
    return result


def test_each_frame_replaces_the_last_with_the_figure_and_a_status_line(shown):
    X, Y = load_data("moons", 100, 1, random_state=0)
    live = LiveEvolutionDisplay(min_seconds=0.0)
    rounds = []

    def on_round(report):
        rounds.append(report.round)
        live(report)
        shown()  # collect this round's printed line before the next frame

    result = evolve(
        X, Y, MU=20, RGEN=1, seed=3, target_accuracy=0.85, engine="numpy", on_round=on_round
    )
    live.finish(result)
    drawn = frames(shown())
    # the first round always draws; later ones once enough time has passed (DRAWING_SHARE)
    assert len(rounds) > 1 and 2 <= live.draws == len(drawn) <= len(rounds) + 1
    for frame in drawn:
        status = frame[2][1]
        # wait=True: the old frame stays until the new one arrives, so nothing flickers
        assert frame == [("clear", True), ("figure", live.figure), ("text", status)]
    assert drawn[0][2][1].startswith("round 1 of 100 (generation 1)")
    final = f"after {result.generations} generations: best accuracy"
    assert final in drawn[-1][2][1]  # once, below the figure; the figure says what ran
    assert live.figure._suptitle.get_text() == (
        "the points given, 100 points · lesson GA (numpy engine)\n"
        "5 hidden units · MU 20 · up to 100 × 1 generations · seed 3"
    )
    assert live.status == drawn[-1][2][1]
    assert len(live.figure.axes) == 2 and not plt.get_fignums()  # never shown a second time


def test_the_kept_line_ends_at_the_accuracy_the_title_reports(shown):
    X, Y = load_data("circles", 100, 1, random_state=1)
    live = LiveEvolutionDisplay(min_seconds=0.0)
    result = evolve(X, Y, MU=30, NGEN=20, RGEN=2, seed=1, engine="deap", algorithm="elitist",
                    fitness="loss", on_round=live)  # fmt: skip
    live.finish(result)
    shown()
    (kept,) = [line for line in live.ax_fitness.get_lines()
               if line.get_label() == "best kept (hall of fame)"]  # fmt: skip
    assert kept.get_xdata()[-1] == result.generations
    assert kept.get_ydata()[-1] == result.train_accuracy
    assert f"best accuracy {round(result.train_accuracy, 3)}" in live.status
    lines = {line.get_label(): line for line in live.ax_fitness.get_lines()}
    assert kept.get_zorder() < lines["best in population"].get_zorder()  # never hides it


def test_the_kept_line_and_its_legend_entry_appear_together(shown):
    X, Y = load_data("moons", 100, 1, random_state=0)
    live = LiveEvolutionDisplay(min_seconds=3600)  # only the first round's frame
    evolve(X, Y, MU=10, NGEN=3, RGEN=1, early_stop=False, engine="numpy", on_round=live)
    shown()
    legend = [text.get_text() for text in live.ax_fitness.get_legend().get_texts()]
    assert "best kept (hall of fame)" not in legend  # one point: no line yet, no entry


def test_frames_wait_long_enough_that_drawing_is_at_most_its_share_of_the_time(shown):
    X, Y = load_data("moons", 100, 1, random_state=0)
    live = LiveEvolutionDisplay(min_seconds=0.0)
    evolve(X, Y, MU=5, NGEN=1, RGEN=1, early_stop=False, engine="numpy", on_round=live)
    shown()
    assert live.draws == 1 and live.seconds_drawing > 0
    share = LiveEvolutionDisplay.DRAWING_SHARE  # the wait makes drawing that share of the time
    assert live._wait == pytest.approx(live.seconds_drawing * (1 - share) / share)


def test_redraws_are_throttled(shown):
    X, Y = load_data("moons", 100, 1, random_state=0)
    slow = LiveEvolutionDisplay(min_seconds=3600)
    evolve(X, Y, MU=5, NGEN=100, RGEN=1, early_stop=False, engine="numpy", on_round=slow)
    assert slow.draws == 1  # the first round draws, the rest fall inside the throttle
    assert len(frames(shown())) == 1


def test_finish_before_any_round_is_an_error(shown):
    X, Y = load_data("moons", 100, 1, random_state=0)
    result = evolve(X, Y, MU=5, RGEN=1, engine="numpy", target_accuracy=0.5)
    with pytest.raises(RuntimeError, match="passed to evolve"):
        LiveEvolutionDisplay().finish(result)
