import matplotlib.pyplot as plt
import numpy as np
import pytest

from neuroevo_utils import (
    NeuralNetwork,
    evolve,
    load_data,
    plot_data,
    plot_fitness,
    show_predictions,
)
from neuroevo_utils.plots import CLASS_LABELS, FIGURE_WIDTH, GRID_POINTS_PER_AXIS, figure_grid


class CountingModel:
    """Predicts x1 > 0 and remembers how many points it was asked about."""

    def __init__(self):
        self.points = 0

    def predict(self, X):
        self.points += len(X)
        return (X[:, 0] > 0).astype(int)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize(
    ("problem", "difficulty"), [("circles", 1), ("blobs", 5), ("gaussian quantiles", 5)]
)
def test_decision_grid_is_capped_whatever_the_data_range(problem, difficulty):
    X, Y = load_data(problem, 1000, difficulty, random_state=0)
    model = CountingModel()
    ax = show_predictions(model, X, Y, name="counting")
    # the grid, then the points themselves for the accuracy in the title
    assert model.points == GRID_POINTS_PER_AXIS**2 + len(X) and GRID_POINTS_PER_AXIS**2 <= 40_000
    assert ax.get_title().startswith("counting\naccuracy ") and ax.get_xlabel() == "x1"
    assert len(ax.collections) >= 2  # filled contours and the scatter of points
    # the surface covers the data plus a margin of 1 on every side
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert x0 <= X[:, 0].min() - 0.99 and x1 >= X[:, 0].max() + 0.99
    assert y0 <= X[:, 1].min() - 0.99 and y1 >= X[:, 1].max() + 0.99


def test_show_predictions_draws_on_a_given_axis_with_a_network():
    X, Y = load_data("moons", 100, 1, random_state=0)
    nn = NeuralNetwork(2, 5, 1)
    nn.set_parameters(np.ones(21))
    _, ax = plt.subplots()
    assert show_predictions(nn, X, Y, ax=ax) is ax


def test_plot_data_scatters_every_point_by_class():
    X, Y = load_data("blobs", 150, 2, random_state=0)
    ax = plot_data(X, Y, title="blobs")
    assert ax.get_title() == "blobs"
    assert [c.get_offsets().shape[0] for c in ax.collections] == np.bincount(Y).tolist()
    assert sum(c.get_offsets().shape[0] for c in ax.collections) == 150


@pytest.mark.parametrize("draw", ["plot_data", "show_predictions"])
def test_one_style_names_the_classes_and_keeps_x1_and_x2_to_scale(draw):
    X, Y = load_data("circles", 100, 1, random_state=0)
    model = CountingModel()
    ax = plot_data(X, Y) if draw == "plot_data" else show_predictions(model, X, Y)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(CLASS_LABELS)
    assert ax.get_aspect() == 1.0  # circles are drawn round
    assert ax.figure.get_figwidth() <= FIGURE_WIDTH
    assert plot_data(X, Y, legend=False).get_legend() is None


def test_a_trained_model_states_its_accuracy_on_the_points_shown():
    X, Y = load_data("moons", 100, 1, random_state=0)
    model = CountingModel()  # x1 > 0 is class 1
    expected = round(float(np.mean((X[:, 0] > 0).astype(int) == Y)), 3)
    assert show_predictions(model, X, Y, name="held-out points").get_title() == (
        f"held-out points\naccuracy {expected}"
    )


@pytest.mark.parametrize(("rows", "columns"), [(1, 1), (1, 2), (2, 3), (5, 2)])
def test_figure_grid_fits_a_notebook_column(rows, columns):
    figure, axes = figure_grid(rows, columns)
    assert axes.shape == (rows, columns)
    assert figure.get_figwidth() <= FIGURE_WIDTH


def test_plot_fitness_draws_best_and_mean_per_generation():
    X, Y = load_data("moons", 100, 1, random_state=0)
    result = evolve(X, Y, MU=20, NGEN=100, RGEN=1, early_stop=False, engine="numpy")
    ax = plot_fitness(result.logbook)
    best, mean = ax.get_lines()
    np.testing.assert_array_equal(best.get_xdata(), np.arange(101))
    np.testing.assert_array_equal(best.get_ydata(), result.logbook.select("max"))
    np.testing.assert_array_equal(mean.get_ydata(), result.logbook.select("avg"))


def test_a_constant_prediction_is_coloured_as_its_class():
    X, Y = load_data("circles", 100, 1, random_state=0)

    class AlwaysOne:
        def predict(self, X):
            return np.ones(len(X), dtype=int)

    class AlwaysZero:
        def predict(self, X):
            return np.zeros(len(X), dtype=int)

    colours = []
    for model in (AlwaysZero(), AlwaysOne()):
        ax = show_predictions(model, X, Y)
        filled = ax.collections[0]  # one ContourSet: a path and a colour per level
        (drawn,) = [i for i, path in enumerate(filled.get_paths()) if len(path.vertices)]
        colours.append(tuple(filled.get_facecolor()[drawn][:3]))
    assert colours[0] == pytest.approx(plt.cm.Spectral(0.0)[:3], abs=0.01)
    assert colours[1] == pytest.approx(plt.cm.Spectral(1.0)[:3], abs=0.01)


@pytest.mark.parametrize("parameter", ["problem", "MUTPB"])
def test_a_sweep_is_drawn_by_names_or_by_numbers(parameter):
    import pandas as pd

    from neuroevo_utils.plots import plot_sweep

    values = ["moons", "circles"] if parameter == "problem" else [0.1, 0.7]
    table = pd.DataFrame({parameter: pd.Series(values, dtype="string" if parameter ==
                                               "problem" else float),
                          "success rate": [0.9, 0.2], "median generations": [10.0, 80.0]})
    _, axes = figure_grid(1, 1)
    plot_sweep(table, parameter, axes[0, 0])
    labels = [t.get_text() for t in axes[0, 0].get_xticklabels()]
    assert labels == [str(v) for v in values]
    plt.close("all")
