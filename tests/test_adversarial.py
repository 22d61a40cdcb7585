"""Broken and hostile specs (issue 7).

Every case in the corpus runs the real `handbook build` console command on a mutated copy of the
minimal fixture and must end in exit status 1, a `path:line:col: message` naming the problem, no
traceback, and the previously generated docs/ and built site/ byte-for-byte as they were.
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
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest

from handbook.generate import generate
from handbook.layout import GENERATED_DIRS as OWNED_DIRS
from handbook.layout import GENERATED_FILES as OWNED_FILES
from handbook.problems import SpecError
from handbook.validate import read_spec
from handbook.write import MANIFEST, write_outputs
from helpers import FIXTURES, run_command

Mutation = Callable[[Path], None]  # receives the spec folder


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every file under `folder` (dotfiles included) by relative path; symlinks by their target."""
    out: dict[str, bytes | str] = {}
    for base, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(base) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                out[rel] = f"-> {os.readlink(path)}"
            elif path.is_file():
                out[rel] = path.read_bytes()
    return out


# --- mutations ----------------------------------------------------------------------------------


def replace(file: str, old: str, new: str) -> Mutation:
    def mutate(spec: Path) -> None:
        text = (spec / file).read_text(encoding="utf-8")
        assert old in text, f"fixture {file} has no {old!r}"
        (spec / file).write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def put(file: str, data: bytes | str) -> Mutation:
    def mutate(spec: Path) -> None:
        (spec / file).parent.mkdir(parents=True, exist_ok=True)
        (spec / file).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    return mutate


def remove(file: str) -> Mutation:
    return lambda spec: (spec / file).unlink()


def append(file: str, text: str) -> Mutation:
    def mutate(spec: Path) -> None:
        with (spec / file).open("a", encoding="utf-8") as handle:
            handle.write(text)

    return mutate


def both(first: Mutation, second: Mutation) -> Mutation:
    def mutate(spec: Path) -> None:
        first(spec)
        second(spec)

    return mutate


def link_outside_file(spec: Path) -> None:
    outside = spec.parent / "outside.yml"
    outside.write_text((spec / "phases" / "models.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (spec / "phases" / "models.yml").unlink()
    (spec / "phases" / "models.yml").symlink_to(outside)


def link_outside_folder(spec: Path) -> None:
    outside = spec.parent / "elsewhere"
    shutil.move(spec / "phases", outside)
    (spec / "phases").symlink_to(outside, target_is_directory=True)


def bomb(levels: int = 12) -> str:
    """A billion-laughs document: `levels` anchors, each a list of ten aliases to the previous one."""
    lines = ['lol: &l0 "lol"']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, levels)]
    lines.append(f"terms: *l{levels - 1}")
    return "\n".join(lines) + "\n"


# --- the corpus ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    mutate: Mutation
    where: str  # path:line:col the message must start with
    says: str  # a phrase the message must contain


B = "roadmap/phases/basics.yml"
M = "roadmap/phases/models.yml"
LONG_PADDING = "# padding to push the file over the size bound\n" * 12_000

