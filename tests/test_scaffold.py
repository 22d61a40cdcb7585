"""`handbook new`: skeletons land in the right list, in place, valid, and nothing else in the file moves."""

from __future__ import annotations

import difflib
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from handbook import models as m
from helpers import ROOT, run_command


def only_inserted(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`, asserting that it adds one block and changes nothing else."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    ops = [
        op for op in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes() if op[0] != "equal"
    ]
    assert len(ops) == 1 and ops[0][0] == "insert", ops
    _, _, _, j1, j2 = ops[0]
    return new[j1:j2]


def data(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_topic_goes_after_the_last_topic_of_the_phase(spec, handbook):
    root = spec("minimal")
    file = root / "phases" / "basics.yml"
    before = file.read_text(encoding="utf-8")
    result = handbook(
        "new", "topic", "--phase", "basics", "--id", "matrices", "--title", "Matrices", cwd=root.parent
    )
    assert result.code == 0, result.err
    assert result.out.startswith("roadmap/phases/basics.yml:32: added topic `matrices`")
    block = only_inserted(before, file.read_text(encoding="utf-8"))
    assert block[0] == "  - id: matrices\n"
    assert all(line == "\n" or line.startswith("    ") for line in block[1:])
    topics = data(file)["topics"]
    assert [t["id"] for t in topics] == ["vectors", "gradients", "matrices"]
    m.Topic.model_validate(topics[-1])  # schema-valid on its own ...
    assert "Write at least 120 words" in topics[-1]["explanation"]  # ... and plainly a placeholder
    check = handbook("check", "--spec", "roadmap", cwd=root.parent)
    assert check.code == 0, check.err
    assert "5 topics" in check.out


def test_topic_goes_inside_the_named_track(spec, handbook):
    root = spec("minimal")
    file = root / "phases" / "models.yml"
    before = file.read_text(encoding="utf-8")
    args = ("new", "topic", "--phase", "models", "--track", "vision", "--id", "pooling", "--title", "Pooling")
    result = handbook(*args, cwd=root.parent)
    assert result.code == 0, result.err
    block = only_inserted(before, file.read_text(encoding="utf-8"))
    assert block[0] == "      - id: pooling\n"
    tracks = data(file)["tracks"]
    assert [t["id"] for t in tracks[0]["topics"]] == ["convolutions", "pooling"]
    assert [t["id"] for t in tracks[1]["topics"]] == ["tokens"]
    assert "topics" not in data(file)  # not at the phase's top level
    assert handbook("check", "--spec", "roadmap", cwd=root.parent).code == 0


def test_phase_with_only_tracks_gets_a_topics_list_before_its_tracks(spec, handbook):
    root = spec("minimal")
    file = root / "phases" / "models.yml"
    before = file.read_text(encoding="utf-8")
    result = handbook(
        "new", "topic", "--phase", "models", "--id", "datasets", "--title", "Datasets", cwd=root.parent
    )
    assert result.code == 0, result.err
    after = file.read_text(encoding="utf-8")
    assert only_inserted(before, after)[0] == "topics:\n"
    assert after.index("topics:\n  - id: datasets") < after.index("tracks:")
    assert [t["id"] for t in data(file)["topics"]] == ["datasets"]
    assert handbook("check", "--spec", "roadmap", cwd=root.parent).code == 0


def test_comments_blank_lines_and_odd_layouts_survive(spec, handbook):
    root = spec("minimal")
    file = root / "phases" / "basics.yml"
    text = file.read_text(encoding="utf-8")
    text = "# yaml-language-server: $schema=../schemas/phase.json\n# A header comment.\n" + text
    text = text.replace(
        "    prerequisites: [vectors]\n", "    prerequisites: [vectors]  # trailing\n\n# Practice:\n"
    )
    text = text.replace("topics:\n", "topics:   # the list\n")
    file.write_text(text, encoding="utf-8")
    result = handbook(
        "new", "topic", "--phase", "basics", "--id", "norms", "--title", "Norms", cwd=root.parent
    )
    assert result.code == 0, result.err
    after = file.read_text(encoding="utf-8")
    only_inserted(text, after)
    # The new block sits right after the last topic's content, before the blank line and the comment.
    assert "prerequisites: [vectors]  # trailing\n  - id: norms\n" in after
    assert re.search(r"\n    reviewed: \d{4}-\d{2}\n\n# Practice:\npractice:", after)
    assert handbook("check", "--spec", "roadmap", cwd=root.parent).code == 0


def test_block_scalar_last_value_crlf_and_no_final_newline(spec, handbook):
    root = spec("minimal")
    file = root / "phases" / "basics.yml"
    text = file.read_text(encoding="utf-8")
    # Move the last topic's explanation to the end as a literal block followed by blank lines.
    text = text.replace(
        "    explanation: The gradient points uphill; SGD walks the other way.\n"
        "    key_concepts: [Chain rule]\n    prerequisites: [vectors]\n",
        "    key_concepts: [Chain rule]\n    prerequisites: [vectors]\n    explanation: |\n"
        "      The gradient points uphill.\n\n      SGD walks the other way.\n\n\n",
    )
    assert "      SGD walks the other way.\n\n\npractice:" in text
    crlf = text.rstrip("\n").replace("\n", "\r\n")  # Windows line ends, no newline at the end
    file.write_bytes(crlf.encode("utf-8"))
    before = data(file)
    result = handbook(
        "new", "topic", "--phase", "basics", "--id", "jacobians", "--title", "Jacobians", cwd=root.parent
    )
    assert result.code == 0, result.err
    raw = file.read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")  # still CRLF throughout
    after = data(file)
    assert after["topics"][1] == before["topics"][1]  # the block scalar kept its text
    assert after["topics"][2]["id"] == "jacobians"
    assert {k: v for k, v in after.items() if k != "topics"} == {
        k: v for k, v in before.items() if k != "topics"
    }
    assert handbook("check", "--spec", "roadmap", cwd=root.parent).code == 0


@pytest.mark.parametrize("title", ["Track A: alignment", "yes", "#1 topic", 'It\'s "quoted"', "1.10"])
def test_titles_that_need_quotes_read_back_exactly(spec, handbook, title):
    root = spec("minimal")
    result = handbook(
        "new", "topic", "--phase", "basics", "--id", "awkward", "--title", title, cwd=root.parent
    )
    assert result.code == 0, result.err
    assert data(root / "phases" / "basics.yml")["topics"][-1]["title"] == title
    assert handbook("check", "--spec", "roadmap", cwd=root.parent).code == 0


def test_new_paper_is_valid_once_a_topic_cites_it(spec, handbook):
    root = spec("minimal")
    file = root / "papers.yml"
    before = file.read_text(encoding="utf-8")
    args = ("new", "paper", "--id", "doe-2024-matrices", "--title", "Matrices Revisited")
    result = handbook(*args, cwd=root.parent)
    assert result.code == 0, result.err
    assert "roadmap/papers.yml:17: added paper `doe-2024-matrices`" in result.out
    assert "add `doe-2024-matrices` to the `papers` list of a topic" in result.out  # the hint
    block = only_inserted(before, file.read_text(encoding="utf-8"))
    assert block[0] == "  - id: doe-2024-matrices\n"
    paper = data(file)["papers"][-1]
    assert paper["year"] == 2024  # from the id
    m.Paper.model_validate(paper)

    # Uncited, the spec fails with exactly that one problem ...
    check = handbook("check", "--spec", "roadmap", cwd=root.parent)
    assert check.code == 1
    uncited = "paper `doe-2024-matrices` is not cited by any topic (add it to a topic's `papers`)"
    assert check.lines == [f"roadmap/papers.yml:17:9: {uncited}"]
    # ... and cited, it passes.
    phase = root / "phases" / "basics.yml"
    text = phase.read_text(encoding="utf-8")
    phase.write_text(
        text.replace("[smith-2020-vectors]", "[smith-2020-vectors, doe-2024-matrices]"), encoding="utf-8"
    )
    check = handbook("check", "--spec", "roadmap", cwd=root.parent)
    assert check.code == 0, check.err
    assert "3 papers" in check.out


def test_new_paper_with_arxiv_and_year(spec, handbook):
    root = spec("minimal")
    args = ("new", "paper", "--id", "vaswani-attention", "--title", "Attention Is All You Need")
    result = handbook(*args, "--year", "2017", "--arxiv", "1706.03762", cwd=root.parent)
    assert result.code == 0, result.err
    paper = data(root / "papers.yml")["papers"][-1]
    assert (paper["year"], paper["arxiv"]) == (2017, "1706.03762")
    assert "url" not in paper


TAKEN = "is already used here by a phase, track, topic, exercise or milestone check; choose another id"
REFUSALS = {
    "existing topic": (
        ("topic", "--phase", "basics", "--id", "vectors"),
        f"roadmap/phases/basics.yml:13:9: id `vectors` {TAKEN}",
    ),
    "existing topic in another phase": (
        ("topic", "--phase", "basics", "--id", "tokens"),
        f"roadmap/phases/models.yml:25:13: id `tokens` {TAKEN}",
    ),
    "existing milestone check": (
        ("topic", "--phase", "models", "--id", "basics-gradient"),
        f"roadmap/phases/basics.yml:37:11: id `basics-gradient` {TAKEN}",
    ),
    "existing practice item": (  # exercises share the namespace: `handbook check` would refuse it
        ("topic", "--phase", "models", "--id", "gradient-by-hand"),
        f"roadmap/phases/basics.yml:32:17: id `gradient-by-hand` {TAKEN}",
    ),
    "reserved id": (
        ("topic", "--phase", "basics", "--id", "index"),
        "roadmap/phases/basics.yml:13:3: id `index` is reserved: it would collide with an overview page "
        "(index.md)",
    ),
    "existing paper": (
        ("paper", "--id", "smith-2020-vectors"),
        "roadmap/papers.yml:2:9: id `smith-2020-vectors` is already used here by a paper; choose another id",
    ),
    "invalid slug": (
        ("topic", "--phase", "basics", "--id", "Bad_Id"),
        "roadmap/phases/basics.yml:13:3: `Bad_Id` is not a valid id: use lowercase letters, digits and "
        "single hyphens (like `linear-algebra`)",
    ),
    "invalid paper slug": (
        ("paper", "--id", "smith--2020"),
        "roadmap/papers.yml:2:3: `smith--2020` is not a valid id: use lowercase letters, digits and "
        "single hyphens (like `linear-algebra`)",
    ),
    "unknown phase": (
        ("topic", "--phase", "basic", "--id", "x"),
        "roadmap/handbook.yml:3:9: unknown phase `basic` (did you mean `basics`?)",
    ),
    "unknown track": (
        ("topic", "--phase", "models", "--track", "txt", "--id", "x"),
        "roadmap/phases/models.yml:8:3: unknown track `txt` in phase `models` (one of: vision, text)",
    ),
    "paper id without a year": (
        ("paper", "--id", "attention"),
        "roadmap/papers.yml:2:3: cannot tell the year from `attention`: name papers "
        "`<first-author>-<year>-<word>` or pass --year",
    ),
    "malformed arxiv id": (
        ("paper", "--id", "doe-2024-x", "--arxiv", "1234"),
        "roadmap/papers.yml:2:3: malformed arXiv id `1234`: expected a form like `1706.03762` or `hep-th/9901001`",
    ),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_refusals_are_located_and_write_nothing(spec, handbook, case):
    args, expected = REFUSALS[case]
    root = spec("minimal")
    files = {p: p.read_bytes() for p in root.rglob("*.yml")}
    result = handbook("new", *args, "--title", "X", cwd=root.parent)
    assert result.code == 1
    assert result.lines == [expected]
    assert {p: p.read_bytes() for p in root.rglob("*.yml")} == files
    assert not [p for p in root.rglob("*") if p.name.startswith(".")]  # no temporary file left behind


def test_a_flow_list_is_refused_not_rewritten(spec, handbook):
    root = spec("minimal")
    file = root / "papers.yml"
    file.write_text(
        "papers: " + json.dumps(data(file)["papers"]) + "\n", encoding="utf-8"
    )  # JSON is flow YAML
    before = file.read_bytes()
    result = handbook("new", "paper", "--id", "doe-2024-x", "--title", "X", cwd=root.parent)
    assert result.code == 1
    assert result.lines == [
        "roadmap/papers.yml:1:9: write `papers` as a block list (one `- id: ...` line per item) to add to it"
    ]
    assert file.read_bytes() == before


def test_an_invalid_spec_is_reported_first(spec, handbook):
    root = spec("minimal")
    (root / "phases" / "basics.yml").write_text(
        (root / "phases" / "basics.yml")
        .read_text(encoding="utf-8")
        .replace("title: Basics", "titel: Basics"),
        encoding="utf-8",
    )
    result = handbook("new", "topic", "--phase", "basics", "--id", "x", "--title", "X", cwd=root.parent)
    assert result.code == 1
    assert result.lines == ["roadmap/phases/basics.yml:2:1: unknown field `titel` (did you mean `title`?)"]


def test_console_command_end_to_end(spec):
    root = spec("minimal")
    result = run_command(
        "new", "topic", "--phase", "basics", "--id", "matrices", "--title", "Matrices", cwd=root.parent
    )
    assert result.code == 0, result.err
    assert "added topic `matrices`" in result.out
    assert run_command("check", cwd=root.parent).code == 0
    result = run_command(
        "new", "topic", "--phase", "basics", "--id", "matrices", "--title", "Again", cwd=root.parent
    )
    assert result.code == 1 and "already used" in result.err and "Traceback" not in result.err


def test_real_roadmap_phase_and_track(tmp_path, handbook):
    """On a copy of the real spec (4-space track indentation, long block scalars), when it is valid."""
    target = tmp_path / "roadmap"
    shutil.copytree(ROOT / "roadmap", target)
    if handbook("check", "--spec", "roadmap", cwd=tmp_path).code != 0:
        pytest.skip("the real roadmap does not pass `handbook check` right now")
    phases = yaml.safe_load((target / "handbook.yml").read_text(encoding="utf-8"))["phases"]
    for phase in phases:
        doc = yaml.safe_load((target / "phases" / f"{phase}.yml").read_text(encoding="utf-8"))
        file = target / "phases" / f"{phase}.yml"
        before = file.read_text(encoding="utf-8")
        args = [
            "new",
            "topic",
            "--phase",
            phase,
            "--id",
            f"scaffold-test-{phase}",
            "--title",
            "Scaffold test",
        ]
        if doc.get("tracks"):
            args += ["--track", doc["tracks"][-1]["id"]]
        result = handbook(*args, cwd=tmp_path)
        assert result.code == 0, result.err
        only_inserted(before, file.read_text(encoding="utf-8"))
    check = handbook("check", "--spec", "roadmap", cwd=tmp_path)
    assert check.code == 0, check.err


def test_paper_appended_at_end_of_file_without_final_newline(spec, handbook):
    root = spec("minimal")
    file = root / "papers.yml"
    text = file.read_text(encoding="utf-8").rstrip("\n") + "  # last line, no newline"
    file.write_text(text, encoding="utf-8")
    result = handbook("new", "paper", "--id", "roe-2019-norms", "--title", "Norms", cwd=root.parent)
    assert result.code == 0, result.err
    after = file.read_text(encoding="utf-8")
    assert after.startswith(text + "\n  - id: roe-2019-norms\n")
    assert after.endswith("\n")
    assert [p["id"] for p in data(file)["papers"]][-1] == "roe-2019-norms"


def test_the_contributing_guide_examples_match_the_models():
    """The annotated YAML examples in CONTRIBUTING.md are valid records, field for field."""
    import re

    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", guide, re.S)]
    topic, paper, term = (b[0] for b in blocks)
    m.Topic.model_validate(topic)
    m.Paper.model_validate(paper)
    m.Term.model_validate(term)
    assert set(topic) == set(m.Topic.model_fields)  # the topic example shows every field
    assert re.search(r"\.venv/bin/handbook new topic --phase \S+ --id \S+ --title", guide)


def test_a_new_topic_asks_for_check_questions_and_records_its_review_month(spec, handbook):
    from handbook.freshness import this_month
    from handbook.validate import read_spec

    root = spec("minimal")
    result = handbook(
        "new", "topic", "--phase", "basics", "--id", "norms", "--title", "Norms", cwd=root.parent
    )
    assert result.code == 0, result.err
    topic = next(t for p in read_spec(root).roadmap.phases for t in p.all_topics() if t.id == "norms")
    assert [q.question.split(":")[0] for q in topic.questions] == [
        "Write the first question",
        "Write the second question",
    ]
    assert all(q.answer.startswith("Write a worked answer") for q in topic.questions)
    assert topic.reviewed == this_month()
