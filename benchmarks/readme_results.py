"""The README's results, computed from the committed results files.

    .venv/bin/python benchmarks/readme_results.py            # print the block
    .venv/bin/python benchmarks/readme_results.py --write    # put it into README.md

The block sits in README.md between the two ``results`` markers; ``tests/test_readme.py``
fails when it differs from what this script computes, so no number in it is typed by hand
and none can go stale when a results file changes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from neuroevo_utils.studies import load_study
from neuroevo_utils.study import (
    EXERCISES,
    compare,
    compare_extremes,
    curves,
    first_to_target,
    summary,
    sweep,
)
from neuroevo_utils.uncertainty import rate_with_interval

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FULL_STUDY = ROOT / "benchmarks" / "results" / "full_study.jsonl"
LESSON_SIZE = dict(MU=1000, NGEN=1000, RGEN=1, engine="numpy")  # as benchmarks/full_study.py
START = "<!-- results: made by benchmarks/readme_results.py; tests/test_readme.py checks them -->"
END = "<!-- end of results -->"


def race_block() -> list[str]:
    runs = pd.DataFrame(load_study("05_race")["rows"])
    table = summary(runs)
    lines = [
        "**Notebook 05's race** ([committed runs](notebooks/results/05_race.json)): every "
        "method on all five problems at difficulty 1, 20 seeds each, the same seeds for every "
        "method; GA population 100, at most 300 generations.",
        "",
        "| method | targets reached (of 100), 95% CI | median work to target |",
        "|---|---|---:|",
    ]
    for row in table.to_dict("records"):
        lines.append(f"| {row['method']} | {rate_with_interval(row['reached'], row['runs'])} | "
                     f"{row['median work']:,.0f} {row['work unit']} |")  # fmt: skip
    lines += ["", "Paired by seed (exact McNemar test):", ""]
    pairs = [("elitist GA", "lesson GA"), ("lesson GA + loss", "lesson GA"),
             ("CMA-ES on accuracy", "lesson GA"), ("CMA-ES + loss", "lesson GA + loss"),
             ("CMA-ES + loss", "backprop")]  # fmt: skip
    lines += [f"- {compare(runs, a, b)}" for a, b in pairs]
    return lines


def full_study_block() -> list[str]:
    lines = [
        "**The lesson's exercises at the lesson's size** (`python3 dev.py study`; "
        "[every run](benchmarks/results/full_study.jsonl)): circles, population 1,000, up to "
        "1,000 generations, 20 seeds per setting, success = 100% training accuracy.",
        "",
    ]
    for name, grid in EXERCISES.items():
        runs = sweep(grid, range(20), base=LESSON_SIZE, results=FULL_STUDY, progress=False)
        for parameter in grid:
            table = summary(runs, [parameter])
            counts = ", ".join(f"{row[parameter]}: {row['reached']}"
                               for row in table.to_dict("records"))  # fmt: skip
            runs_each = table["runs"].iloc[0]
            verdict = compare_extremes(table, parameter)
            lines.append(f"- {name}, by {parameter} ({counts} of {runs_each}): {verdict}")
    return lines


def when_to_evolve_block() -> list[str]:
    threshold_runs = pd.DataFrame(load_study("07_threshold")["rows"])
    threshold = summary(threshold_runs).set_index("method")
    digits_runs = pd.DataFrame(load_study("07_digits_race")["rows"])
    to_95 = first_to_target(curves(digits_runs), 0.95)
    digits = summary(to_95).set_index("method")
    lines = [
        "**Notebook 07** ([threshold race](notebooks/results/07_threshold.json), "
        "[digits race](notebooks/results/07_digits_race.json)): a 2-10-1 network whose hidden "
        "units are steps, five problems × 20 seeds, targets as in notebook 05; and digits "
        "(64-16-10, 1,210 genes, a quarter held out), 10 seeds, 30,000 networks per "
        "evolutionary run, 300 epochs for backprop (on the threshold network, backprop is "
        "gradient descent with its true gradient).",
        "",
        "| method | threshold network: targets reached | digits: 95% held out reached | "
        "median seconds to 95% |",
        "|---|---|---|---:|",
    ]
    for method in dict.fromkeys([*threshold.index, *digits.index]):
        cells = ["–", "–", "–"]
        if method in threshold.index:
            row = threshold.loc[method]
            cells[0] = rate_with_interval(row["reached"], row["runs"])
        if method in digits.index:
            row = digits.loc[method]
            cells[1] = rate_with_interval(row["reached"], row["runs"])
            cells[2] = "–" if pd.isna(row["median seconds"]) else f"{row['median seconds']:.2f}"
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    reached = to_95[to_95["reached"]]
    lines += [
        "",
        f"- {compare(threshold_runs, 'CMA-ES + loss', 'straight-through')}",
        f"- {compare(threshold_runs, 'lesson GA', 'backprop')}",
        "- " + compare(digits_runs, "evolution strategy", "backprop", "test_accuracy",
                       on=["seed"], how="holds out better than"),
        "- " + compare(reached, "evolution strategy", "backprop", "seconds", on=["seed"],
                       how="reaches 95% faster than", lower_is_better=True),
    ]  # fmt: skip
    return lines


def results_block() -> str:
    blocks = [race_block(), full_study_block(), when_to_evolve_block()]
    return "\n".join([START, "", *(line for b in blocks for line in [*b, ""]), END])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="replace the block in README.md")
    options = parser.parse_args()
    block = results_block()
    if not options.write:
        print(block)
        return
    text = README.read_text()
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    README.write_text(before + block + after)
    print(f"wrote the results block into {README.name}")


if __name__ == "__main__":
    main()
