"""Broken and hostile specs (issue 7).

Every case in the corpus (tests/corpus.py) runs `handbook build` on a mutated copy of the minimal
fixture and must end in exit status 1, a `path:line:col: message` naming the problem (for cases
marked `only`, exactly that message and no other), no traceback, and the previously generated docs/
and built site/ byte-for-byte as they were.
The rest of the file covers atomic output, refusal to write outside the generator's folders, and
deterministic builds.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest

from corpus import CASES, bomb, replace, tree
from handbook.generate import generate
from handbook.layout import GENERATED_DIRS as OWNED_DIRS
from handbook.layout import GENERATED_FILES as OWNED_FILES
from handbook.problems import SpecError
from handbook.validate import read_spec
from handbook.write import MANIFEST, write_outputs
from helpers import FIXTURES, run_command


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project holding the minimal spec, the docs/ generated from it and a stand-in for a built site/."""
    project = tmp_path_factory.mktemp("built") / "project"
    shutil.copytree(FIXTURES / "minimal", project / "roadmap")
    generate(project / "roadmap", project / "docs")
    site = project / "site"
    (site / "phases" / "basics").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>Built site</title>\n", encoding="utf-8")
    (site / "phases" / "basics" / "index.html").write_text("<p>phase page</p>\n", encoding="utf-8")
    (site / ".marker").write_bytes(b"built before the broken edit\n")
    return project


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(built, target, symlinks=True)
    return target


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize("name", CASES)
def test_broken_spec_is_located_and_loses_nothing(name: str, project: Path, handbook) -> None:
    """Run in-process (fast: the corpus is large); a traceback would fail the test with the exception.
    The console command itself is run in a subprocess by test_validate and the symlink tests below."""
    case = CASES[name]
    before = {folder: tree(project / folder) for folder in ("docs", "site")}
    assert before["docs"] and before["site"]
    case.mutate(project / "roadmap")

    result = handbook("build", "--spec", "roadmap", "--out", "docs", cwd=project)

    assert result.code == 1, result.out + result.err
    if case.only:
        assert result.lines == [case.line]
    located = [line for line in result.lines if line.startswith(case.where + ": ")]
    assert located, f"no problem at {case.where}:\n{result.err[:3000]}"
    assert any(case.says in line for line in located), result.err[:3000]
    assert all(line.count(":") >= 3 for line in result.lines), result.err[:3000]
    for folder, files in before.items():
        assert tree(project / folder) == files, f"{folder}/ changed"
    assert not (project / "pwned").exists()


def test_billion_laughs_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    spec = tmp_path / "roadmap"
    shutil.copytree(FIXTURES / "minimal", spec)
    (spec / "glossary.yml").write_text(bomb(levels=40), encoding="utf-8")  # 10**39 "lol"s if expanded
    tracemalloc.start()
    try:
        with pytest.raises(SpecError) as err:
            read_spec(spec)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [p.message for p in err.value.problems] == ["anchors (`&name`) are not allowed; write values out"]
    assert peak < 8 * 2**20, f"peak {peak} bytes"


# --- atomic, confined output --------------------------------------------------------------------


def edit(spec: Path, file: str, old: str, new: str) -> None:
    replace(file, old, new)(spec)


def versions(tmp_path: Path) -> tuple[Path, dict[str, bytes | str], dict[str, bytes | str]]:
    """A project built from spec v1, its spec edited to v2 (a page changed, one renamed), and the
    docs trees of clean builds of v1 and v2 (without the manifest)."""
    project = tmp_path / "project"
    spec = project / "roadmap"
    shutil.copytree(FIXTURES / "minimal", spec)
    generate(spec, project / "docs")
    old = tree(project / "docs")
    edit(spec, "phases/basics.yml", "title: Basics", "title: Basics, revised")
    edit(spec, "phases/models.yml", "  - id: text", "  - id: language")
    clean = tmp_path / "clean"
    shutil.copytree(spec, clean / "roadmap")
    generate(clean / "roadmap", clean / "docs")
    new = tree(clean / "docs")
    old.pop(MANIFEST)
    new.pop(MANIFEST)
    return project, old, new


