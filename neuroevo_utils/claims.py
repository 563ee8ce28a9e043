"""Every comparison the series draws from its studies, as data: rows, test, asserted verdict.

Introduced in notebook 05 and used by notebooks 06 and 07, the README and the benchmarks. A
:class:`Claim` names a committed study, what it compares — two methods run on the same
seeds, two problems, or an ordered setting of a sweep — and the verdict the prose asserts.
The test fits how the runs were made:

* methods on the same problems and seeds are compared seed by seed (``"paired"``: exact
  McNemar for reaching a target, Wilcoxon signed-rank for a number);
* different problems draw different data, so two problems are compared as independent
  groups (``"groups"``: Fisher's exact test);
* an ordered setting (points, rates, hidden units, genes) is tested for a trend decided in
  advance, within each seed and the sweep's other settings (``"trend"``: a stratified
  Mantel test; every setting of a sweep runs on a seed's same data), never by picking the
  best and the worst setting after seeing them. For work to a target, runs are ranked
  within their stratum, those that never reached it last. ``"ratio trend"``: the same for
  how many times one method's seconds are another's.

The claims a cell prints together are a *family*: their p-values are adjusted together by
Holm's method and the verdict follows the adjusted p.

``tests/test_claims.py`` checks every claim's verdict on the committed results;
``benchmarks/second_seed_set.py`` runs every study again on new seeds, and :func:`report`
prints both seed sets' verdicts side by side.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .study import curves, first_to_target, paired
from .uncertainty import (
    ALPHA,
    holm,
    independent_test,
    paired_test,
    paired_values_test,
    stratified_trend,
    verdict,
)

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "notebooks" / "results"
FULL_STUDY = ROOT / "benchmarks" / "results" / "full_study.jsonl"
SECOND_SET = ROOT / "benchmarks" / "results" / "second_seed_set"
"""Every study run again on new seeds by ``benchmarks/second_seed_set.py``."""
STUDIES = ("05_race", "05_noisy_race", "06_samples", "06_rates", "06_middle_layer",
           "06_problems", "07_threshold", "07_digits_race", "07_digits_sweep",
           "full_study")  # fmt: skip
"""Every committed study: notebooks/results/NAME.json, and the README's full study."""


def study_rows(study: str, second_set: bool = False) -> pd.DataFrame:
    """A committed study's rows: the seeds the prose was written from, or (``second_set``)
    the same study on the seeds that come after them."""
    if study not in STUDIES:
        raise ValueError(f"unknown study {study!r}; known: {', '.join(STUDIES)}")
    folder = SECOND_SET if second_set else COMMITTED
    if study == "full_study":
        path = SECOND_SET / "full_study.jsonl" if second_set else FULL_STUDY
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: run benchmarks/second_seed_set.py")
        lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        return pd.DataFrame([{k: v for k, v in row.items() if k != "key"} for row in lines])
    path = folder / f"{study}.json"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run benchmarks/second_seed_set.py")
    return pd.DataFrame(json.loads(path.read_text())["rows"])


def seed_range(rows: pd.DataFrame) -> str:
    """``"seeds 20–39"``: the seeds of a study's rows."""
    seeds = sorted(set(rows["seed"]))
    return f"seeds {seeds[0]}–{seeds[-1]}"


@dataclass(frozen=True)
class Claim:
    """One comparison and the verdict the prose asserts about it."""

    family: str
    study: str
    """One of :data:`STUDIES`."""
    a: str | None = None
    b: str | None = None
    """Two values of ``by`` compared (``"paired"``, ``"groups"``, ``"ratio trend"``)."""
    test: str = "paired"
    """``"paired"``, ``"groups"``, ``"trend"`` or ``"ratio trend"`` (see the module)."""
    column: str = "reached"
    by: str = "method"
    where: Mapping[str, Any] = field(default_factory=dict)
    """Only the rows with these values (a problem, a method, the sweep's other settings)."""
    view: str | None = None
    """Rows derived from the study's (:data:`VIEWS`)."""
    on: tuple[str, ...] = ("problem", "seed")
    """What pairs two methods' runs."""
    over: str | None = None
    """The ordered setting of a trend."""
    strata: tuple[str, ...] = ("seed",)
    """Within what a trend is tested (a seed, and the grid's other settings)."""
    asserts: str = "a"
    """What the prose says: ``"a"`` or ``"b"`` (that one ahead), ``"none"`` (cannot be told
    apart); for a trend ``"rises"``, ``"falls"`` or ``"none"``."""
    how: str = "reaches its target more often than"
    lower_is_better: bool = False

    @property
    def id(self) -> str:
        """What prose cites: ``"05 race: CMA-ES + loss vs backprop"``."""
        if self.test in ("trend", "ratio trend"):
            what = f"{self.a} / {self.b}, " if self.test == "ratio trend" else ""
            subject = ", ".join(str(v) for v in self.where.values() if isinstance(v, str))
            subject = f"{subject}: " if subject else ""
            return f"{self.family}: {subject}{what}{self.column} along {self.over}"
        where = ", ".join(v for v in self.where.values() if isinstance(v, str))
        column = "" if self.column == "reached" else f", {self.column}"
        return f"{self.family}: {where + ', ' if where else ''}{self.a} vs {self.b}{column}"


