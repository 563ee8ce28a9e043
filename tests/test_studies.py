"""Committed studies (notebooks 05, 06, 07): read back as made, refused when the values differ,
and never stale: a slice of each is recomputed and must equal the committed rows."""

import inspect
import json

import pytest

from neuroevo_utils import studies
from neuroevo_utils.studies import RESULTS, first_seed_slice, load_study, save_study, study
from neuroevo_utils.study import run_study

COMMITTED = sorted(p.stem for p in RESULTS.glob("*.json"))


def test_the_notebooks_studies_are_committed():
    assert {"05_race", "05_noisy_race"} <= set(COMMITTED)
    assert {f"06_{n}" for n in ("samples", "rates", "middle_layer", "problems")} <= set(COMMITTED)
    assert {"07_threshold", "07_digits_race", "07_digits_sweep"} <= set(COMMITTED)


@pytest.mark.parametrize("name", COMMITTED)
def test_each_file_records_what_made_it(name):
    saved = load_study(name)
    assert saved["study"] == name and saved["rows"]
    assert set(saved["arguments"]) <= set(inspect.signature(run_study).parameters)
    made = saved["made_with"]
    assert made["neuroevo"] and len(made["commit"]) == 40 and made["numpy"] and made["deap"]


@pytest.mark.slow
@pytest.mark.parametrize("name", COMMITTED)
def test_a_recomputed_slice_equals_the_committed_rows(name):
    committed, fresh = first_seed_slice(name)
    assert len(committed) and committed.equals(fresh)


def test_reading_checks_the_values_and_recompute_runs_the_study(tmp_path, monkeypatch):
    monkeypatch.setattr(studies, "RESULTS", tmp_path)
    arguments = dict(grid={"problem": ["moons"]}, seeds=range(2),
                     base=dict(MU=10, NGEN=2, RGEN=1, engine="numpy"))  # fmt: skip
    rows = study("tiny", arguments, recompute=True, progress=False)
    save_study("tiny", arguments, rows)
    saved = json.loads((tmp_path / "tiny.json").read_text())
    assert saved["arguments"]["seeds"] == [0, 1]
    again = study("tiny", arguments)
    assert studies._comparable(again).equals(studies._comparable(rows))
    with pytest.raises(ValueError, match=r"made with other values \(seeds\); set RECOMPUTE"):
        study("tiny", {**arguments, "seeds": range(3)})
    with pytest.raises(FileNotFoundError, match="no committed results for study 'other'"):
        study("other", arguments)
