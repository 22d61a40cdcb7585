"""`handbook build`: deterministic pages from the spec, written only when they change, never elsewhere."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from handbook.generate import generate
from handbook.problems import SpecError
from handbook.validate import read_spec
from helpers import GOLDEN


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def build(spec_dir: Path):
    return generate(spec_dir, spec_dir.parent / "docs")


def test_output_matches_golden_files(spec, request):
    """The rendered pages for the minimal fixture, byte for byte (`pytest --update-golden` rewrites them)."""
    root = spec("minimal")
    build(root)
    produced = tree(root.parent / "docs")
    golden = GOLDEN / "minimal"
    if request.config.getoption("--update-golden"):
        shutil.rmtree(golden, ignore_errors=True)
        for rel, data in produced.items():
            (golden / rel).parent.mkdir(parents=True, exist_ok=True)
            (golden / rel).write_bytes(data)
    assert produced == tree(golden)


def test_same_spec_gives_same_bytes(spec, tmp_path):
    root = spec("minimal")
    build(root)
    first = tree(root.parent / "docs")
    shutil.rmtree(root.parent / "docs")
    build(root)
    assert tree(root.parent / "docs") == first


def test_noop_rebuild_writes_nothing(spec):
    root = spec("minimal")
    build(root)
    docs = root.parent / "docs"
    mtimes = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    report = build(root)
    assert report.changed == [] and report.removed == []
    assert sorted(report.unchanged) == sorted(
        str(p.relative_to(docs)) for p in mtimes if p.name != ".handbook-manifest"
    )
    assert {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()} == mtimes


def test_only_the_edited_page_is_rewritten(spec):
    root = spec("minimal")
    build(root)
    path = root / "phases" / "basics.yml"
    path.write_text(path.read_text().replace("Learn the algebra.", "Learn linear algebra."))
    report = build(root)
    assert report.changed == ["phases/basics/index.md"]


def test_failed_validation_leaves_output_untouched(spec):
    root = spec("minimal")
    build(root)
    before = tree(root.parent / "docs")
    path = root / "phases" / "basics.yml"
    path.write_text(path.read_text().replace("title: Basics", "titel: Basics"))
    with pytest.raises(SpecError):
        build(root)
    assert tree(root.parent / "docs") == before


def test_hand_written_files_survive(spec):
    root = spec("minimal")
    docs = root.parent / "docs"
    (docs / "phases").mkdir(parents=True)
    (docs / "phases" / "notes.md").write_text("# My notes\n")
    (docs / "index.md").write_text("# Home\n")
    build(root)
    build(root)
    assert (docs / "phases" / "notes.md").read_text() == "# My notes\n"
    assert (docs / "index.md").read_text() == "# Home\n"


def test_hand_written_file_in_the_way_is_not_overwritten(spec):
    root = spec("minimal")
    docs = root.parent / "docs"
    (docs / "phases" / "basics").mkdir(parents=True)
    (docs / "phases" / "basics" / "index.md").write_text("# Mine\n")
    with pytest.raises(SpecError) as err:
        build(root)
    assert "refusing to overwrite a file the generator did not write" in str(err.value.problems[0])
    assert (docs / "phases" / "basics" / "index.md").read_text() == "# Mine\n"
    assert not (docs / "phases" / "index.md").exists()


def test_stale_generated_pages_are_removed(spec):
    root = spec("minimal")
    build(root)
    docs = root.parent / "docs"
    assert (docs / "phases" / "models" / "text" / "tokens.md").exists()
    path = root / "phases" / "models.yml"
    text = path.read_text()
    start = text.index("  - id: text")
    path.write_text(text[:start] + text[text.index("milestone:") :])
    report = build(root)
    assert report.removed == [
        "phases/models/text/.nav.yml",
        "phases/models/text/index.md",
        "phases/models/text/tokens.md",
    ]
    assert not (docs / "phases" / "models" / "text").exists()


def test_dry_run_reports_without_writing(spec):
    root = spec("minimal")
    report = generate(root, root.parent / "docs", dry_run=True)
    assert "phases/basics/index.md" in report.changed
    assert not (root.parent / "docs").exists()


def test_markup_in_values_is_escaped(spec):
    root = spec("minimal")
    path = root / "phases" / "basics.yml"
    hostile = '<script>alert(1)</script> **bold** [x](javascript:y) {{ jinja }} --8<-- "/etc/passwd"'
    path.write_text(path.read_text().replace("title: Vectors", f"title: '{hostile}'"))
    build(root)
    page = (root.parent / "docs" / "phases" / "basics" / "vectors.md").read_text()
    heading = next(line for line in page.splitlines() if line.startswith("# ") and "vectors" in line)
    assert "<script>" not in page
    assert "<script>" not in (root.parent / "docs" / "phases" / "basics" / "index.md").read_text()
    assert heading == (
        "# &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\*\\*bold\\*\\* \\[x\\]\\(javascript&#58;y\\) "
        '\\{\\{ jinja \\}\\} \\-\\-8&lt;\\-\\- "/etc/passwd" { #vectors .hb-topic }'
    )


def test_learning_path_lists_every_topic_in_reading_order_with_working_addresses(spec):
    """The data behind "Next up" and plan dates: every topic once, shared topics before a phase's
    tracks, each address relative to the page that carries it."""
    root = spec("minimal")
    build(root)
    docs = root.parent / "docs"
    for page in ("snippets/phases-table.md", "phases/models/index.md", "phases/models/text/index.md"):
        text = (docs / page).read_text()
        raw = re.search(r"data-hb-path='([^']*)'", text).group(1)
        data = json.loads(html.unescape(raw))
        order = [t["id"] for t in data["topics"]]
        assert order == [t.id for p in read_spec(root).roadmap.phases for t in p.all_topics()]
        base = Path("index.md" if page.startswith("snippets/") else page).parent
        for item in data["topics"] + data["phases"]:
            target = docs / base / item["url"]
            assert (target / "index.md").exists() or target.with_suffix(".md").exists(), (page, item["url"])


def test_roadmap_json_has_the_documented_shape(spec):
    root = spec("minimal")
    build(root)
    data = json.loads((root.parent / "docs" / "roadmap.json").read_text())
    assert set(data) == {"version", "title", "phases", "papers", "glossary"}
    phase = data["phases"][0]
    assert {k: phase[k] for k in ("id", "title", "weeks", "hours", "url")} == {
        "id": "basics",
        "title": "Basics",
        "weeks": [1, 4],
        "hours": 40,
        "url": "phases/basics/",
    }
    assert phase["topics"][1] == {
        "id": "gradients",
        "title": "Gradients",
        "url": "phases/basics/gradients/",
        "prerequisites": ["vectors"],
        "papers": [],
        "reviewed": None,
        "questions": [],
    }
    tokens = data["phases"][1]["topics"][1]
    assert tokens["reviewed"] == "2026-11"
    assert tokens["questions"][1] == {
        "question": 'What is the length of "abc" in bytes?',
        "answer": "Three, one byte per ASCII character.",
    }
    assert tokens["questions"][0]["answer"].startswith("Every string is a sequence of bytes")
    assert data["phases"][1]["topics"][0]["url"] == "phases/models/vision/convolutions/"
    assert set(data["papers"][0]) == {"id", "title", "authors", "year", "venue", "arxiv", "url"}
    assert data["glossary"][0] == {
        "term": "Stochastic gradient descent",
        "abbr": "SGD",
        "definition": "Gradient descent on mini-batches.",
    }


def test_clean_removes_the_generated_pages_and_nothing_else(spec, handbook):
    root = spec("minimal")
    build(root)
    docs = root.parent / "docs"
    (docs / "start").mkdir()
    (docs / "start" / "hand-written.md").write_text("# Mine\n", encoding="utf-8")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    result = handbook("clean", "--out", "docs", cwd=root.parent)
    assert result.code == 0
    left = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file())
    assert left == ["index.md", "start/hand-written.md"]


@pytest.mark.parametrize(
    ("venue", "kind", "fields"),
    [
        ("Psychometrika 1(3)", "article", {"journal": "Psychometrika", "volume": "1", "number": "3"}),
        ("SIAM Review 60(2) (2018)", "article", {"journal": "SIAM Review", "volume": "60", "number": "2"}),
        (
            "Journal of Machine Learning Research 21(140), 2020",
            "article",
            {"journal": "Journal of Machine Learning Research"},
        ),
        ("Neurocomputing 2024", "article", {"journal": "Neurocomputing"}),
        ("MIT Press", "book", {"publisher": "MIT Press"}),
        ("International Conference on Machine Learning 2020", "inproceedings", {}),
        ("NeurIPS 2017", "inproceedings", {"booktitle": "NeurIPS 2017"}),
    ],
)
def test_bibtex_types_journals_as_articles_with_the_bare_journal_name(venue, kind, fields):
    import bibtexparser

    from handbook.exports import bib_entry
    from handbook.models import Paper

    paper = Paper(id="x-2020-y", title="T", authors=["A B"], year=2020, venue=venue, doi="10.1000/x", why="W")
    entry = bibtexparser.parse_string(bib_entry(paper)).entries[0]
    assert entry.entry_type == kind
    assert {k: entry[k] for k in fields} == fields
    assert "volume" not in fields or entry["journal"] == fields["journal"]


def test_bibtex_is_plain_ascii_with_latex_accents():
    from handbook.exports import bib_entry
    from handbook.models import Paper

    paper = Paper(
        id="x-2020-y",
        title="Schrödinger’s μP – a test",
        authors=["Léo Grinsztajn", "Łukasz Kaiser", "Jürgen Schmidhuber"],
        year=2020,
        venue="NeurIPS 2020",
        doi="10.1000/x",
        why="W",
    )
    text = bib_entry(paper)
    assert text.isascii()
    assert r"Schr{\"o}dinger's $\mu$P -- a test" in text
    assert r"L{\'e}o Grinsztajn and {\L}ukasz Kaiser and J{\"u}rgen Schmidhuber" in text


def test_front_matter_escapes_html_in_titles_and_descriptions():
    """MkDocs and Material write `title` and `description` into <title>, <meta> and the navigation
    without escaping them, so the generator must."""
    from handbook.render import front_matter

    text = front_matter(title='Phase <script>x</script> & "quotes"', description="a<b", search={"boost": 2})
    assert 'title: "Phase &lt;script&gt;x&lt;/script&gt; &amp; &quot;quotes&quot;"' in text
    assert 'description: "a&lt;b"' in text
    assert "<script>" not in text
    assert 'search: {"boost": 2}' in text