def assert_old_or_new(docs: Path, old: dict[str, bytes | str], new: dict[str, bytes | str]) -> None:
    for rel, data in tree(docs).items():
        if rel == MANIFEST:
            continue
        if Path(rel).name.startswith(".") and rel.endswith(".tmp"):
            continue  # a temporary file a SIGKILL left behind: never read by MkDocs (a dotfile)
        assert data in (old.get(rel), new.get(rel)), f"{rel} is neither the old nor the new page"
    listed = set((docs / MANIFEST).read_text(encoding="utf-8").splitlines())
    for rel in tree(docs):
        if rel in new or rel in old:
            assert rel in listed or (docs / rel).is_dir(), f"{rel} was written but is not in the manifest"


def finish(project: Path) -> None:
    """After an interrupted run the contributor edits again and rebuilds: that must just work."""
    spec = project / "roadmap"
    edit(spec, "phases/models.yml", "title: Text", "title: Language")
    generate(spec, project / "docs")
    clean = project.parent / "clean-v3"
    shutil.copytree(spec, clean / "roadmap")
    generate(clean / "roadmap", clean / "docs")
    got = {k: v for k, v in tree(project / "docs").items() if not k.endswith(".tmp")}
    assert got == tree(clean / "docs")


def test_interrupted_build_leaves_whole_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the N-th rename of a build, for every N: each page is entirely old or entirely new."""
    project, old, new = versions(tmp_path)
    pristine = tmp_path / "pristine"
    shutil.copytree(project, pristine)
    real_replace = os.replace
    n = 0
    while True:
        n += 1
        shutil.rmtree(project)
        shutil.copytree(pristine, project)
        calls = 0

        def failing_replace(src: str, dst: str, _n: int = n) -> None:
            nonlocal calls
            calls += 1
            if calls == _n:
                raise OSError(28, "No space left on device")
            real_replace(src, dst)

        monkeypatch.setattr(os, "replace", failing_replace)
        try:
            generate(project / "roadmap", project / "docs")
        except OSError:
            pass
        else:
            break  # the build needed fewer than n renames: every interruption point was covered
        finally:
            monkeypatch.setattr(os, "replace", real_replace)
        assert_old_or_new(project / "docs", old, new)
        assert not [p for p in (project / "docs").rglob("*.tmp")], "a failed write left its temporary file"
    assert n > 5
    shutil.rmtree(project)
    shutil.copytree(pristine, project)
    monkeypatch.setattr(os, "replace", _fail_at(real_replace, 4))
    with pytest.raises(OSError):
        generate(project / "roadmap", project / "docs")
    monkeypatch.setattr(os, "replace", real_replace)
    finish(project)


def _fail_at(real: Callable[[str, str], None], n: int) -> Callable[[str, str], None]:
    calls = [0]

    def fail(src: str, dst: str) -> None:
        calls[0] += 1
        if calls[0] == n:
            raise OSError(5, "Input/output error")
        real(src, dst)

    return fail


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from handbook.generate import generate

    real_fdopen, opened = os.fdopen, [0]

    class Dying:
        def __init__(self, handle):
            self.handle = handle
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self.handle.__exit__(*exc)
        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            os.kill(os.getpid(), signal.SIGKILL)

    def fdopen(fd, *args, **kwargs):
        opened[0] += 1
        handle = real_fdopen(fd, *args, **kwargs)
        return Dying(handle) if opened[0] == int(sys.argv[1]) else handle

    os.fdopen = fdopen
    generate(Path("roadmap"), Path("docs"))
    """
)


@pytest.mark.parametrize("n", [2, 9])
def test_build_killed_mid_write_leaves_whole_pages(tmp_path: Path, n: int) -> None:
    """SIGKILL the generator half-way through writing its N-th file: no page is ever half written."""
    project, old, new = versions(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, str(n)], cwd=project, capture_output=True, timeout=60
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert_old_or_new(project / "docs", old, new)
    finish(project)