@dataclass(frozen=True)
class Finding:
    """A claim tested: its p-value, adjusted within its family, and what it says."""

    claim: Claim
    p: float
    adjusted: float
    direction: str
    """Who is ahead (``"a"``, ``"b"``), or which way the trend goes (``"rises"``, ``"falls"``)."""
    sentence: str
    tested: bool = True
    """False when the rows held nothing to compare (the sentence says why)."""

    @property
    def verdict(self) -> str:
        return self.direction if self.adjusted < ALPHA else "none"

    @property
    def holds(self) -> bool:
        return self.verdict == self.claim.asserts


def _reached_95(rows: pd.DataFrame) -> pd.DataFrame:
    return first_to_target(curves(rows), 0.95)


VIEWS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "first to 95% held out": _reached_95,
    "reached 95% held out": lambda rows: (lambda t: t[t["reached"]])(_reached_95(rows)),
}
"""Rows a claim may be about, derived from its study's rows."""

WORDS = {"reached": "success", "evaluations": "work to the target", "seconds": "seconds"}


class TooFewRuns(ValueError):
    """The rows hold nothing to compare (e.g. a small study in which no run reached 95%)."""


def _paired(claim: Claim, rows: pd.DataFrame) -> tuple[float, str, str]:
    if not {claim.a, claim.b} <= set(rows[claim.by]):
        raise TooFewRuns(f"no runs of both {claim.a} and {claim.b}")
    values_a, values_b = paired(rows, claim.a, claim.b, claim.column, claim.by, claim.on)
    if values_a.size == 0:
        raise TooFewRuns(f"no seed with runs of both {claim.a} and {claim.b}")
    if rows[claim.column].dtype == bool:
        p_value = paired_test(values_a.astype(bool), values_b.astype(bool))
        ahead = "a" if values_a.sum() >= values_b.sum() else "b"
        counts = f"{int(values_a.sum())}, {claim.b} {int(values_b.sum())} of {values_a.size}"
        return p_value, ahead, f"{claim.a} {counts}"
    p_value = paired_values_test(values_a, values_b)
    sign = -1 if claim.lower_is_better else 1
    ahead = "a" if np.mean(values_a - values_b) * sign >= 0 else "b"
    medians = f"{np.median(values_a):.3g} vs {np.median(values_b):.3g}"
    return p_value, ahead, f"{claim.a} vs {claim.b}, median {claim.column} {medians}"


def _groups(claim: Claim, rows: pd.DataFrame) -> tuple[float, str, str]:
    reached = {name: rows.loc[rows[claim.by] == name, claim.column].astype(bool)
               for name in (claim.a, claim.b)}  # fmt: skip
    for name, values in reached.items():
        if values.empty:
            raise TooFewRuns(f"no runs of {name}")
    a, b = reached[claim.a], reached[claim.b]
    p_value = independent_test(int(a.sum()), a.size, int(b.sum()), b.size)
    ahead = "a" if a.mean() >= b.mean() else "b"
    return (
        p_value,
        ahead,
        f"{claim.a} {int(a.sum())} of {a.size}, {claim.b} {int(b.sum())} of {b.size}",
    )


