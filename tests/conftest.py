"""Shared fixtures: fixture specs copied to a temporary folder, and the `handbook` command."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import handbook
from handbook.cli import main
from helpers import ENGINES, FIXTURES, ROOT, Result, build_site

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


def selected_engines() -> list[str]:
    chosen = [
        e.strip() for e in os.environ.get("HANDBOOK_ENGINES", ",".join(ENGINES)).split(",") if e.strip()
    ]
    unknown = set(chosen) - set(ENGINES)
    if unknown:
        raise pytest.UsageError(f"HANDBOOK_ENGINES: unknown engine(s) {sorted(unknown)}; known: {ENGINES}")
    return chosen


@pytest.fixture(scope="session", params=selected_engines())
def engine(request: pytest.FixtureRequest) -> str:
    """The engine that builds the site: every test that uses `site` runs once per engine."""
    return request.param


@pytest.fixture(scope="session")
def site(engine: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real handbook: `handbook build`, then a strict build with `engine` into a temporary folder,
    once per engine per test session. Set HANDBOOK_SITE to test an already built site folder instead
    (with HANDBOOK_ENGINES naming the one engine that built it)."""
    if os.environ.get("HANDBOOK_SITE"):
        return Path(os.environ["HANDBOOK_SITE"])

    from handbook.generate import generate

    generate(ROOT / "roadmap", ROOT / "docs")
    return build_site(engine, ROOT, tmp_path_factory.mktemp(f"site-{engine}"))
