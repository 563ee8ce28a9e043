"""The series' claims as data (neuroevo_utils.claims): each verdict the prose asserts holds
on the committed results, the tests fit the designs, and the replication table is current."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from neuroevo_utils import claims
from neuroevo_utils.claims import CLAIMS, Claim, evaluate, evaluate_claims, families, report

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("family", families())
def test_every_registered_claim_holds_on_the_committed_results(family):
    wrong = [f"{f.claim.id}: asserts {f.claim.asserts!r}, the runs say {f.verdict!r} "
             f"({f.sentence})" for f in evaluate(family)
             if not f.holds or "not tested" in f.sentence]  # fmt: skip
    assert not wrong, "\n".join(wrong)


def test_a_claim_without_runs_to_compare_says_so_instead_of_failing():
    # a small study (tests/notebook_copies.py) in which no run reached 95% held out
    rows = claims.study_rows("07_digits_race")
    rows = rows.assign(checks=[[check for check in checks if check[0] <= 1000]
                               for checks in rows["checks"]])  # fmt: skip
    findings = evaluate("07 digits", rows)
    seconds = next(f for f in findings if f.claim.column == "seconds")
    assert seconds.sentence.endswith("not tested, no runs of both evolution strategy and backprop")
    assert seconds.verdict == "none" and seconds.adjusted == 1.0
    assert all("not tested" not in f.sentence for f in findings if f is not seconds)
    assert "not tested" in report("07 digits", rows)


def test_a_claim_asserting_what_the_runs_do_not_show_fails():
    family = claims.claims_of("05 race")
    index = next(i for i, c in enumerate(family) if c.id == "05 race: CMA-ES + loss vs backprop")
    for asserted in ("a", "b"):  # in its family (Holm) the seeds cannot tell them apart
        changed = [*family[:index], dataclasses.replace(family[index], asserts=asserted),
                   *family[index + 1 :]]  # fmt: skip
        assert not evaluate_claims(changed)[index].holds
    alone = evaluate_claims([family[index]])[0]  # alone, its raw p = 0.031 would call it
    assert alone.verdict == "a"


def test_claims_have_unique_ids_and_every_family_is_printed_somewhere():
    ids = [c.id for c in CLAIMS]
    assert len(ids) == len(set(ids))
    printed = "".join(path.read_text() for path in [
        *(ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"), ROOT / "benchmarks" / "readme_results.py",
    ])  # fmt: skip
    calls = ('report(\\"{}\\"', 'report("{}"', 'claim_lines("{}"')
    unprinted = [f for f in families() if not any(c.format(f) in printed for c in calls)]
    assert not unprinted


def test_unknown_families_and_studies_are_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="no claims in family 'nope'; known: 05 race"):
        evaluate("nope")
    with pytest.raises(ValueError, match="unknown study 'nope'; known: 05_race"):
        claims.study_rows("nope")


def race_rows(successes_a, successes_b, problems=("moons",)):
    return pd.DataFrame(
        [dict(method=name, problem=problem, seed=seed, reached=bool(reached[seed]))
         for problem in problems for name, reached in (("A", successes_a), ("B", successes_b))
         for seed in range(len(reached))]
    )  # fmt: skip


def test_methods_are_compared_seed_by_seed_and_adjusted_together():
    ahead = race_rows([1] * 12, [0, 0] + [1] * 10)  # A ahead on 2 seeds only: McNemar p = 0.5
    far_ahead = race_rows([1] * 12, [0] * 10 + [1] * 2)  # on 10 seeds: p = 0.002
    family = [Claim("t", "05_race", "A", "B"), Claim("t", "05_race", "A", "B")]
    first, _ = evaluate_claims(family, far_ahead)
    assert first.p == pytest.approx(2 / 2**10) and first.adjusted == pytest.approx(2 * first.p)
    assert first.verdict == "a" and "A reaches its target more often than B" in first.sentence
    (alone,) = evaluate_claims(family[:1], ahead)
    assert alone.verdict == "none" and "these seeds cannot tell A and B apart" in alone.sentence


def test_problems_are_compared_as_independent_groups():
    counts = (("moons", 19), ("circles", 3))
    rows = pd.DataFrame([dict(problem=p, seed=s, reached=s < k)
                         for p, k in counts for s in range(20)])  # fmt: skip
    claim = Claim("t", "06_problems", "moons", "circles", test="groups", by="problem")
    (finding,) = evaluate_claims([claim], rows)
    assert finding.verdict == "a" and "moons 19 of 20, circles 3 of 20" in finding.sentence


def sweep_rows(success_of_setting, seeds=20):
    rng = np.random.default_rng(0)
    return pd.DataFrame([dict(MUTPB=m, seed=s, reached=bool(rng.random() < success_of_setting(m)))
                         for m in (0.1, 0.3, 0.5, 0.7) for s in range(seeds)])  # fmt: skip


def test_an_ordered_setting_is_tested_for_a_trend_within_seeds():
    claim = Claim("t", "06_rates", test="trend", over="MUTPB")
    (rising,) = evaluate_claims([claim], sweep_rows(lambda m: m))
    assert rising.verdict == "rises" and "success rises with MUTPB" in rising.sentence
    (flat,) = evaluate_claims([claim], sweep_rows(lambda m: 0.4))
    assert flat.verdict == "none" and "cannot tell whether success changes" in flat.sentence


def test_work_to_a_target_ranks_runs_that_never_reached_it_last():
    work = ((310, 9999), (610, 5000), (1210, 3000))  # 9999: never reached
    rows = pd.DataFrame([dict(method="ES", seed=s, genes=g, evaluations=w, reached=w < 9000)
                         for s in range(6) for g, w in work])  # fmt: skip
    claim = Claim("t", "07_digits_sweep", test="trend", column="evaluations", over="genes")
    (finding,) = evaluate_claims([claim], rows)
    assert finding.verdict == "falls"


def test_the_report_gives_each_claim_its_second_seed_set_verdict():
    lines = report("07 digits").splitlines()
    assert len(lines) == 2 * len(claims.claims_of("07 digits"))
    assert all(line.startswith("    seeds 10–19") for line in lines[1::2])


def test_the_replication_table_in_the_benchmarks_readme_is_current():
    spec = importlib.util.spec_from_file_location(
        "second_seed_set", ROOT / "benchmarks" / "second_seed_set.py")  # fmt: skip
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (ROOT / "benchmarks" / "README.md").read_text()
    block = text.split(module.START, 1)[1].split(module.END, 1)[0].strip()
    assert block == module.table(), "run: .venv/bin/python benchmarks/second_seed_set.py --write"


def test_every_committed_study_has_a_second_seed_set_on_other_seeds():
    for study in claims.STUDIES:
        first, second = claims.study_rows(study), claims.study_rows(study, second_set=True)
        assert not set(first["seed"]) & set(second["seed"]), study
        assert len(first) == len(second), study
        if study != "full_study":
            made = json.loads((claims.SECOND_SET / f"{study}.json").read_text())["arguments"]
            committed = json.loads((claims.COMMITTED / f"{study}.json").read_text())["arguments"]
            assert {**made, "seeds": None} == {**committed, "seeds": None}, study
