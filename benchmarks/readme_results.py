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

from neuroevo_utils.claims import evaluate, seed_range, study_rows
from neuroevo_utils.studies import load_study
from neuroevo_utils.study import EXERCISES, curves, first_to_target, summary, sweep
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
    lines += [
        "",
        "The comparisons chosen before the race, paired by seed (exact McNemar test), "
        "Holm-adjusted together; after each, the same test on a second set of seeds:",
        "",
    ]
    return lines + claim_lines("05 race")


def claim_lines(family: str) -> list[str]:
    """A family's sentences as a markdown list, each ending with its second-seed-set verdict."""
    again = evaluate(family, second_set=True)
    seeds = seed_range(study_rows(again[0].claim.study, second_set=True))
    lines = []
    for first, second in zip(evaluate(family), again, strict=True):
        replicated = f"{seeds}: the same verdict"
        if first.verdict != second.verdict:
            replicated = f"**{seeds}: not the same** (Holm-adjusted p = {second.adjusted:.2g})"
        lines.append(f"- {first.sentence}; {replicated}")
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
            lines.append(f"- {name}, by {parameter}: {counts} of {table['runs'].iloc[0]}")
    lines += [
        "",
        "Tested (chosen before the study, Holm-adjusted together): a trend along each ordered "
        "setting within seeds, and the problems whose classes never overlap against each other "
        "(classification flips 1% of its labels and blobs can touch, so there 100% is often "
        "out of reach: their counts measure the target as much as the problem). After each, the "
        "same test on a second set of seeds:",
        "",
    ]
    return lines + claim_lines("full study")


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
    indented = "Holm-adjusted together; after each, a second set of seeds:"
    lines += ["", f"Threshold network, paired by seed, {indented}", "",
              *claim_lines("07 threshold"), "", f"Digits, paired by seed, {indented}", "",
              *claim_lines("07 digits")]  # fmt: skip
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
