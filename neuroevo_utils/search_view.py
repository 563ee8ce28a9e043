"""The search drawn: a population moving through weight space, over accuracy and over loss.

Introduced in notebook 04 and used in notebook 05 (with CMA-ES's sampling cloud, and
:func:`draw_staircase`) and at the top of the README. A network
of the lesson's has 21 weights, so its population lives in a 21-dimensional space; we look
at it on a plane. :func:`record_search` keeps every generation's genomes (and, for CMA-ES,
its mean and the shape of its sampling cloud); :func:`search_plane` takes the plane through
the centre of all those genomes along their two principal directions (the two directions in
which the run's genomes spread most). Each point of the plane is a network of its own, so
the plane can be coloured by that network's training accuracy — a staircase of flat terraces
— or by its cross-entropy loss, a slope (:func:`plane_scores`). Each genome is drawn where it
projects onto the plane: the surface is what the networks *on* the plane score; a dot's own
network lies off the plane, in the 19 other directions, and may score otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation, PillowWriter
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse
from matplotlib.ticker import MaxNLocator

from .methods.base import MeanStrategy, Strategy
from .methods.cma_es import CmaEs
from .problems import Problem, make_problem
from .settings import Settings


@dataclass
class SearchRecord:
    """Every generation of one run: its genomes, and for CMA-ES its mean and sampling cloud."""

    problem: Problem = field(repr=False)
    settings: Settings
    genomes: list[np.ndarray] = field(default_factory=list, repr=False)
    """One ``(networks, genes)`` array per generation; the first is the start."""
    best_accuracy: list[float] = field(default_factory=list)
    """The most accurate network of each generation's genomes."""
    means: list[np.ndarray] = field(default_factory=list, repr=False)
    covariances: list[np.ndarray] = field(default_factory=list, repr=False)
    """CMA-ES only: the mean it samples around and ``sigma² C``, before each generation."""


def record_search(settings: Settings, generations: int,
                  strategy: type[Strategy] | None = None) -> SearchRecord:  # fmt: skip
    """Run ``settings`` (the lesson's GA on the numpy engine, CMA-ES, or an evolution strategy
    that moves one mean, e.g. a ``strategy`` class written in a notebook) for up to
    ``generations`` generations, keeping each generation's genomes; it stops after the first
    generation that holds a network at ``settings.target_accuracy``."""
    problem = make_problem(settings)
    record = SearchRecord(problem, settings)
    chosen = strategy or settings.method.strategy_class(settings.engine)
    strategy = chosen(problem, settings)
    if isinstance(strategy, CmaEs):
        return _record_cma_es(strategy, record, generations)
    if isinstance(strategy, MeanStrategy):
        return _record_mean_strategy(strategy, record, generations)
    if not hasattr(strategy, "population"):
        raise ValueError(f"record_search draws the numpy engine's GA, CMA-ES or a strategy "
                         f"that moves one mean; got algorithm {settings.algorithm!r} on "
                         f"engine {settings.engine!r}")  # fmt: skip
    record.best_accuracy.append(strategy.start()["max"])  # a logbook row: its best network
    record.genomes.append(strategy.population.copy())
    return _record_generations(strategy, record, generations,
                               lambda: record.genomes.append(strategy.population.copy()))


def _record_generations(strategy: Strategy, record: SearchRecord, generations: int,
                        keep_genomes) -> SearchRecord:  # fmt: skip
    """Run up to ``generations`` generations, calling ``keep_genomes`` after each and keeping
    its best accuracy (from its logbook row); stop after one that reached the target."""
    for _ in range(generations):
        (row,) = strategy.run(1)
        keep_genomes()
        record.best_accuracy.append(row["max"])
        if row["max"] >= record.settings.target_accuracy:
            break
    return record


def _record_mean_strategy(strategy: MeanStrategy, record: SearchRecord,
                          generations: int) -> SearchRecord:  # fmt: skip
    """An evolution strategy's samples each generation, its mean, and (if it has a fixed
    ``sigma``) its round sampling cloud."""
    asked, sampled = strategy.ask, []

    def ask():  # what it samples is what it asks the problem to score
        record.means.append(np.array(strategy.mean))
        sigma = getattr(strategy, "sigma", 0.0)
        record.covariances.append(sigma**2 * np.eye(strategy.mean.size))
        sampled.append(np.array(asked()))
        return sampled[-1]

    strategy.ask = ask
    strategy.start()
    return _record_generations(strategy, record, generations,
                               lambda: record.genomes.append(sampled[-1]))


def _record_cma_es(strategy: CmaEs, record: SearchRecord, generations: int) -> SearchRecord:
    """CMA-ES's samples each generation, with the mean and ``sigma² C`` it sampled them from."""
    score, sampled = strategy.fitnesses, []

    def fitnesses(population):  # called between sampling and the update (or a restart)
        cma = strategy.strategy
        record.means.append(np.array(cma.centroid))
        record.covariances.append(cma.sigma**2 * np.array(cma.C))
        sampled.append(np.array(population))
        return score(population)

    strategy.fitnesses = fitnesses
    strategy.start()
    return _record_generations(strategy, record, generations,
                               lambda: record.genomes.append(sampled[-1]))


