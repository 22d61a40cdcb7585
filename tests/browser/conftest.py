"""Browser fixtures: the built site served on 127.0.0.1, and Debian's Chromium driven by Playwright.

Chromium is never downloaded: the tests use /usr/bin/chromium (or $CHROMIUM) and fail with a
clear message when it is missing. Every request the page makes is recorded, so a test can prove
that nothing is fetched from another host.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, quote_plus, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from helpers import serve_folder

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    with serve_folder(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


class Visit:
    """A browser page that records console errors and every host it contacts, on the site built by `engine`."""

    def __init__(self, page, base: str, engine: str = "mkdocs"):
        self.page = page
        self.base = base
        self.engine = engine
        self.errors: list[str] = []
        self.hosts: set[str] = set()
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("request", lambda req: self.hosts.add(urlsplit(req.url).netloc or urlsplit(req.url).scheme))

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")

    @property
    def foreign_hosts(self) -> set[str]:
        own = urlsplit(self.base).netloc
        return {h for h in self.hosts if h not in {own, "data", "blob"}}


# A reader's window: a desktop, and a phone. Each engine's tests share one browser context per kind of
# window (its HTTP and compiled-script caches stay warm: a new context costs a test about twice the CPU
# of its first page), and each test gets a new page in it and leaves no storage behind (`fresh_page`).
WINDOWS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}, "accept_downloads": True},
    "phone": {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True},
}


@pytest.fixture(scope="session")
def windows(browser, server) -> Iterator[dict[str, BrowserContext]]:
    contexts = {name: browser.new_context(**options) for name, options in WINDOWS.items()}
    yield contexts
    for context in contexts.values():
        context.close()


@contextmanager
def fresh_page(context: BrowserContext, origin: str) -> Iterator[Page]:
    """A new page in a shared context. When the block ends, everything the site stored for `origin`
    (local and session storage, cookies, IndexedDB, caches) is deleted and the page closed, so the next
    page starts as a first visit does: the browser clears the origin's data before it answers."""
    page = context.new_page()
    try:
        yield page
    finally:
        if page.is_closed():
            page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Storage.clearDataForOrigin", {"origin": origin.rstrip("/"), "storageTypes": "all"})
        cdp.detach()
        page.close()


@pytest.fixture
def visit(windows, server, engine) -> Iterator[Visit]:
    with fresh_page(windows["desktop"], server) as page:
        yield Visit(page, server, engine)


@pytest.fixture
def mobile(windows, server, engine) -> Iterator[Visit]:
    with fresh_page(windows["phone"], server) as page:
        yield Visit(page, server, engine)


AXE = Axe()
# The rules to audit in each palette. The dark palette (slate) changes only colours, so in it the
# audit runs the rules that judge colour; the default palette gets every rule.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
PALETTE_RULES: dict[str, list[str] | None] = {"default": None, "slate": COLOUR_RULES}


def serious_violations(page: Page, context: str | None = None, rules: list[str] | None = None) -> list[str]:
    """axe-core's serious and critical violations on the page (or inside `context`, a CSS selector),
    each with the first three elements it names; every rule axe runs by default, or only `rules`."""
    options = {"resultTypes": ["violations"], **({"runOnly": rules} if rules else {})}
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in AXE.run(page, context=context, options=options).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def settled(page) -> None:
    """Wait until no CSS animation or transition is running (a dialog opening, a palette fading in)."""
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")


# For each result, its links (Material: the page, then its sections; Zensical: one link), each with
# its address and whether a reader sees it without scrolling: its first line lies inside the window and
# inside every scrolling box around it, shadow roots included.
ON_FIRST_SCREEN = r"""items => items.map(item => (item.matches("a") ? [item] : [...item.querySelectorAll("a")]).map(a => {
  const r = a.getBoundingClientRect();
  const top = r.top, line = r.top + Math.min(r.height, 20);
  let seen = r.height > 0 && top >= 0 && line <= window.innerHeight;
  for (let n = a.parentNode; n; n = n.parentNode || n.host) {
    if (n.nodeType !== 1) continue;
    if (/(auto|scroll|hidden)/.test(getComputedStyle(n).overflowY)) {
      const box = n.getBoundingClientRect();
      if (top < box.top || line > box.bottom) seen = false;
    }
  }
  return [a.href.replace(/\?h=[^#]*/, ""), seen];
}))"""