def test_tampered_manifest_never_deletes_outside(project: Path) -> None:
    outside = project / "precious.txt"
    outside.write_text("keep me\n", encoding="utf-8")
    (project / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    with (project / "docs" / MANIFEST).open("a", encoding="utf-8") as handle:
        handle.write("../precious.txt\n/etc/hostname\nindex.md\nphases/../../precious.txt\n")
    generate(project / "roadmap", project / "docs")
    assert outside.read_text(encoding="utf-8") == "keep me\n"
    assert (project / "docs" / "index.md").read_text(encoding="utf-8") == "# Home\n"


def test_symlinked_output_folder_is_refused(project: Path) -> None:
    elsewhere = project / "elsewhere"
    shutil.move(project / "docs" / "reference", elsewhere)
    (project / "docs" / "reference").symlink_to(elsewhere, target_is_directory=True)
    edit(project / "roadmap", "papers.yml", "why: Shows vectors.", "why: Shows vectors well.")
    before = tree(elsewhere)
    result = run_command("build", "--spec", "roadmap", "--out", "docs", cwd=project)
    assert result.code == 1 and "Traceback" not in result.err
    assert (
        "docs/reference/papers.md:1:1: refusing to write outside the generator's own folders" in result.lines
    )
    assert tree(elsewhere) == before


def test_symlinked_page_is_not_written_through(project: Path) -> None:
    target = project / "victim.md"
    target.write_text("not the generator's\n", encoding="utf-8")
    page = project / "docs" / "phases" / "basics" / "index.md"
    page.unlink()
    page.symlink_to(target)
    with pytest.raises(SpecError) as err:
        generate(project / "roadmap", project / "docs")
    assert any("refusing to" in p.message for p in err.value.problems)
    assert target.read_text(encoding="utf-8") == "not the generator's\n"


@pytest.mark.parametrize(
    "rel", ["../x.md", "/tmp/x.md", "phases/../../x.md", "index.md", "stylesheets/x.css", "phases"]
)
def test_writer_refuses_paths_outside_its_folders(tmp_path: Path, rel: str) -> None:
    docs = tmp_path / "docs"
    with pytest.raises(SpecError) as err:
        write_outputs(docs, {rel: "x", "phases/ok.md": "ok"}, owned_dirs=OWNED_DIRS, owned_files=OWNED_FILES)
    assert [p.message for p in err.value.problems] == [
        "refusing to write outside the generator's own folders"
    ]
    assert not docs.exists() and not (tmp_path / "x.md").exists()


# --- determinism --------------------------------------------------------------------------------


def build_in(folder: Path, fixture: str, seed: str) -> dict[str, bytes | str]:
    shutil.copytree(FIXTURES / fixture, folder / "roadmap")
    env = {**os.environ, "PYTHONHASHSEED": seed}
    exe = Path(sys.executable).with_name("handbook")
    proc = subprocess.run(
        [str(exe), "build"], cwd=folder, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return tree(folder / "docs")


@pytest.mark.parametrize("fixture", ["minimal", "hostile"])
def test_two_builds_are_byte_identical(tmp_path: Path, fixture: str) -> None:
    first = build_in(tmp_path / "a" / "project", fixture, "1")
    second = build_in(tmp_path / "b" / "deeper" / "project", fixture, "4242")
    assert {"roadmap.json", "reference/papers.bib", "phases/basics/index.md"} <= first.keys()
    assert first == second


# --- exports from hostile values ----------------------------------------------------------------


BIB_CASES = {
    "line break and @ in the handbook title": pytest.param(
        ("handbook.yml", "title: Fixture Handbook", 'title: "Fixture\\n@misc{injected, title={x}}"')
    ),
    "brace in a DOI": pytest.param(("papers.yml", "doi: 10.1000/example.1", "doi: 10.1000/example.1}")),
}


@pytest.mark.parametrize("mutation", BIB_CASES.values(), ids=BIB_CASES.keys())
def test_papers_bib_holds_exactly_the_spec_papers(tmp_path: Path, mutation: tuple[str, str, str]) -> None:
    import bibtexparser

    spec = tmp_path / "project" / "roadmap"
    shutil.copytree(FIXTURES / "minimal", spec)
    edit(spec, *mutation)
    generate(spec, spec.parent / "docs")
    library = bibtexparser.parse_string((spec.parent / "docs" / "reference" / "papers.bib").read_text())
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == ["smith-2020-vectors", "lee-2021-conv"]
    assert [unquote(e["url"]) for e in library.entries] == [p.link for p in read_spec(spec).roadmap.papers]