def _ranked_work(rows: pd.DataFrame, column: str, strata: list) -> pd.Series:
    """Work to the target ranked within each stratum, runs that never reached it last."""
    work = rows[column].where(rows["reached"].astype(bool), np.inf)
    codes = pd.Series(pd.factorize(pd.Series(strata, index=rows.index, dtype=object))[0],
                      index=rows.index)  # fmt: skip
    return work.groupby(codes).rank(method="average")


def _trend(claim: Claim, rows: pd.DataFrame) -> tuple[float, str, str]:
    if rows[claim.over].nunique() < 2:
        raise TooFewRuns(f"fewer than two values of {claim.over}")
    strata = [tuple(row) for row in rows[list(claim.strata)].itertuples(index=False)]
    outcome = rows[claim.column]
    if outcome.dtype != bool:
        outcome = _ranked_work(rows, claim.column, strata)
    z, p_value = stratified_trend(rows[claim.over], outcome.astype(float), strata)
    return p_value, "rises" if z > 0 else "falls", f"z = {z:.2f}"


def _ratio_trend(claim: Claim, rows: pd.DataFrame) -> tuple[float, str, str]:
    both = rows[rows["reached"].astype(bool)].pivot_table(
        index=[claim.over, *claim.strata], columns=claim.by, values=claim.column
    )
    if claim.a not in both or claim.b not in both:
        raise TooFewRuns(f"no runs of both {claim.a} and {claim.b} that reached the target")
    both = both[[claim.a, claim.b]].dropna().reset_index()
    if both[claim.over].nunique() < 2:
        raise TooFewRuns(f"pairs at fewer than two values of {claim.over}")
    log_ratio = np.log(both[claim.a] / both[claim.b])
    strata = [tuple(row) for row in both[list(claim.strata)].itertuples(index=False)]
    z, p_value = stratified_trend(both[claim.over], log_ratio, strata)
    return p_value, "rises" if z > 0 else "falls", f"z = {z:.2f}, {len(both)} pairs"


TESTS = {"paired": _paired, "groups": _groups, "trend": _trend, "ratio trend": _ratio_trend}


def _sentence(claim: Claim, said: str, direction: str, p_value: float, adjusted: float) -> str:
    if claim.test in ("paired", "groups"):
        better, worse = (claim.a, claim.b) if direction == "a" else (claim.b, claim.a)
        where = ", ".join(v for v in claim.where.values() if isinstance(v, str))
        prefix = f"{where}: " if where else ""
        return f"{prefix}{said}: {verdict(adjusted, better, worse, claim.how, raw=p_value)}"
    subject = ", ".join(str(v) for v in claim.where.values() if isinstance(v, str))
    prefix = f"{subject}: " if subject else ""
    what = WORDS.get(claim.column, claim.column)
    if claim.test == "ratio trend":
        what = f"{claim.a}'s {claim.column} as a multiple of {claim.b}'s"
    shown = f"{said}, Holm-adjusted p = {adjusted:.2g}, raw {p_value:.2g}"
    if adjusted < ALPHA:
        return f"{prefix}{what} {direction} with {claim.over} ({shown})"
    return f"{prefix}these runs cannot tell whether {what} changes with {claim.over} ({shown})"


def _chosen(claim: Claim, rows: pd.DataFrame | Mapping[str, pd.DataFrame] | None,
            second_set: bool) -> pd.DataFrame:  # fmt: skip
    if rows is None:
        chosen = study_rows(claim.study, second_set)
    elif isinstance(rows, Mapping):
        chosen = rows[claim.study]
    else:
        chosen = rows
    chosen = VIEWS[claim.view](chosen) if claim.view else chosen
    for name, value in claim.where.items():
        chosen = chosen[chosen[name] == value]
    return chosen


def claims_of(family: str) -> list[Claim]:
    """The registered claims of ``family``, or a ``ValueError`` listing the families."""
    chosen = [c for c in CLAIMS if c.family == family]
    if not chosen:
        raise ValueError(f"no claims in family {family!r}; known: {', '.join(families())}")
    return chosen


def evaluate(
    family: str,
    rows: pd.DataFrame | Mapping[str, pd.DataFrame] | None = None,
    second_set: bool = False,
) -> list[Finding]:
    """Every claim of ``family`` tested on ``rows`` (a study's rows, ``{study: rows}``, or by
    default the committed ones; ``second_set``: those of the new seeds), the p-values
    Holm-adjusted together."""
    return evaluate_claims(claims_of(family), rows, second_set)


