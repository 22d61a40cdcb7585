"""Hostile text in every free-text field of the spec shows as written and never runs (issue 7).

The fixture tests/fixtures/specs/hostile puts `<script>`, event-handler attributes, Markdown,
Jinja, snippet (`--8<--`) and abbreviation (`*[X]:`) syntax into every free-text field. It is built
into a real site with `mkdocs build --strict`, served on 127.0.0.1 and opened in Chromium.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import WINDOWS
from helpers import FIXTURES, ROOT, mkdocs_build, serve_folder

pytestmark = pytest.mark.browser

PAGES = [
    "",
    "phases/",
    "phases/basics/",
    "phases/models/",
    "phases/models/vision/",
    "reference/papers/",
    "reference/glossary/",
    "reference/skills/",
    "reference/projects/",
    "reference/tools/",
    "reference/interview-questions/",
    "reference/next-paths/",
]
# Written exactly like this in the fixture; each must appear as text on the phase page.
LITERALS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "**bold** _em_ [link](javascript:window.__pwned=1)",
    "{{ 7*7 }} {% raw %}x{% endraw %} {# c #}",
    '{: onclick="window.__pwned=1" }',
    "{{ config }} {% include 'x' %}",
    '--8<-- "/etc/passwd"',
    "*[HTML]: Hijacked abbreviation",
    '!!! danger "Admonition"',
]
# Markup the hostile text would create if any of it were interpreted.
INJECTED = (
    "[onerror], [onload], [onclick], iframe, svg[onload], img[src='x'], a[href^='javascript:']"
    ", abbr[title*='Hijacked'], .admonition.danger"
)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of a project whose roadmap/ is the hostile fixture, built by the MkDocs hook."""
    project = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(FIXTURES / "hostile", project / "roadmap")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    for folder in ("javascripts", "stylesheets"):
        shutil.copytree(ROOT / "docs" / folder, project / "docs" / folder)
    (project / "scripts" / "handbook").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "handbook" / "mkdocs_hook.py", project / "scripts" / "handbook")
    # The hand-written pages link to the real roadmap's phases; a small home page stands in for them.
    (project / "docs" / "index.md").write_text('# Home\n\n--8<-- "phases-table.md"\n', encoding="utf-8")
    return mkdocs_build(project, project / "site")


@pytest.fixture(scope="module")
def hostile_server(hostile_site: Path) -> Iterator[str]:
    with serve_folder(hostile_site) as url:
        yield url


@pytest.fixture(scope="module")
def page(browser, hostile_server: str):
    context = browser.new_context(**WINDOWS["desktop"])
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_hostile_script_runs(page, hostile_server: str, path: str) -> None:
    page.goto(hostile_server + path)
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    injected = page.evaluate(
        f"[...document.querySelectorAll({INJECTED!r})].map(e => e.outerHTML.slice(0, 200))"
    )
    assert injected == []
    scripts = page.evaluate("[...document.scripts].filter(s => s.textContent.includes('__pwned')).length")
    assert scripts == 0


def test_hostile_text_shows_as_written(page, hostile_server: str) -> None:
    page.goto(hostile_server + "phases/basics/")
    page.wait_for_load_state("load")
    text = page.locator("article").inner_text()
    for literal in LITERALS:
        assert literal in text, literal
    assert (
        page.locator("article h1").inner_text().startswith("1. Phase <script>window.__pwned=1</script> <img")
    )
    assert "root:x:0:0" not in page.content()  # the snippet line was not included
