"""Cite a paper in one click (issue 13): on the reading list, a reader opens a paper's BibTeX by
keyboard and copies it with the code block's copy button; the clipboard holds exactly that paper's
entry from papers.bib."""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from conftest import WINDOWS, Visit, serious_violations

pytestmark = pytest.mark.browser

# One paper whose entry has LaTeX escapes (an accented author) and one plain arXiv entry.
PAPERS = ["vaswani-2017-attention", "eckart-1936-approximation"]


def bib_entries(text: str) -> dict[str, str]:
    """papers.bib split into its entries by key: each runs from its `@kind{key,` line to the next."""
    entries = re.split(r"\n(?=@)", text.split("\n\n", 1)[1])
    return {re.match(r"@\w+\{([^,]+),", e)[1]: e.rstrip("\n") + "\n" for e in entries}


@pytest.fixture
def reader(browser, server, engine):
    context = browser.new_context(**WINDOWS["desktop"], permissions=["clipboard-read", "clipboard-write"])
    yield Visit(context.new_page(), server, engine)
    context.close()


def tab_to(page, locator, limit: int = 12) -> None:
    """Press Tab until `locator` has the focus, as a keyboard reader would; fail if it never does."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(locator).to_be_focused()


@pytest.mark.parametrize("paper", PAPERS)
def test_reader_copies_a_papers_bibtex_by_keyboard(reader, paper):
    with urllib.request.urlopen(reader.base + "reference/papers.bib") as response:
        expected = bib_entries(response.read().decode("ascii"))[paper]
    page = reader.page
    reader.goto("reference/papers/")
    heading = page.locator(f"h3[id='{paper}']")
    block = f"h3[id='{paper}'] ~ div > details"  # the BibTeX blocks from this paper on
    details = page.locator(block).first
    summary = details.locator("summary")
    expect(summary).to_have_text("BibTeX")
    expect(details).not_to_have_attribute("open", re.compile(".*"))  # collapsed until asked for

    # From the paper's heading link, Tab to its BibTeX disclosure and open it with Enter.
    heading.locator("a.headerlink").focus()
    tab_to(page, summary)
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", re.compile(".*"))
    code = details.locator("pre code")
    expect(code).to_be_visible()

    # The next stops are the code block's own controls: Tab to the copy button and press Enter.
    button = details.get_by_role("button", name="Copy to clipboard")
    tab_to(page, button)
    expect(button).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Copied to clipboard")).to_be_visible()
    # The entry's text exactly; the theme trims the final line break, which papers.bib puts between entries.
    assert page.evaluate("navigator.clipboard.readText()") == expected.rstrip("\n")
    assert reader.errors == []
    # The open block and its button pass axe (the button is named by its title).
    assert serious_violations(page, context=block) == []