def evaluate_claims(
    claims: list[Claim],
    rows: pd.DataFrame | Mapping[str, pd.DataFrame] | None = None,
    second_set: bool = False,
) -> list[Finding]:
    """``claims`` tested as one family (see :func:`evaluate`)."""
    results: list[tuple[float, str, str] | str] = []
    for claim in claims:
        try:
            results.append(TESTS[claim.test](claim, _chosen(claim, rows, second_set)))
        except TooFewRuns as reason:
            results.append(f"{claim.id}: not tested, {reason}")
    adjusted = iter(holm([r[0] for r in results if not isinstance(r, str)]))
    findings = []
    for claim, result in zip(claims, results, strict=True):
        if isinstance(result, str):
            findings.append(Finding(claim, 1.0, 1.0, "none", result, tested=False))
            continue
        p_value, direction, said = result
        adj = float(next(adjusted))
        findings.append(
            Finding(claim, p_value, adj, direction, _sentence(claim, said, direction, p_value, adj))
        )
    return findings


def report(family: str, rows: pd.DataFrame | Mapping[str, pd.DataFrame] | None = None,
           replication: bool = True) -> str:  # fmt: skip
    """The family's sentences, one a line, each with its Holm-adjusted and raw p; with
    ``replication``, under each the verdict of the same test on the second seed set."""
    findings = evaluate(family, rows)
    if not replication:
        return "\n".join(f.sentence for f in findings)
    again = evaluate(family, second_set=True)
    second = seed_range(study_rows(findings[0].claim.study, second_set=True))
    lines = []
    for first, other in zip(findings, again, strict=True):
        lines.append(first.sentence)
        if not first.tested:
            continue
        if other.verdict == first.verdict:
            lines.append(f"    {second}: the same verdict (Holm-adjusted p = {other.adjusted:.2g})")
        else:
            lines.append(f"    {second}, NOT the same: {other.sentence}")
    return "\n".join(lines)


def families() -> list[str]:
    """Every family, in the order the notebooks print them."""
    return list(dict.fromkeys(c.family for c in CLAIMS))


def _pairs(
    family: str, study: str, pairs: list[tuple[str, str, str]], **common: Any
) -> list[Claim]:
    return [Claim(family, study, a, b, asserts=asserts, **common) for a, b, asserts in pairs]


NEVER_OVERLAP = ("gaussian quantiles", "moons", "circles")
"""The problems whose classes never overlap: 100% is reachable on all of them, so their
success counts compare the problems, not their targets."""
LESSON_RATES = {"CXPB": 0.6, "MUTPB": 0.3}


def _sweep_claims(
    family: str,
    study: str,
    trends: Mapping[str, str],
    problems: Mapping[tuple[str, str], str],
    full: bool = False,
) -> list[Claim]:
    """A sweep's family: a trend along each ordered exercise in ``trends``, and the
    never-overlapping problems of ``problems`` against each other. ``full``: the README's full
    study, whose one file holds every sweep, so each claim picks its sweep's rows."""
    lesson = {"number_samples": 100, "middle_layer": 5, **LESSON_RATES}
    claims = []
    for over, strata in (
        ("number_samples", ("seed",)),
        ("MUTPB", ("seed", "CXPB")),
        ("CXPB", ("seed", "MUTPB")),
        ("middle_layer", ("seed",)),
    ):
        if over in trends:
            varied = ("CXPB", "MUTPB") if over in LESSON_RATES else (over,)
            where = (
                {"problem": "circles", **{k: v for k, v in lesson.items() if k not in varied}}
                if full
                else {}
            )
            claims.append(
                Claim(
                    family,
                    study,
                    test="trend",
                    over=over,
                    strata=strata,
                    where=where,
                    asserts=trends[over],
                )
            )
    for (a, b), asserts in problems.items():
        claims.append(
            Claim(
                family,
                study,
                a,
                b,
                test="groups",
                by="problem",
                where=lesson if full else {},
                asserts=asserts,
                how="reaches the target more often than",
            )
        )
    return claims