CASES: dict[str, Case] = {
    # YAML syntax
    "unclosed quote": Case(
        replace("phases/basics.yml", "title: Basics", 'title: "Basics'),
        f"{B}:39:1",
        "while scanning a quoted scalar started at line 2, column 8",
    ),
    "colon inside plain value": Case(
        replace("phases/basics.yml", "summary: The mathematics first.", "summary: The mathematics: first."),
        f"{B}:3:25",
        "mapping values are not allowed in this context",
    ),
    "bad indentation": Case(
        replace("phases/basics.yml", "    title: Vectors", "   title: Vectors"),
        f"{B}:14:4",
        "did not find expected '-' indicator",
    ),
    "tab indentation": Case(
        replace("phases/basics.yml", "    title: Vectors", "\ttitle: Vectors"),
        f"{B}:14:1",
        "indent with spaces, not tabs",
    ),
    "duplicate key": Case(
        replace("phases/basics.yml", "    hours: 10", "    hours: 10\n    hours: 12"),
        f"{B}:17:5",
        "duplicate key `hours` (first defined at line 16)",
    ),
    "multiple documents": Case(
        append("skills.yml", "---\nskills: []\n"), "roadmap/skills.yml:7:1", "only one YAML document per file"
    ),
    "top level is a list": Case(
        put("glossary.yml", "- a\n- b\n"), "roadmap/glossary.yml:1:1", "the file must be a mapping of fields"
    ),
    "top level is a scalar": Case(
        put("interview.yml", "just some text\n"),
        "roadmap/interview.yml:1:1",
        "the file must be a mapping of fields",
    ),
    "deeply nested": Case(
        replace(
            "phases/basics.yml",
            "practice: [{id: gradient-by-hand, task: Compute a gradient by hand., expect: It matches a finite-difference estimate to three decimal places.}]",
            "practice: " + "[" * 5000 + "]" * 5000,
        ),
        f"{B}:32:43",
        "nested deeper than 32 levels",
    ),
    # anchors, aliases and tags
    "anchor": Case(
        replace("handbook.yml", "title: Fixture Handbook", "title: &t Fixture Handbook"),
        "roadmap/handbook.yml:1:8",
        "anchors (`&name`) are not allowed",
    ),
    "alias": Case(
        replace("handbook.yml", "phases: [basics, models]", "phases: *p"),
        "roadmap/handbook.yml:3:9",
        "aliases (`*name`) are not allowed",
    ),
    "billion laughs": Case(
        put("glossary.yml", bomb()), "roadmap/glossary.yml:1:6", "anchors (`&name`) are not allowed"
    ),
    "python object tag": Case(
        replace("skills.yml", "name: Mathematics", 'name: !!python/object/apply:os.system ["touch pwned"]'),
        "roadmap/skills.yml:3:11",
        "tags like `tag:yaml.org,2002:python/object/apply:os.system`",
    ),
    "python name tag": Case(
        replace("tools.yml", "description: Tensors and autograd.", "description: !!python/name:os.system"),
        "roadmap/tools.yml:8:22",
        "are not allowed; write a plain value",
    ),
    "include tag": Case(
        replace("handbook.yml", "title: Fixture Handbook", "title: !include /etc/passwd"),
        "roadmap/handbook.yml:1:8",
        "tags like `!include` are not allowed",
    ),
    "binary tag": Case(
        replace("papers.yml", "why: Shows vectors.", "why: !!binary aGVsbG8="),
        "roadmap/papers.yml:9:10",
        "tags like `tag:yaml.org,2002:binary`",
    ),
    # bytes and encodings
    "latin-1 bytes": Case(
        put("phases/models.yml", "id: models\ntitle: Mod\xe8les\n".encode("latin-1")),
        f"{M}:2:11",
        "not valid UTF-8 (byte 0xe8)",
    ),
    "utf-16 file": Case(
        put("handbook.yml", "title: x\n".encode("utf-16")),
        "roadmap/handbook.yml:1:1",
        "not valid UTF-8 (byte 0xff)",
    ),
    "byte-order mark": Case(
        put("glossary.yml", b"\xef\xbb\xbfterms: []\n"), "roadmap/glossary.yml:1:1", "byte-order mark"
    ),
    "control character": Case(
        replace("interview.yml", "hint: Direction", "hint: Dire\x00ction"),
        "roadmap/interview.yml:5:15",
        "unacceptable character U+0000",
    ),
    "empty file": Case(put("projects.yml", b""), "roadmap/projects.yml:1:1", "file is empty"),
    "only comments": Case(put("tools.yml", "# nothing yet\n"), "roadmap/tools.yml:1:1", "file is empty"),
    "over the size bound": Case(
        put("papers.yml", LONG_PADDING), "roadmap/papers.yml:1:1", "bytes; the limit is 524288"
    ),
    # types and YAML 1.1 traps
    "list expected": Case(
        replace("phases/basics.yml", "key_concepts: [Chain rule]", "key_concepts: Chain rule"),
        f"{B}:30:19",
        "`key_concepts` must be a list",
    ),
    "mapping expected": Case(
        replace("phases/basics.yml", "weeks: {start: 1, end: 4}", "weeks: [1, 4]"),
        f"{B}:8:8",
        "`weeks` must be a mapping of fields",
    ),
    "quoted boolean": Case(
        replace("phases/basics.yml", "free: true", 'free: "yes"'),
        f"{B}:24:15",
        "`free` must be true or false",
    ),
    "no is a boolean": Case(
        replace("phases/basics.yml", "summary: The mathematics first.", "summary: no"),
        f"{B}:3:10",
        "`no` is read by YAML as a boolean; put it in quotes",
    ),
    "on is a boolean": Case(
        replace("phases/basics.yml", "summary: Arrows and lists of numbers.", "summary: on"),
        f"{B}:15:14",
        "`on` is read by YAML as a boolean",
    ),
    "on as a key": Case(
        replace("tools.yml", "description: Tensors", "on: Tensors"),
        "roadmap/tools.yml:8:9",
        "key `on` is read as bool; quote it",
    ),
    "date": Case(
        replace("projects.yml", "title: Tiny autograd", "title: 2024-05-01"),
        "roadmap/projects.yml:3:12",
        "`2024-05-01` is read by YAML as a date",
    ),
    "impossible date": Case(
        replace("papers.yml", "venue: Journal of Examples", "venue: 2021-02-30"),
        "roadmap/papers.yml:14:12",
        "looks like a date but is not a valid one",
    ),
    "version 1.10": Case(
        replace("phases/basics.yml", "summary: The mathematics first.", "summary: 1.10"),
        f"{B}:3:10",
        "`1.10` is read by YAML as a number",
    ),
    "octal-looking id": Case(
        replace("phases/basics.yml", "- id: basics-gradient", "- id: 0755"),
        f"{B}:37:11",
        "`0755` is read by YAML as a number; put it in quotes",
    ),
    "5000-digit number": Case(
        replace("phases/basics.yml", "hours: 40", "hours: 4" + "0" * 5000),
        f"{B}:10:8",
        "looks like a number but is not a valid one",
    ),
    # the models
    "unknown key": Case(
        replace("handbook.yml", "next_paths:", "subtitle: Extra\nnext_paths:"),
        "roadmap/handbook.yml:4:1",
        "unknown field `subtitle`",
    ),
    "merge key": Case(
        replace("skills.yml", "    level: must-have", "    <<: {level: must-have}"),
        "roadmap/skills.yml:4:5",
        "unknown field `<<`",
    ),
    "missing required field": Case(
        replace("interview.yml", "    hint: Direction of steepest ascent.\n", ""),
        "roadmap/interview.yml:2:5",
        "missing required field `hint`",
    ),
    "javascript url": Case(
        replace(
            "phases/basics.yml", "url: https://example.org/vectors", "url: javascript:alert(document.cookie)"
        ),
        f"{B}:22:14",
        "links must start with https://",
    ),
    "data url": Case(
        replace("tools.yml", "url: https://pytorch.org/", "url: data:text/html;base64,PHNjcmlwdD4="),
        "roadmap/tools.yml:7:14",
        "links must start with https://",
    ),
    "very long title": Case(
        replace("phases/basics.yml", "title: Basics", "title: " + "A" * 5000),
        f"{B}:2:8",
        "`title` is too long (5000 characters; the limit is 400)",
    ),
    "very long explanation": Case(
        replace(
            "phases/basics.yml", "explanation: Vectors are", "explanation: " + "word " * 4000 + "Vectors are"
        ),
        f"{B}:17:18",
        "the limit is 10000",
    ),
    "very long id": Case(
        replace("phases/basics.yml", "- id: basics-gradient", "- id: " + "a" * 200),
        f"{B}:37:11",
        "`id` is too long (200 characters; the limit is 80)",
    ),
    # ids and references
    "id with capitals": Case(
        replace("phases/basics.yml", "  - id: vectors", "  - id: Vectors"),
        f"{B}:13:9",
        "`Vectors` is not a valid id",
    ),
    "path traversal in a phase id": Case(
        replace("handbook.yml", "phases: [basics, models]", "phases: [basics, ../models]"),
        "roadmap/handbook.yml:3:18",
        "`../models` is not a valid id",
    ),
    "path traversal in a topic id": Case(
        replace("phases/basics.yml", "  - id: gradients", "  - id: ../../etc/x"),
        f"{B}:26:9",
        "`../../etc/x` is not a valid id",
    ),
    "id that would overwrite a page": Case(
        replace("phases/models.yml", "  - id: text", "  - id: index"), f"{M}:20:9", "id `index` is reserved"
    ),
    "phase id differs from its file name": Case(
        replace("phases/basics.yml", "id: basics\n", "id: basic\n"),
        f"{B}:1:5",
        "phase id `basic` must match its file name `basics`",
    ),
    "duplicate id across files": Case(
        replace("phases/models.yml", "- id: models-train", "- id: basics-gradient"),
        f"{M}:43:11",
        "duplicate phase, track, topic, exercise or milestone id `basics-gradient` "
        "(first used in roadmap/phases/basics.yml:37)",
    ),
    "dangling prerequisite": Case(
        replace("phases/models.yml", "prerequisites: [gradients]", "prerequisites: [gradient]"),
        f"{M}:18:25",
        "unknown topic `gradient` (did you mean `gradients`?)",
    ),
    "dangling project phase": Case(
        replace("projects.yml", "phase: basics", "phase: basic"),
        "roadmap/projects.yml:5:12",
        "unknown phase `basic`",
    ),
    "prerequisite cycle": Case(
        both(
            replace("phases/models.yml", "prerequisites: [gradients]", "prerequisites: [gradients, tokens]"),
            replace(
                "phases/models.yml", "prerequisites: [vectors]", "prerequisites: [vectors, convolutions]"
            ),
        ),
        f"{M}:30:34",
        "prerequisite cycle: convolutions -> tokens -> convolutions",
    ),
    "topic is its own prerequisite": Case(
        replace("phases/basics.yml", "prerequisites: [vectors]", "prerequisites: [vectors, gradients]"),
        f"{B}:31:30",
        "prerequisite cycle: gradients -> gradients",
    ),
    # files
    "missing phase file": Case(
        replace("handbook.yml", "phases: [basics, models]", "phases: [basics, models, extra]"),
        "roadmap/handbook.yml:3:26",
        "phase `extra` has no file roadmap/phases/extra.yml",
    ),
    "deleted phase file": Case(
        remove("phases/models.yml"),
        "roadmap/handbook.yml:3:18",
        "phase `models` has no file roadmap/phases/models.yml",
    ),
    "missing handbook.yml": Case(
        remove("handbook.yml"), "roadmap/handbook.yml:1:1", "the spec needs handbook.yml"
    ),
    "unexpected file": Case(
        put("notes.yml", "note: hi\n"), "roadmap/notes.yml:1:1", "unexpected file in the spec folder"
    ),
    "symlink to a file outside": Case(link_outside_file, f"{M}:1:1", "symbolic links are not allowed"),
    "symlink to a folder outside": Case(
        link_outside_folder, "roadmap/phases:1:1", "symbolic links are not allowed"
    ),
}


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
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", CASES)
def test_broken_spec_is_located_and_loses_nothing(name: str, project: Path) -> None:
    case = CASES[name]
    before = {folder: tree(project / folder) for folder in ("docs", "site")}
    assert before["docs"] and before["site"]
    case.mutate(project / "roadmap")

    result = run_command("build", "--spec", "roadmap", "--out", "docs", cwd=project)

    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.err, result.err
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
