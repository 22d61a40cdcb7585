"""Paths and small helpers shared by the tests (imported as `helpers`)."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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
    import os

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
