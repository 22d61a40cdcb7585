"""`handbook check`: mistakes are reported as `path:line:col: message`, all at once. The corpus of
single mistakes (tests/corpus.py) is run by tests/test_adversarial.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus import CASES, replace
from helpers import run_command


def edit(spec: Path, file: str, old: str, new: str) -> None:
    replace(file, old, new)(spec)


def check(handbook, spec: Path):
    return handbook("check", "--spec", "roadmap", cwd=spec.parent)


def test_valid_spec_exits_zero(spec, handbook):
    result = check(handbook, spec("minimal"))
    assert result.code == 0
    assert "ok (2 phases, 4 topics, 2 papers, 2 terms)" in result.out
    assert result.err == ""


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


# Each cross-file rule alone: the rule's name and the corpus case of a mistake only it catches.
RULES = {
    "anchor ids unique": "exercise id equal to a topic id",
    "prerequisites in reading order": "prerequisite taught later",
    "every paper cited": "uncited paper",
}


@pytest.mark.parametrize(("name", "case"), RULES.items(), ids=RULES.keys())
def test_each_rule_runs_alone_and_reports_its_own_mistake(spec, monkeypatch, name, case):
    from handbook.problems import SpecError
    from handbook.validate import CHECKS, read_spec

    mistake = CASES[case]
    root = spec("minimal")
    mistake.mutate(root)
    monkeypatch.chdir(root.parent)  # problems are shown relative to the working directory
    assert name in CHECKS and mistake.only
    with pytest.raises(SpecError) as err:
        read_spec(Path("roadmap"), checks=[name])
    assert [str(p) for p in err.value.problems] == [mistake.line]
    read_spec(Path("roadmap"), checks=[other for other in CHECKS if other != name])  # no other rule objects
