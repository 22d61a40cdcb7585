"""`make offline`: the copy opened from disk (file://) works, search included, and loads nothing
from another host."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import copy_site_sources, mkdocs_build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Its own copy of the sources: the MkDocs hook generates the offline layout of the pages into it.
    project = copy_site_sources(tmp_path_factory.mktemp("offline") / "project")
    return mkdocs_build(project, project / "site-offline", config="mkdocs.offline.yml")


def test_offline_copy_works_from_disk(browser, offline_site: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda req: hosts.add(req.url.split(":", 1)[0]))
    try:
        page.goto((offline_site / "phases" / "index.html").as_uri())
        # The diagram's links point at pages that exist in the offline layout.
        href = page.locator(".hb-map a.hb-map__head").first.get_attribute("href")
        assert (offline_site / "phases" / href).is_file(), href
        page.locator(".hb-map a.hb-map__head").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(".html")
        page.locator("input.md-search__input").click()
        page.keyboard.type("attention")
        page.wait_for_selector(".md-search-result__item", timeout=20_000)
        assert page.locator(".md-search-result__item").count() > 0
        assert hosts <= {"file", "data", "blob"}, hosts
    finally:
        context.close()
