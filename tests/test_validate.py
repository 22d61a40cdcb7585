"""`handbook check`: every kind of mistake is reported as `path:line:col: message`, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run_command


def edit(spec: Path, file: str, old: str, new: str) -> None:
    path = spec / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture {file} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(handbook, spec: Path):
    return handbook("check", "--spec", "roadmap", cwd=spec.parent)


def test_valid_spec_exits_zero(spec, handbook):
    result = check(handbook, spec("minimal"))
    assert result.code == 0
    assert "ok (2 phases, 4 topics, 2 papers, 2 terms)" in result.out
    assert result.err == ""


# Each case: (file, text to replace, replacement, the exact problem line expected).
CASES = {
    "yaml syntax": (
        "phases/basics.yml",
        "title: Basics",
        "title: [Basics",
        "roadmap/phases/basics.yml:3:8: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence started at line 2, column 8)",
    ),
    "duplicate key": (
        "phases/basics.yml",
        "title: Basics",
        "title: Basics\ntitle: Again",
        "roadmap/phases/basics.yml:3:1: duplicate key `title` (first defined at line 2); YAML would keep only the last",
    ),
    "unknown field": (
        "phases/basics.yml",
        "summary: The mathematics first.",
        "summary: The mathematics first.\nsumary: typo",
        "roadmap/phases/basics.yml:4:1: unknown field `sumary` (did you mean `summary`?)",
    ),
    "misspelled required field": (
        "phases/basics.yml",
        "title: Basics",
        "titel: Basics",
        "roadmap/phases/basics.yml:2:1: unknown field `titel` (did you mean `title`?)",
    ),
    "missing required field": (
        "phases/basics.yml",
        "summary: The mathematics first.\n",
        "",
        "roadmap/phases/basics.yml:1:1: missing required field `summary`",
    ),
    "yes/no read as boolean": (
        "papers.yml",
        "why: Shows vectors.",
        "why: no",
        "roadmap/papers.yml:9:10: `why` must be text: `no` is read by YAML as a boolean; put it in quotes",
    ),
    "date read as date": (
        "papers.yml",
        "venue: NeurIPS 2020",
        "venue: 2024-01-01",
        "roadmap/papers.yml:7:12: `venue` must be text: `2024-01-01` is read by YAML as a date; put it in quotes",
    ),
    "version-like number read as float": (
        "papers.yml",
        'arxiv: "2001.00001"',
        "arxiv: 2001.10",
        "roadmap/papers.yml:8:12: `arxiv` must be text: `2001.10` is read by YAML as a number; put it in quotes",
    ),
    "text where a number belongs": (
        "phases/basics.yml",
        "hours: 40",
        'hours: "40"',
        "roadmap/phases/basics.yml:10:8: `hours` must be a whole number: got `'40'`",
    ),
    "bad id": (
        "phases/basics.yml",
        "  - id: vectors",
        "  - id: Vectors_1",
        "roadmap/phases/basics.yml:13:9: `Vectors_1` is not a valid id: use lowercase letters, digits and single hyphens (like `linear-algebra`)",
    ),
    "duplicate id across files": (
        "phases/models.yml",
        "      - id: tokens",
        "      - id: vectors",
        "roadmap/phases/models.yml:25:13: duplicate phase, track, topic, exercise or milestone id `vectors` (first used in roadmap/phases/basics.yml:13)",
    ),
    "dangling topic prerequisite": (
        "phases/basics.yml",
        "prerequisites: [vectors]",
        "prerequisites: [vectorz]",
        "roadmap/phases/basics.yml:31:21: unknown topic `vectorz` (did you mean `vectors`?)",
    ),
    "dangling paper id": (
        "phases/basics.yml",
        "papers: [smith-2020-vectors]",
        "papers: [smith-2020-vectorz]",
        "roadmap/phases/basics.yml:19:14: unknown paper `smith-2020-vectorz` (did you mean `smith-2020-vectors`?)",
    ),
    "dangling glossary term": (
        "glossary.yml",
        "related: [stochastic-gradient-descent]",
        "related: [sgd]",
        "roadmap/glossary.yml:11:15: unknown glossary term `sgd`",
    ),
    "prerequisite taught later": (
        "phases/basics.yml",
        "prerequisites: [vectors]",
        "prerequisites: [vectors, tokens]",
        'roadmap/phases/basics.yml:31:30: prerequisite `tokens` is taught later, in phase "Models"',
    ),
    "prerequisite later in the same phase": (
        "phases/basics.yml",
        "    key_concepts: [Dot product, Norm]",
        "    key_concepts: [Dot product, Norm]\n  - id: calculus\n    title: Calculus\n"
        "    summary: Rates of change.\n    explanation: Limits.\n    key_concepts: [Limit]\n    prerequisites: [gradients]",
        "roadmap/phases/basics.yml:24:21: prerequisite `gradients` is taught later in this phase: move it before "
        "this topic, or drop the prerequisite",
    ),
    "prerequisite cycle": (
        "phases/basics.yml",
        "    key_concepts: [Dot product, Norm]",
        "    key_concepts: [Dot product, Norm]\n    prerequisites: [gradients]",
        "roadmap/phases/basics.yml:32:21: prerequisite cycle: vectors -> gradients -> vectors",
    ),
    "overlapping weeks": (
        "phases/models.yml",
        "weeks: {start: 5, end: 8}",
        "weeks: {start: 4, end: 8}",
        "roadmap/phases/models.yml:5:8: weeks 4-8 overlap or come before the previous phase `basics` (weeks 1-4)",
    ),
    "week range backwards": (
        "phases/models.yml",
        "weeks: {start: 5, end: 8}",
        "weeks: {start: 9, end: 8}",
        "roadmap/phases/models.yml:5:8: week range ends (week 8) before it starts (week 9)",
    ),
    "non-https url": (
        "phases/basics.yml",
        "url: https://example.org/vectors",
        "url: http://example.org/vectors",
        "roadmap/phases/basics.yml:22:14: links must start with https:// (no http:, javascript: or data: links)",
    ),
    "malformed arxiv id": (
        "papers.yml",
        'arxiv: "2001.00001"',
        'arxiv: "2001.1"',
        "roadmap/papers.yml:8:12: malformed arXiv id `2001.1`: expected a form like `1706.03762` or `hep-th/9901001`",
    ),
    "alias": (
        "skills.yml",
        "topics: [vectors, gradients]",
        "topics: &t [vectors, gradients]\n    other: *t",
        "roadmap/skills.yml:6:13: anchors (`&name`) are not allowed; write values out",
    ),
    "phase listed without a file": (
        "handbook.yml",
        "phases: [basics, models]",
        "phases: [basics, models, extra]",
        "roadmap/handbook.yml:3:26: phase `extra` has no file roadmap/phases/extra.yml",
    ),
    "uncited paper": (
        "phases/models.yml",
        "papers: [smith-2020-vectors, lee-2021-conv]",
        "papers: [smith-2020-vectors]",
        "roadmap/papers.yml:10:9: paper `lee-2021-conv` is not cited by any topic (add it to a topic's `papers`)",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_each_mistake_is_located(spec, handbook, case):
    file, old, new, expected = case
    root = spec("minimal")
    edit(root, file, old, new)
    result = check(handbook, root)
    assert result.code == 1
    assert result.lines == [expected]


def test_five_mistakes_give_five_located_errors(spec, handbook):
    root = spec("minimal")
    edit(root, "phases/basics.yml", "title: Basics", "titel: Basics")
    edit(root, "phases/basics.yml", "hours: 40", "hours: forty")
    edit(root, "papers.yml", 'arxiv: "2001.00001"', "arxiv: 2001.00001")
    edit(root, "glossary.yml", "    abbr: BPE", "    abbr: BPE\n    abbr: B")
    edit(root, "projects.yml", "level: beginner", "level: expert")
    result = check(handbook, root)
    assert result.code == 1
    assert result.lines == [
        "roadmap/glossary.yml:10:5: duplicate key `abbr` (first defined at line 9); YAML would keep only the last",
        "roadmap/papers.yml:8:12: `arxiv` must be text: `2001.00001` is read by YAML as a number; put it in quotes",
        "roadmap/phases/basics.yml:2:1: unknown field `titel` (did you mean `title`?)",
        "roadmap/phases/basics.yml:10:8: `hours` must be a whole number: got `'forty'`",
        "roadmap/projects.yml:4:12: `level` must be one of 'beginner', 'intermediate' or 'advanced': got `expert`",
    ]
    assert result.err.rstrip().endswith("5 problem(s) found.")


def test_file_over_size_bound_is_rejected(spec, handbook):
    root = spec("minimal")
    (root / "glossary.yml").write_text("terms:\n" + "# padding\n" * 60_000, encoding="utf-8")
    result = check(handbook, root)
    assert result.code == 1
    assert result.lines[0].startswith("roadmap/glossary.yml:1:1: file is ")
    assert result.lines[0].endswith("bytes; the limit is 524288 (split it up)")


def test_github_actions_also_prints_annotations(spec, handbook, monkeypatch):
    root = spec("minimal")
    edit(root, "phases/basics.yml", "title: Basics", "titel: Basics")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = check(handbook, root)
    assert (
        "::error file=roadmap/phases/basics.yml,line=2,col=1::unknown field `titel` (did you mean `title`?)"
        in result.out
    )


def test_console_command_reports_without_traceback(spec):
    root = spec("minimal")
    (root / "phases" / "basics.yml").write_bytes(b"id: basics\ntitle: \xff\n")
    result = run_command("check", "--spec", "roadmap", cwd=root.parent)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert (
        result.err.splitlines()[0]
        == "roadmap/phases/basics.yml:2:8: not valid UTF-8 (byte 0xff); save the file as UTF-8"
    )


# Each cross-file rule alone: the rule's name, a mistake only it catches, and what it says.
RULES = {
    "anchor ids unique": (
        "phases/basics.yml",
        "{id: gradient-by-hand,",
        "{id: vectors,",
        "roadmap/phases/basics.yml:32:17: duplicate phase, track, topic, exercise or milestone id `vectors` "
        "(first used in roadmap/phases/basics.yml:13)",
    ),
    "prerequisites in reading order": (
        "phases/basics.yml",
        "    prerequisites: [vectors]",
        "    prerequisites: [vectors, tokens]",
        'roadmap/phases/basics.yml:31:30: prerequisite `tokens` is taught later, in phase "Models"',
    ),
    "every paper cited": (
        "phases/models.yml",
        "papers: [smith-2020-vectors, lee-2021-conv]",
        "papers: [smith-2020-vectors]",
        "roadmap/papers.yml:10:9: paper `lee-2021-conv` is not cited by any topic (add it to a topic's `papers`)",
    ),
}


@pytest.mark.parametrize(("name", "case"), RULES.items(), ids=RULES.keys())
def test_each_rule_runs_alone_and_reports_its_own_mistake(spec, monkeypatch, name, case):
    from handbook.problems import SpecError
    from handbook.validate import CHECKS, read_spec

    file, old, new, expected = case
    root = spec("minimal")
    edit(root, file, old, new)
    monkeypatch.chdir(root.parent)  # problems are shown relative to the working directory
    assert name in CHECKS
    with pytest.raises(SpecError) as err:
        read_spec(Path("roadmap"), checks=[name])
    assert [str(p) for p in err.value.problems] == [expected]
    read_spec(Path("roadmap"), checks=[other for other in CHECKS if other != name])  # no other rule objects
