"""axe-core on every kind of page, and with the search dialog open: no serious or critical violations."""

from __future__ import annotations

import pytest
from test_reader import PAGES

from conftest import COLOUR_RULES, PALETTE_RULES, serious_violations, settled

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_serious_violations(visit, path):
    visit.goto(path)
    settled(visit.page)  # nothing is still fading in
    assert serious_violations(visit.page) == []
    visit.page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    settled(visit.page)  # the palette's colour transitions have finished before contrast is measured
    assert serious_violations(visit.page, rules=PALETTE_RULES["slate"]) == []


def test_search_dialog_open_has_no_serious_violations(visit, search):
    search.open_dialog("attention")
    settled(visit.page)  # the dialog has opened and its results have faded in
    assert serious_violations(visit.page) == []


def test_the_audit_reports_what_it_is_there_to_catch(browser):
    """The audit above can fail: grey text on white and an unlabelled field are reported, in a
    region too (the form of the check the learner tests use), and the colour rules alone see the grey."""
    page = browser.new_page()
    try:
        page.set_content(
            '<html lang="en"><title>t</title><main><p style="color:#bbb;background:#fff">Faint</p>'
            '<section id="form"><input type="text"></section></main></html>'
        )
        assert [v.split(" ")[0] for v in serious_violations(page)] == ["color-contrast", "label"]
        assert [v.split(" ")[0] for v in serious_violations(page, context="#form")] == ["label"]
        assert [v.split(" ")[0] for v in serious_violations(page, rules=COLOUR_RULES)] == ["color-contrast"]
    finally:
        page.close()
