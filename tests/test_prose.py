"""Every comparative or universal sentence in the prose has a source.

A sentence that compares (better, faster, more often, fewer, best, as ... as) or generalises
about outcomes (every, all, never, always, none, together with reaching, solving, failing,
holding out, accuracy) must carry an invisible marker saying where it comes from:

* ``<!-- claim: ID; ID -->``: registered claims (``neuroevo_utils.claims``) or whole
  families, whose verdicts ``tests/test_claims.py`` checks on the committed results;
* ``<!-- printed -->``: it reads an output printed above it that nbval checks (notebooks);
* ``<!-- measured: PATH -->``: a benchmark script or results file that measures it;
* ``<!-- design -->``: it says what a method does by construction, not what happened;
* ``<!-- lesson -->``: it reports what the original lesson says;
* ``<!-- hypothesis -->``: a reading the runs do not test; the sentence must say so in
  words (perhaps, likely, may, our reading, hypothesis, suggests, plausible).

Markers are HTML comments: Jupyter and GitHub do not show them. A marker after a sentence
covers that sentence; a marker opening a paragraph or a list item covers all of it (a
benchmark's record of measurements). The generated blocks (the README's results, the
replication table) are left out: their sentences are computed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from neuroevo_utils.claims import CLAIMS, families

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [
    *sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")),
    ROOT / "README.md",
    ROOT / "benchmarks" / "README.md",
]
GENERATED = [("<!-- results:", "<!-- end of results -->"),
             ("<!-- replication:", "<!-- end of replication -->")]  # fmt: skip

COMPARATIVE = re.compile(
    r"\b(better|worse|faster|slower|more often|less often|fewer|fewest|best|worst|most|"
    r"least|outperforms?|beats?|as (?:well|reliably|reliable|accurate|fast|good|often|"
    r"quickly) as)\b",
    re.IGNORECASE,
)
UNIVERSAL = re.compile(r"\b(every|all|never|always|none|no method|no run)\b", re.IGNORECASE)
OUTCOME = re.compile(
    r"\b(reach\w*|solve[sd]?|solving|succeed\w*|success\w*|fail\w*|meets?|stall\w*|wins?|"
    r"held out|holds? out|target|accura\w*)\b",
    re.IGNORECASE,
)
VOCABULARY = re.compile(
    r"\b(the best (?:network|individual|genome|MU|of|so far|ever)\w*|best so far|"
    r"best-so-far|most accurate network|most of|at most|at least|most common)\b",
    re.IGNORECASE,
)
"""Names of what a search keeps and plain quantities, not comparisons of results."""
MARKER = re.compile(r"<!--\s*(claim|printed|measured|design|lesson|hypothesis)\b:?\s*(.*?)\s*-->")
HEDGES = re.compile(
    r"\b(perhaps|likely|may|might|our reading|hypothes\w*|suggests?|plausible|probably|"
    r"we think|untested|not tested)\b",
    re.IGNORECASE,
)


def prose(path: Path) -> list[tuple[str, str]]:
    """(where, text) of every prose block: a notebook's markdown cells, or a whole file."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        return [(f"{path.name} cell {i}", "".join(cell["source"]))
                for i, cell in enumerate(cells) if cell["cell_type"] == "markdown"]  # fmt: skip
    text = path.read_text()
    for start, end in GENERATED:
        while start in text:
            before, rest = text.split(start, 1)
            text = before + rest.split(end, 1)[1]
    return [(path.name, text)]


def sentences(text: str) -> list[str]:
    """Sentences of markdown, code and tables left out; a marker after a sentence's full
    stop belongs to that sentence."""
    text = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)
    text = re.sub(r"`[^`\n]*`", "CODE", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    # (within its paragraph: a marker after a blank line opens the next paragraph)
    text = re.sub(r"([.!?:;])([ \t]*\n?[ \t]*)(<!--.*?-->)", r"\3\1\2", text, flags=re.DOTALL)
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("|"))
    comments: list[str] = []
    text = re.sub(r"<!--.*?-->", lambda m: comments.append(m[0]) or f"\0{len(comments) - 1}\0",
                  text, flags=re.DOTALL)  # fmt: skip
    found = []
    for block in re.split(r"\n\s*\n|\n(?=\s*(?:[-*] |\d+\. |#))", text):
        block = re.sub(r"\s+", " ", block).strip()
        opening = re.match(r"(?:[-*] |\d+\. )?(\0\d+\0)", block)  # covers the whole block
        parts = [s for s in re.split(r"(?<=[.!?:;])\s+(?=[A-Z*(\-\0])", block) if s]
        found += [f"{s} {opening[1]}" if opening else s for s in parts]
    return [re.sub(r"\0(\d+)\0", lambda m: comments[int(m[1])], s) for s in found]


def needs_source(sentence: str) -> bool:
    """Does it compare or generalise? (A question asserts nothing.)"""
    plain = VOCABULARY.sub(" ", MARKER.sub(" ", sentence)).strip()
    if plain.endswith("?"):
        return False
    return bool(COMPARATIVE.search(plain) or (UNIVERSAL.search(plain) and OUTCOME.search(plain)))


def source_problem(sentence: str, where: str) -> str | None:
    """What is wrong with the sentence's sources, or None."""
    markers = MARKER.findall(sentence)
    if not markers:
        return "no source marker" if needs_source(sentence) else None
    known = {c.id for c in CLAIMS} | set(families())
    for kind, detail in markers:
        if kind == "claim":
            unknown = [i.strip() for i in detail.split(";") if i.strip() not in known]
            if unknown or not detail:
                return f"unknown claims {unknown}"
        if kind == "measured" and not (ROOT / detail.strip()).exists():
            return f"measured by {detail!r}, which does not exist"
        if kind == "printed" and not where.endswith(tuple("0123456789")):
            return "printed: only a notebook prints"
        if kind == "hypothesis" and not HEDGES.search(MARKER.sub(" ", sentence)):
            return "a hypothesis not worded as one"
    return None


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_comparative_sentence_has_a_source(path):
    problems = [f"{where}: {problem}: {sentence[:160]}"
                for where, text in prose(path) for sentence in sentences(text)
                if (problem := source_problem(sentence, where))]  # fmt: skip
    assert not problems, "\n".join(problems)


def test_the_lint_finds_an_unsourced_comparison_and_accepts_a_sourced_one():
    assert source_problem("CMA-ES reaches its target more often than backprop.", "x") == (
        "no source marker"
    )
    assert source_problem("Every method reaches the linear targets.", "x") == "no source marker"
    sourced = "CMA-ES reaches its target more often. <!-- claim: 05 race -->"
    assert [source_problem(s, "nb cell 3") for s in sentences(sourced)] == [None]
    assert source_problem("It is faster. <!-- claim: no such claim -->", "x").startswith("unknown")
    assert source_problem("Loss helps. <!-- hypothesis -->", "x") == (
        "a hypothesis not worded as one"
    )
    assert source_problem("Loss perhaps helps. <!-- hypothesis -->", "x") is None
    assert not needs_source("The hall of fame keeps the best network so far.")
    assert not needs_source("Every gene is drawn uniformly.")
    record = "- <!-- measured: dev.py --> It is faster. It is 2x faster than before."
    assert [source_problem(s, "x") for s in sentences(record)] == [None, None]
