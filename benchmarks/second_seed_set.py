"""Do the notebooks' conclusions survive a fresh draw of seeds?

    .venv/bin/python benchmarks/second_seed_set.py            # seeds 20-39 (about 4 minutes)

Runs notebook 05's race and noisy race and notebook 06's sweeps exactly as committed
(notebooks/results/*.json) but on other seeds, and prints each comparison the notebooks make,
with its test, for the committed seeds and for the new ones side by side.
"""

from __future__ import annotations

import argparse

import pandas as pd

from neuroevo_utils.studies import load_study
from neuroevo_utils.study import compare, compare_extremes, run_study, summary

RACE_COMPARISONS = [
    ("elitist GA", "lesson GA"),
    ("lesson GA + loss", "lesson GA"),
    ("CMA-ES on accuracy", "lesson GA"),
    ("elitist GA + loss", "elitist GA"),
    ("CMA-ES + loss", "CMA-ES on accuracy"),
    ("lesson GA + loss", "elitist GA + loss"),
    ("CMA-ES + loss", "lesson GA + loss"),
    ("CMA-ES + loss", "backprop"),
    ("lesson GA + loss", "backprop"),
]
HELD_OUT_PAIRS = [("lesson GA + loss", "lesson GA"), ("elitist GA + loss", "elitist GA"),
                  ("CMA-ES + loss", "CMA-ES on accuracy")]  # fmt: skip
SWEEP_PARAMETERS = {"06_samples": ["number_samples"], "06_rates": ["MUTPB", "CXPB"],
                    "06_middle_layer": ["middle_layer"], "06_problems": ["problem"]}
"""What notebook 06 compares in each sweep: the most against the fewest successes."""

def other_seeds(name: str, seeds: list[int]) -> pd.DataFrame:
    saved = load_study(name)
    return run_study(**{**saved["arguments"], "seeds": seeds}, scheduler="processes")


def race_lines(runs: pd.DataFrame) -> list[str]:
    return [compare(runs, a, b) for a, b in RACE_COMPARISONS]


def held_out_lines(runs: pd.DataFrame) -> list[str]:
    return [f"{problem}, " + compare(runs[runs["problem"] == problem], a, b, "test_accuracy",
                                     how="holds out better than")
            for problem in dict.fromkeys(runs["problem"]) for a, b in HELD_OUT_PAIRS]  # fmt: skip


def sweep_lines(name: str, runs: pd.DataFrame) -> list[str]:
    return [compare_extremes(summary(runs, [parameter]), parameter)
            for parameter in SWEEP_PARAMETERS[name]]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=20, help="first seed of the new set")
    options = parser.parse_args()
    for name in ("05_race", "05_noisy_race", "06_samples", "06_rates", "06_middle_layer",
                 "06_problems"):  # fmt: skip
        committed = pd.DataFrame(load_study(name)["rows"])
        seeds = sorted(set(committed["seed"]))
        fresh = other_seeds(name, [options.first + i for i in range(len(seeds))])
        describe = (race_lines if name == "05_race" else held_out_lines
                    if name == "05_noisy_race" else lambda r, n=name: sweep_lines(n, r))
        print(f"\n## {name}: seeds {seeds[0]}-{seeds[-1]} | seeds {options.first}-"
              f"{options.first + len(seeds) - 1}", flush=True)  # fmt: skip
        for before, after in zip(describe(committed), describe(fresh), strict=True):
            print(f"- {before}\n  {after}", flush=True)


if __name__ == "__main__":
    main()