HELD_OUT_PAIRS = (
    ("lesson GA + loss", "lesson GA"),
    ("elitist GA + loss", "elitist GA"),
    ("CMA-ES + loss", "CMA-ES on accuracy"),
    ("backprop", "lesson GA"),
)
HELD_OUT = {
    "classification": ("none", "none", "none", "none"),
    "blobs": ("none", "none", "none", "none"),
    "gaussian quantiles": ("none", "none", "none", "a"),
    "moons": ("none", "none", "none", "a"),
    "circles": ("none", "none", "a", "a"),
}
"""Notebook 05's held-out family: each pair's asserted verdict on each problem."""

CLAIMS: tuple[Claim, ...] = (
    *_pairs(
        "05 race",
        "05_race",
        [
            ("elitist GA", "lesson GA", "a"),
            ("lesson GA + loss", "lesson GA", "a"),
            ("CMA-ES on accuracy", "lesson GA", "a"),
            ("elitist GA + loss", "elitist GA", "a"),
            ("CMA-ES + loss", "CMA-ES on accuracy", "a"),
            ("CMA-ES + loss", "lesson GA + loss", "none"),
            ("CMA-ES + loss", "elitist GA + loss", "a"),
            ("CMA-ES + loss", "backprop", "none"),
        ],
    ),
    *[
        claim
        for problem, asserted in HELD_OUT.items()
        for claim in _pairs(
            "05 held out",
            "05_noisy_race",
            [(a, b, said) for (a, b), said in zip(HELD_OUT_PAIRS, asserted, strict=True)],
            column="test_accuracy",
            where={"problem": problem},
            on=("seed",),
            how="holds out better than",
        )
    ],
    *_sweep_claims("06 samples", "06_samples", {"number_samples": "none"}, {}),
    *_sweep_claims("06 rates", "06_rates", {"MUTPB": "rises", "CXPB": "none"}, {}),
    *_sweep_claims("06 middle layer", "06_middle_layer", {"middle_layer": "none"}, {}),
    *_sweep_claims(
        "06 problems",
        "06_problems",
        {},
        {
            ("moons", "circles"): "a",
            ("moons", "gaussian quantiles"): "a",
            ("gaussian quantiles", "circles"): "none",
        },
    ),
    *_sweep_claims(
        "full study",
        "full_study",
        {"number_samples": "none", "MUTPB": "rises", "CXPB": "none", "middle_layer": "none"},
        {
            ("moons", "circles"): "a",
            ("moons", "gaussian quantiles"): "none",
            ("gaussian quantiles", "circles"): "none",
        },
        full=True,
    ),
    *_pairs(
        "07 threshold",
        "07_threshold",
        [
            ("CMA-ES + loss", "backprop", "a"),
            ("CMA-ES + loss", "straight-through", "a"),
            ("lesson GA", "straight-through", "a"),
            ("lesson GA", "lesson GA + loss", "none"),
            ("CMA-ES + loss", "lesson GA", "a"),
            ("CMA-ES + loss", "lesson GA + loss", "a"),
            ("lesson GA", "backprop", "a"),
        ],
    ),
    *_pairs(
        "07 digits",
        "07_digits_race",
        [
            ("evolution strategy", "backprop", "none"),
            ("evolution strategy", "separable CMA-ES", "a"),
            ("lesson GA + loss", "lesson GA", "a"),
        ],
        column="test_accuracy",
        on=("seed",),
        how="holds out better than",
    ),
    Claim(
        "07 digits",
        "07_digits_race",
        "evolution strategy",
        "backprop",
        column="seconds",
        view="reached 95% held out",
        on=("seed",),
        asserts="b",
        how="reaches 95% held out faster than",
        lower_is_better=True,
    ),
    *[
        Claim(
            "07 scaling",
            "07_digits_sweep",
            test="trend",
            column="evaluations",
            over="genes",
            where={"method": method},
            asserts=asserts,
        )
        for method, asserts in (
            ("evolution strategy", "falls"),
            ("separable CMA-ES", "falls"),
            ("lesson GA + loss", "falls"),
            ("backprop", "falls"),
        )
    ],
    *[
        Claim(
            "07 scaling",
            "07_digits_sweep",
            method,
            "backprop",
            test="ratio trend",
            column="seconds",
            over="genes",
            asserts="rises",
        )
        for method in ("evolution strategy", "separable CMA-ES")
    ],
)
"""Every registered claim. ``asserts`` is what the prose says; ``tests/test_claims.py``
holds it to the committed results."""