@dataclass(frozen=True)
class Plane:
    """A plane through weight space: ``centre + a * first + b * second``."""

    centre: np.ndarray
    first: np.ndarray
    second: np.ndarray

    def project(self, genomes: np.ndarray) -> np.ndarray:
        """Each genome's ``(a, b)``: where it lands on the plane."""
        offset = np.atleast_2d(genomes) - self.centre
        return np.column_stack([offset @ self.first, offset @ self.second])

    def genomes(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The networks at plane coordinates ``a, b`` (same shape), one genome per row."""
        return (self.centre + np.multiply.outer(a.ravel(), self.first)
                + np.multiply.outer(b.ravel(), self.second))  # fmt: skip


def search_plane(record: SearchRecord) -> Plane:
    """The plane through the run's last, most accurate network, along the two directions in
    which all the genomes it made spread most (their first two principal components): so
    the network the run found lies on the surface drawn, scored as it scores."""
    everything = np.concatenate(record.genomes)
    _, _, directions = np.linalg.svd(everything - everything.mean(axis=0), full_matrices=False)
    last = record.genomes[-1]
    best = last[np.argmax(record.problem.evaluate(last).accuracy)]
    return Plane(best, directions[0], directions[1])


@dataclass(frozen=True)
class PlaneScores:
    """Training accuracy and loss of the networks on a grid of the plane."""

    a: np.ndarray
    b: np.ndarray
    accuracy: np.ndarray
    loss: np.ndarray


def plane_scores(record: SearchRecord, plane: Plane, points: int = 81,
                 margin: float = 0.15) -> PlaneScores:  # fmt: skip
    """Score ``points × points`` networks on the plane, over the square the run's projected
    genomes fill (plus ``margin`` of its width): one batched pass of the problem."""
    landed = plane.project(np.concatenate(record.genomes))
    low, high = landed.min(axis=0), landed.max(axis=0)
    half = (high - low).max() * (0.5 + margin)
    middle = (low + high) / 2
    a, b = np.meshgrid(np.linspace(middle[0] - half, middle[0] + half, points),
                       np.linspace(middle[1] - half, middle[1] + half, points))  # fmt: skip
    scored = record.problem.evaluate(plane.genomes(a, b), fitness="loss")
    return PlaneScores(a, b, scored.accuracy.reshape(a.shape), scored.loss.reshape(a.shape))


SURFACES = {"accuracy": "training accuracy: a staircase", "loss": "cross-entropy loss: a slope"}


def draw_surface(ax: Axes, scores: PlaneScores, surface: str) -> None:
    """The plane coloured by ``surface``: ``"accuracy"`` (terraces) or ``"loss"`` (a slope)."""
    if surface not in SURFACES:
        raise ValueError(f"surface must be one of {', '.join(SURFACES)}; got {surface!r}")
    if surface == "accuracy":
        levels = np.unique(np.round(scores.accuracy, 6))
        edges = np.concatenate([[levels[0] - 1e-9], (levels[1:] + levels[:-1]) / 2,
                                [levels[-1] + 1e-9]])  # fmt: skip
        shown = ax.contourf(scores.a, scores.b, scores.accuracy, levels=edges, cmap="viridis")
    else:
        shown = ax.contourf(scores.a, scores.b, np.log10(scores.loss), levels=30,
                            cmap="viridis_r")  # fmt: skip
    label = "accuracy" if surface == "accuracy" else "log10 loss"
    bar = ax.figure.colorbar(shown, ax=ax, shrink=0.8, label=label)
    bar.locator = MaxNLocator(6)
    bar.update_ticks()
    ax.set_title(SURFACES[surface], fontsize="medium")
    ax.set_xlabel("first principal direction")
    ax.set_ylabel("second principal direction")
    ax.set_aspect("equal")


def draw_generation(ax: Axes, record: SearchRecord, plane: Plane, generation: int) -> list:
    """Generation ``generation``'s genomes as dots, its best as a star and, for CMA-ES, its
    sampling cloud as the ellipse holding about 86% of the samples (two standard deviations
    along each axis of the cloud projected onto the plane). Returns what it drew."""
    landed = plane.project(record.genomes[generation])
    drawn = [ax.scatter(landed[:, 0], landed[:, 1], s=6, c="white", edgecolors="black",
                        linewidths=0.3, zorder=3)]  # fmt: skip
    if record.means:
        basis = np.stack([plane.first, plane.second])
        cloud = basis @ record.covariances[generation] @ basis.T
        values, vectors = np.linalg.eigh(cloud)
        centre = plane.project(record.means[generation])[0]
        angle = np.degrees(np.arctan2(vectors[1, 1], vectors[0, 1]))
        ellipse = Ellipse(centre, 4 * np.sqrt(values[1]), 4 * np.sqrt(values[0]), angle=angle,
                          fill=False, color="red", lw=1.5, zorder=4)  # fmt: skip
        drawn.append(ax.add_patch(ellipse))
        drawn.append(ax.scatter(*centre, marker="+", s=80, c="red", zorder=5))
    return drawn


def still_generations(record: SearchRecord, wanted: tuple[int, ...] = (0, 5, 20)) -> list[int]:
    """The generations of ``wanted`` the run has, and its last: what :func:`search_stills`
    draws by default (a run that reached its target at once has fewer)."""
    last = len(record.genomes) - 1
    return sorted({min(g, last) for g in wanted} | {last})


def search_stills(
    record: SearchRecord,
    plane: Plane,
    scores: PlaneScores,
    generations: list[int] | None = None,
    surface: str = "accuracy",
) -> Figure:
    """A small multiple: the chosen generations side by side over one surface (by default
    :func:`still_generations`)."""
    generations = still_generations(record) if generations is None else generations
    figure, axes = plt.subplots(1, len(generations), figsize=(3.2 * len(generations), 3.4),
                                layout="constrained", squeeze=False)  # fmt: skip
    for ax, generation in zip(axes[0], generations, strict=True):
        _draw_plain_surface(ax, scores, surface)
        draw_generation(ax, record, plane, generation)
        best = record.best_accuracy[generation]
        ax.set_title(f"generation {generation}: best {best:.2f}", fontsize="medium")
        ax.set_xticks([])
        ax.set_yticks([])
    return figure


def _draw_plain_surface(ax: Axes, scores: PlaneScores, surface: str) -> None:
    values = scores.accuracy if surface == "accuracy" else np.log10(scores.loss)
    ax.contourf(scores.a, scores.b, values, levels=20,
                cmap="viridis" if surface == "accuracy" else "viridis_r")  # fmt: skip
    ax.set_aspect("equal")


def save_search_animation(record: SearchRecord, plane: Plane, scores: PlaneScores,
                          path: str | Path, title: str, fps: int = 6) -> Path:  # fmt: skip
    """An animated GIF: the generations one by one, over accuracy (left) and loss (right).
    A GIF plays on GitHub, in JupyterLab and in a browser alike."""
    figure, axes = plt.subplots(1, 2, figsize=(9.5, 4.4), layout="constrained")
    for ax, surface in zip(axes, SURFACES, strict=True):
        draw_surface(ax, scores, surface)
    heading = figure.suptitle("")
    drawn: list = []

    def frame(generation: int) -> list:
        for artist in drawn:
            artist.remove()
        drawn.clear()
        for ax in axes:
            drawn.extend(draw_generation(ax, record, plane, generation))
        best = record.best_accuracy[generation]
        heading.set_text(f"{title}\ngeneration {generation}: best training accuracy {best:.2f}")
        return [*drawn, heading]

    frames = list(range(len(record.genomes))) + [len(record.genomes) - 1] * fps  # hold the end
    animation = FuncAnimation(figure, frame, frames=frames, blit=False)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    animation.save(path, writer=PillowWriter(fps=fps), dpi=72)
    plt.close(figure)
    return path


@dataclass(frozen=True)
class LineScores:
    """Training accuracy and loss of the networks ``genome + t * direction``."""

    t: np.ndarray
    accuracy: np.ndarray
    loss: np.ndarray


def line_scores(problem: Problem, genome: np.ndarray, direction: np.ndarray,
                span: float, points: int = 801) -> LineScores:  # fmt: skip
    """Score the networks on the line through ``genome`` along ``direction`` (made unit
    length), ``t`` from ``-span`` to ``span``: one batched pass."""
    unit = np.asarray(direction, dtype=float) / np.linalg.norm(direction)
    t = np.linspace(-span, span, points)
    scored = problem.evaluate(genome + np.multiply.outer(t, unit), fitness="loss")
    return LineScores(t, scored.accuracy, scored.loss)


def draw_staircase(axes: tuple[Axes, Axes], line: LineScores, mutants_t: np.ndarray,
                   mutants: tuple[np.ndarray, np.ndarray]) -> None:  # fmt: skip
    """Accuracy (left) and loss (right) along a line through a network, its own score at
    ``t = 0``; ``mutants``: the accuracy and loss of mutants of it, drawn at ``mutants_t``
    (where each lands along the line)."""
    for ax, values, mutant_values, name in (
        (axes[0], line.accuracy, mutants[0], "training accuracy"),
        (axes[1], line.loss, mutants[1], "cross-entropy loss"),
    ):
        ax.plot(line.t, values, color="C0", lw=1.5, label="networks on the line")
        ax.scatter(mutants_t, mutant_values, s=8, color="C1", alpha=0.5, zorder=3,
                   label="mutants (each off the line)")  # fmt: skip
        ax.axvline(0, color="grey", lw=0.8, ls=":")
        ax.set_xlabel("distance along the line from the stalled network")
        ax.set_ylabel(name)
    axes[0].set_title("accuracy: flat terraces, then a drop", fontsize="medium")
    axes[1].set_title("loss: a slope to follow", fontsize="medium")
    axes[0].legend(loc="lower left", fontsize="small")
