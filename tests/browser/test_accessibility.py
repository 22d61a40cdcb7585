"""axe-core on every kind of page, and with the search dialog open: no serious or critical violations."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from test_reader import PAGES

from conftest import settled

pytestmark = pytest.mark.browser
AXE = Axe()


def serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_no_serious_violations(visit, path, scheme):
    visit.goto(path)
    visit.page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    settled(visit.page)  # the palette's colour transitions have finished before contrast is measured
    assert serious(AXE.run(visit.page)) == []


def test_search_dialog_open_has_no_serious_violations(visit, search):
    search.open_dialog("attention")
    settled(visit.page)  # the dialog has opened and its results have faded in
    assert serious(AXE.run(visit.page)) == []