class Search:
    """The header search as a reader uses it, on either engine. Each engine's dialog is driven through
    its own markup; `run` returns the same thing for both: the results in order, best first, as groups
    of links (each link with whether it shows on the first screen of results).

    - Material: a search link (`?q=`, feature search.share) opens the dialog with the query; results are
      groups (a page, then its best sections, the rest folded away).
    - Zensical: its header button opens a dialog in a shadow root; the query is typed into the combobox;
      results are one flat list of options, a page or a section each.
    """

    def __init__(self, visit: Visit):
        self.visit = visit
        self.page = visit.page

    def run(self, query: str) -> list[list[tuple[str, bool]]]:
        page = self.page
        if self.visit.engine == "zensical":
            box = page.get_by_role("combobox", name="Search")
            if not box.is_visible():
                if not page.url.startswith(self.visit.base):
                    self.visit.goto("")
                page.locator("button.md-search__button").click()
            results = page.get_by_role("listbox", name="Search results").get_by_role("option")
            # Clear the previous query and wait for its results to go, so that the list read below
            # can only be this query's (a stale list can already carry the new highlight parameter).
            box.fill("")
            expect(results).to_have_count(0)
            box.fill(query)
            # The dialog stays open between queries: the results belong to this query once the first
            # one carries its highlight parameter (Zensical writes it HTML-escaped: "&" as "&amp;").
            forms = {f(q) for q in (query, html.escape(query, quote=False)) for f in (quote_plus, quote)}
            mark = f"[?&]h=({'|'.join(map(re.escape, sorted(forms)))})(#|&|$)"
            # Zensical builds its search index in the page on first use: on a loaded machine that
            # takes longer than expect's 5 s default, so wait as long as a locator does (30 s).
            expect(results.first).to_have_attribute("href", re.compile(mark), timeout=30_000)
        else:
            box = page.locator("input.md-search__input")
            results = page.locator(".md-search-result__item")
            if box.is_visible() and page.url.startswith(self.visit.base):
                # The page is loaded (a previous query's, or one the test opened): clear the box, wait
                # for any results to go, and type this query. Material searches on key events (not on
                # `fill`), so the last character is typed: one search, for the whole query, with the
                # index the page already built.
                box.fill("")
                box.press("Backspace")
                expect(results).to_have_count(0)
                box.fill(query[:-1])
                box.press_sequentially(query[-1])
            else:
                # The first query comes in through a search link (`?q=`, feature search.share).
                self.visit.goto("?q=" + quote(query))
            assert box.input_value() == query
            results.first.wait_for()
        settled(page)
        # The list may still be filling in: read it until two reads one frame apart agree.
        before = None
        for _ in range(100):
            now = results.evaluate_all(ON_FIRST_SCREEN)
            if now == before and any(seen for group in now for _, seen in group):
                break
            before = now
            page.evaluate("new Promise(requestAnimationFrame)")
        return [[(link, seen) for link, seen in group] for group in now]

    def open_dialog(self, query: str) -> None:
        """Open the dialog on the home page and type `query` as a reader would; wait for results."""
        page = self.page
        self.visit.goto("")
        page.wait_for_load_state("networkidle")
        if self.visit.engine == "zensical":
            page.locator("button.md-search__button").click()
            page.get_by_role("combobox", name="Search").press_sequentially(query)
            page.get_by_role("listbox", name="Search results").get_by_role("option").first.wait_for()
        else:
            page.locator("input.md-search__input").click()
            page.keyboard.type(query)
            page.locator(".md-search-result__item").first.wait_for()


@pytest.fixture
def search(visit) -> Search:
    """The search on this test's own page (for tests that also tick, load or audit that page)."""
    return Search(visit)


@pytest.fixture(scope="session")
def reader_search(browser, server, engine) -> Iterator[Search]:
    """The search on one page per engine, shared by the tests that only search: a query changes no
    state, and the page keeps the search index it built instead of building it again for each test."""
    context = browser.new_context(**WINDOWS["desktop"])
    yield Search(Visit(context.new_page(), server, engine))
    context.close()
