"""Property-based tests (hypothesis) with a fixed budget, derandomized so CI runs the same examples.

- Random mutations of the minimal fixture never make `read_spec` raise anything but SpecError, and
  every problem it reports points into the spec at a real line.
- A valid spec with arbitrary text in its free-text fields always builds, and the text never
  reaches a page as markup.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from handbook.generate import generate
from handbook.problems import SpecError
from handbook.render import md
from handbook.validate import read_spec
from helpers import FIXTURES

MINIMAL = FIXTURES / "minimal"
FILES = {p.relative_to(MINIMAL).as_posix(): p.read_bytes() for p in sorted(MINIMAL.rglob("*.yml"))}
# No shrinking: a failure prints its example at once instead of spending minutes minimising it.
BUDGET = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
PUNCTUATION = [*"-:[]{},#&*!|>'\"%@`?\t\n", "---", "...", ": ", "- ", "&a ", "*a", "!!python/object ", "<<: "]
LINE_BREAKS = (b"\n", b"\r", "\x85".encode(), "\u2028".encode(), "\u2029".encode())
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


def scalar() -> st.SearchStrategy[str]:
    return st.one_of(
        text,
        st.integers().map(str),
        st.floats(allow_nan=True).map(str),
        st.sampled_from(
            ["true", "no", "on", "null", "~", "", "2024-02-30", "1.10", "0755", "0x1F", ".inf", "._"]
        ),
    )


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, bytes]:
    """The minimal fixture with one to three random edits."""
    files = dict(FILES)
    for _ in range(draw(st.integers(1, 3))):
        rel = draw(st.sampled_from(sorted(files)))
        data = files[rel]
        lines = data.split(b"\n")
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "scalar", "duplicate", "insert", "bytes", "truncate"]))
        if kind == "delete":
            del lines[i]
        elif kind == "scalar" and b": " in lines[i]:
            key = lines[i].split(b": ", 1)[0]
            lines[i] = key + b": " + draw(scalar()).encode("utf-8")
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "insert":
            at = draw(st.integers(0, len(lines[i])))
            piece = draw(st.one_of(text, st.sampled_from(PUNCTUATION))).encode("utf-8")
            lines[i] = lines[i][:at] + piece + lines[i][at:]
        elif kind == "bytes":
            lines[i] += draw(st.binary(min_size=1, max_size=8))
        data = b"\n".join(lines)
        if kind == "truncate":
            data = data[: draw(st.integers(0, len(data)))]
        files[rel] = data
    return files


def write(folder: Path, files: dict[str, bytes]) -> Path:
    spec = folder / "roadmap"
    for rel, data in files.items():
        (spec / rel).parent.mkdir(parents=True, exist_ok=True)
        (spec / rel).write_bytes(data)
    return spec


@BUDGET
@given(mutated())
def test_mutations_only_ever_raise_located_spec_errors(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        spec = write(Path(tmp), files)
        try:
            read_spec(spec)
        except SpecError as exc:
            assert exc.problems
            root = spec.resolve()
            for problem in exc.problems:
                path = Path(problem.path)
                path = (path if path.is_absolute() else Path.cwd() / path).resolve()
                assert path == root or path.is_relative_to(root), problem
                assert problem.line >= 1 and problem.col >= 1, problem
                if path.is_file():
                    data = path.read_bytes()
                    breaks = sum(data.count(b) for b in LINE_BREAKS)
                    assert problem.line <= breaks + 1, problem
                assert "\n" not in problem.message, problem


HOSTILE = [
    "<script>",
    "</div>",
    "<img src=x onerror=alert(1)>",
    "{{ x }}",
    "{% if %}",
    "--8<-- ",
    "*[X]: y",
    "**",
    "[a](javascript:x)",
    "`",
    "|",
    "\\",
    "&amp;",
    "{: .x }",
    "# ",
    "\n\n",
    "\n- ",
    "!!! note",
]
free_text = (
    st.lists(
        st.one_of(
            st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20),
            st.sampled_from(HOSTILE),
        ),
        min_size=1,
        max_size=8,
    )
    .map("".join)
    .filter(lambda s: s.strip() and len(s) <= 300)
)


def load_yaml(rel: str) -> Any:
    return yaml.safe_load(FILES[rel].decode("utf-8"))


@BUDGET
@given(title=free_text, topic=free_text, explanation=free_text, why=free_text, term=free_text)
def test_valid_spec_with_any_text_always_builds(
    title: str, topic: str, explanation: str, why: str, term: str
) -> None:
    basics, papers, glossary = (
        load_yaml("phases/basics.yml"),
        load_yaml("papers.yml"),
        load_yaml("glossary.yml"),
    )
    basics["title"] = title
    basics["topics"][0]["title"] = topic
    basics["topics"][0]["explanation"] = explanation
    papers["papers"][0]["why"] = why
    glossary["terms"][0]["term"] = term
    files = dict(FILES)
    for rel, data in (("phases/basics.yml", basics), ("papers.yml", papers), ("glossary.yml", glossary)):
        files[rel] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        spec = write(Path(tmp), files)
        generate(spec, spec.parent / "docs")
        docs = spec.parent / "docs"
        page = (docs / "phases" / "basics" / "index.md").read_text(encoding="utf-8")
        assert f"# 1. {md(title)}\n" in page
        assert md(topic) in page
        for path in docs.rglob("*"):
            if path.suffix not in {".md", ".yml"} or path.name == "abbreviations.md":
                continue  # data files, and abbreviation definitions (attribute text): see test_injection.py
            body = path.read_text(encoding="utf-8")
            if body.startswith("---\n"):
                body = body.split("\n---\n", 1)[
                    1
                ]  # front matter is checked in tests/browser/test_injection.py
            body = re.sub(r'="[^"]*"', '=""', body)  # attribute values are escaped by `attr`, not `md`
            assert "<script" not in body.lower(), path
            assert "<img" not in body.lower(), path
