"""Shared fixtures: fixture specs copied to a temporary folder, and the `handbook` command."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from handbook.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "specs"
GOLDEN = ROOT / "tests" / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden from the generator")


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if not line.endswith("problem(s) found.")]


@pytest.fixture
def spec(tmp_path: Path) -> Callable[[str], Path]:
    """Copy a named fixture spec into a temporary project folder; returns its spec folder."""

    def copy(name: str = "minimal") -> Path:
        target = tmp_path / "project" / "roadmap"
        shutil.copytree(FIXTURES / name, target)
        return target

    return copy


@pytest.fixture
def handbook(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `handbook ARGS` in-process from a working directory; returns exit code and output."""

    def run(*args: str, cwd: Path) -> Result:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_command(*args: str, cwd: Path) -> Result:
    """Run the installed `handbook` console command in a subprocess (proves there is no traceback)."""
    exe = Path(sys.executable).with_name("handbook")
    proc = subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    return Result(proc.returncode, proc.stdout, proc.stderr)
