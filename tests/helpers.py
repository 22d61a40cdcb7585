"""Paths and small helpers shared by the tests (imported as `helpers`)."""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from handbook import layout

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "specs"
GOLDEN = ROOT / "tests" / "golden"


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if not line.endswith("problem(s) found.")]


def run_command(*args: str, cwd: Path) -> Result:
    """Run the installed `handbook` console command in a subprocess (proves there is no traceback)."""
    exe = Path(sys.executable).with_name("handbook")
    proc = subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def mkdocs_build(project: Path, out: Path, *, config: str = "mkdocs.yml") -> Path:
    """`mkdocs build --strict` of `project` into `out`; fails the test with MkDocs' own words on any warning."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "--site-dir", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "WARNING" not in proc.stderr, proc.stderr
    return out


# The two engines that build the site from the same mkdocs.yml (issue 11). HANDBOOK_ENGINES picks
# some of them for a test run, for example HANDBOOK_ENGINES=zensical.
ENGINES = ("mkdocs", "zensical")


def selected_engines() -> list[str]:
    chosen = [
        e.strip() for e in os.environ.get("HANDBOOK_ENGINES", ",".join(ENGINES)).split(",") if e.strip()
    ]
    unknown = set(chosen) - set(ENGINES)
    if unknown:
        raise pytest.UsageError(f"HANDBOOK_ENGINES: unknown engine(s) {sorted(unknown)}; known: {ENGINES}")
    return chosen


# A test of one engine's site carries the engine's name among its parameter ids: `test_x[mkdocs]`,
# `test_y[zensical-home]`.
ENGINE_ID = re.compile(r"\[(?:[^\]]*-)?({})(?:-[^\]]*)?\]$".format("|".join(ENGINES)))


def xdist_group(nodeid: str) -> str | None:
    """The worker group of a test under `--dist loadgroup`. With both engines, every test of one
    engine's site runs on one worker (each worker builds one site); with one engine, one module's tests
    of it run together, so its modules share the cores (each worker builds the site once). Each other
    browser module's tests run together (its module-scoped site is built once); None for the rest,
    which spread freely."""
    path = nodeid.partition("::")[0]
    if match := ENGINE_ID.search(nodeid):
        engine = match.group(1)
        return f"site-{engine}" if len(selected_engines()) > 1 else f"{path}[{engine}]"
    return path if path.startswith("tests/browser/") else None


# Zensical builds only inside its project folder (site_dir must be within it): a copy of the project
# without these is built instead, so a test never writes into the working tree.
NOT_COPIED = (".git", ".venv", ".cache", "site", "site-*", "node_modules", "*.zip", ".*_cache", ".hypothesis")


def zensical_build(project: Path, workdir: Path, *, config: str = "mkdocs.yml") -> Path:
    """`zensical build --strict` of a copy of `project` made in `workdir`; returns the built site folder.
    Fails the test with Zensical's own words when the build fails or reports a problem."""
    shutil.copytree(project, workdir, ignore=shutil.ignore_patterns(*NOT_COPIED), dirs_exist_ok=True)
    proc = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--strict", "--clean", "-f", config],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    assert "No issues found" in output, output[-4000:]
    return workdir / "site"


# What a build of the site reads from the checkout: the spec, the hand-written pages and assets, both
# MkDocs configurations, the theme overrides, the hook that regenerates pages, and CONTRIBUTING.md
# (docs/contributing.md includes it as a snippet). The generated pages are left out: each test
# session generates its own into the copy, so no test reads or writes the checkout's docs/ or site/.
SITE_SOURCES = (
    layout.SPEC_DIR,
    layout.DOCS_DIR,
    "overrides",
    "mkdocs.yml",
    "mkdocs.offline.yml",
    "CONTRIBUTING.md",
    "scripts/handbook/mkdocs_hook.py",
)
GENERATED = (*layout.GENERATED_DIRS, *layout.GENERATED_FILES, layout.MANIFEST)


def copy_site_sources(project: Path) -> Path:
    """Copy what the site is built from into `project` (created), without any generated page; returns it."""
    docs = ROOT / layout.DOCS_DIR

    def generated(folder: str, names: list[str]) -> list[str]:
        return [name for name in names if name in GENERATED] if Path(folder) == docs else []

    for rel in SITE_SOURCES:
        source, target = ROOT / rel, project / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=generated)
        else:
            shutil.copy2(source, target)
    return project


def build_site(engine: str, project: Path, out: Path) -> Path:
    """Build `project` (pages already generated) with `engine` into a folder under `out`; returns it."""
    if engine == "zensical":
        return zensical_build(project, out / "project")
    return mkdocs_build(project, out / "site")


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (a free port) for as long as the block runs; yields its URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class HtmlPage(HTMLParser):
    """The one HTML reader of the tests: every element id (and `<a name>`), every `<a>` and every
    `<script src>` with its attributes, and every address an element links to or loads (`href`, `src`,
    `xlink:href`)."""

    LINKING = frozenset({"a", "link", "script", "img", "source"})

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.anchors: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "a":
            self.anchors.append(a)
            if a.get("name"):
                self.ids.add(a["name"] or "")
        if tag == "script" and a.get("src"):
            self.scripts.append(a)
        if tag in self.LINKING:
            self.links += [value for attr in ("href", "src", "xlink:href") if (value := a.get(attr))]


def parse_html(html: str) -> HtmlPage:
    page = HtmlPage()
    page.feed(html)
    page.close()
    return page


# --- the checkout stays as it was -----------------------------------------------------------------

# Folders of the checkout a test run must leave alone: the generated pages and every built site.
GUARDED = (layout.DOCS_DIR, "site", "site-offline", "site-zensical", layout.SPEC_DIR)


def snapshot(root: Path = ROOT, folders: tuple[str, ...] = GUARDED) -> dict[str, tuple[int, str]]:
    """Every file and folder under `folders` of `root`: its modification time and content hash
    (folders and symbolic links by their kind), keyed by path relative to `root`."""
    state: dict[str, tuple[int, str]] = {}
    for folder in folders:
        top = root / folder
        if not top.exists():
            continue
        paths = [top]
        for base, dirs, files in os.walk(top):
            paths += [Path(base) / name for name in dirs + files]
        for path in paths:
            info = path.lstat()
            if path.is_symlink():
                kind = "-> " + os.readlink(path)
            elif path.is_dir():
                kind = "dir"
            else:
                kind = hashlib.sha256(path.read_bytes()).hexdigest()
            state[path.relative_to(root).as_posix()] = (info.st_mtime_ns, kind)
    return state


def changes(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    """What differs between two snapshots, one line per path, sorted."""
    return sorted(
        f"{'added' if rel not in before else 'removed' if rel not in after else 'changed'}: {rel}"
        for rel in before.keys() | after.keys()
        if before.get(rel) != after.get(rel)
    )
