"""`make offline`: the copy opened from disk (file://) works, search included, and loads nothing
from another host."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from handbook.generate import generate
from helpers import ROOT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("offline")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.offline.yml", "-d", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
    finally:
        generate(ROOT / "roadmap", ROOT / "docs")  # put the web site's pages back
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_offline_copy_works_from_disk(browser, offline_site: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda req: hosts.add(req.url.split(":", 1)[0]))
    try:
        page.goto((offline_site / "phases" / "index.html").as_uri())
        # The diagram's links point at pages that exist in the offline layout.
        href = page.locator("svg.hb-map a.hb-map__phase").first.get_attribute("xlink:href")
        assert (offline_site / "phases" / href).is_file(), href
        page.locator("svg.hb-map a.hb-map__phase").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(".html")
        page.locator("input.md-search__input").click()
        page.keyboard.type("attention")
        page.wait_for_selector(".md-search-result__item", timeout=20_000)
        assert page.locator(".md-search-result__item").count() > 0
        assert hosts <= {"file", "data", "blob"}, hosts
    finally:
        context.close()
