"""The search drawn (neuroevo_utils.search_view): what each picture is made of."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from neuroevo_utils import Settings
from neuroevo_utils.search_view import (
    draw_generation,
    plane_scores,
    record_search,
    save_search_animation,
    search_plane,
    search_stills,
)


@pytest.fixture(scope="module")
def ga_run():
    settings = Settings.of(problem="moons", seed=1, engine="numpy", MU=60, RGEN=1)
    return record_search(settings, 8)


def test_a_ga_run_keeps_every_generation_and_stops_at_its_target(ga_run):
    assert len(ga_run.genomes) == len(ga_run.best_accuracy) <= 9
    assert all(g.shape == (60, 21) for g in ga_run.genomes)
    assert ga_run.best_accuracy[-1] >= 1.0 or len(ga_run.genomes) == 9
    assert not ga_run.means  # no sampling cloud: a GA


def test_the_plane_passes_through_the_network_found_and_scores_it_as_it_scores(ga_run):
    plane = search_plane(ga_run)
    assert np.allclose(plane.project(plane.centre), 0)
    assert abs(plane.first @ plane.second) < 1e-9 and np.isclose(plane.first @ plane.first, 1)
    scores = plane_scores(ga_run, plane, points=21)
    assert scores.accuracy.shape == scores.loss.shape == (21, 21)
    found = ga_run.problem.evaluate(plane.centre[None]).accuracy[0]
    assert found == max(ga_run.problem.evaluate(ga_run.genomes[-1]).accuracy)
    centre = np.unravel_index(np.argmin(np.hypot(scores.a, scores.b)), scores.a.shape)
    assert scores.accuracy.max() >= found - 0.2 and scores.loss[centre] > 0


def test_cma_es_is_drawn_with_its_sampling_cloud(tmp_path):
    record = record_search(Settings.of(problem="moons", seed=1, algorithm="cma-es", RGEN=1), 6)
    assert len(record.means) == len(record.covariances) == len(record.genomes) <= 6
    assert record.genomes[0].shape == (13, 21)  # CMA-ES's 4 + 3 ln(21) samples
    plane = search_plane(record)
    figure, ax = plt.subplots()
    drawn = draw_generation(ax, record, plane, 0)
    assert any(type(artist).__name__ == "Ellipse" for artist in drawn)
    plt.close(figure)


def test_stills_and_the_animation_are_drawn_from_the_run(ga_run, tmp_path):
    plane = search_plane(ga_run)
    scores = plane_scores(ga_run, plane, points=15)
    figure = search_stills(ga_run, plane, scores, [0, len(ga_run.genomes) - 1])
    assert len(figure.axes) == 2
    plt.close(figure)
    path = save_search_animation(ga_run, plane, scores, tmp_path / "run.gif", "moons", fps=4)
    with Image.open(path) as gif:
        assert gif.n_frames >= 2


def test_an_evolution_strategy_is_drawn_with_its_mean_and_round_cloud():
    settings = Settings.of(problem="moons", algorithm="es", RGEN=1, MU=10)
    record = record_search(settings, 3)
    assert len(record.means) == len(record.genomes) == 3 and record.genomes[0].shape == (10, 21)
    sigma = record.covariances[0][0, 0] ** 0.5
    assert np.allclose(record.covariances[0], sigma**2 * np.eye(21)) and sigma > 0


def test_only_the_searches_it_can_draw_are_recorded():
    with pytest.raises(ValueError, match="numpy engine's GA, CMA-ES or a strategy"):
        record_search(Settings.of(problem="moons", algorithm="backprop", RGEN=1), 2)
