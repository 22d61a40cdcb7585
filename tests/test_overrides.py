"""Theme overrides stay small (issue 11): each one extends a block or is a short partial of our own, never
a copy of one of the themes' templates, so an upgrade of MkDocs' Material or of Zensical cannot leave a
stale copy behind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import ROOT

OVERRIDES = ROOT / "overrides"
TEMPLATES = sorted(p for p in OVERRIDES.rglob("*.html") if "assets" not in p.parts)
MAX_LINES = 10


def code_lines(text: str) -> list[str]:
    """The template's lines without Jinja comments and blank lines, stripped."""
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
    return [line.strip() for line in text.splitlines() if line.strip()]


def theme_dirs() -> dict[str, Path]:
    import material
    import zensical

    return {
        "material": Path(material.__file__).parent / "templates",
        "zensical": Path(zensical.__file__).parent / "templates",
    }


@pytest.mark.parametrize("template", TEMPLATES, ids=[p.relative_to(OVERRIDES).as_posix() for p in TEMPLATES])
def test_override_is_a_block_extension_or_a_small_partial(template: Path) -> None:
    lines = code_lines(template.read_text(encoding="utf-8"))
    if lines[0].startswith("{% extends"):
        return  # fills the blocks of a theme template; copying is caught below
    assert len(lines) <= MAX_LINES, f"{template.name}: {len(lines)} lines; extend a block instead of copying"


@pytest.mark.parametrize("template", TEMPLATES, ids=[p.relative_to(OVERRIDES).as_posix() for p in TEMPLATES])
def test_override_copies_no_theme_template(template: Path) -> None:
    ours = code_lines(template.read_text(encoding="utf-8"))
    for theme, folder in theme_dirs().items():
        original = folder / template.relative_to(OVERRIDES)
        if not original.exists():
            continue
        theirs = set(code_lines(original.read_text(encoding="utf-8")))
        shared = [line for line in ours if line in theirs and len(line) > 12]
        assert len(shared) <= MAX_LINES // 2, (
            f"{template.name} repeats {len(shared)} lines of {theme}'s: {shared}"
        )
