"""Shared fixtures: fixture specs copied to a temporary folder, and the `handbook` command."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import handbook
from handbook.cli import main
from helpers import FIXTURES, ROOT, Result, mkdocs_build

# The tests must exercise this checkout's generator, not another installed copy of the package.
_IMPORTED_FROM = Path(handbook.__file__).resolve().parent
if _IMPORTED_FROM != ROOT / "scripts" / "handbook":
    raise pytest.UsageError(
        f"the tests import `handbook` from {_IMPORTED_FROM}, not from this checkout's scripts/handbook; "
        "run `make test` (it installs the checkout in editable mode)"
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden from the generator")


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


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real handbook: `handbook build`, then `mkdocs build --strict`, once per test session.
    Set HANDBOOK_SITE to test an already built site folder instead."""
    import os

    if os.environ.get("HANDBOOK_SITE"):
        return Path(os.environ["HANDBOOK_SITE"])

    from handbook.generate import generate

    generate(ROOT / "roadmap", ROOT / "docs")
    return mkdocs_build(ROOT, tmp_path_factory.mktemp("site"))
