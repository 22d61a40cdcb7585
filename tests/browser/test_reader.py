"""What a reader does in a real browser: open pages, tick topics, export and import progress,
plan the year, search, switch palettes, use a phone. Driven in Debian's Chromium."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from handbook.render import Links
from handbook.validate import read_spec
from helpers import ROOT

pytestmark = pytest.mark.browser

SPEC = read_spec(ROOT / "roadmap")
LINKS = Links(SPEC)
PHASES = SPEC.roadmap.phases
PLAIN = next(p for p in PHASES if not p.tracks)
TRACKED = next((p for p in PHASES if p.tracks), None)

# One page of every kind the site has.
PAGES = {
    "home": "",
    "phases overview": "phases/",
    "phase": LINKS.site_url("phase", PLAIN.id),
    "reading list": "reference/papers/",
    "glossary": "reference/glossary/",
    "skills": "reference/skills/",
    "interview questions": "reference/interview-questions/",
    "orientation": "start/how-to-use/",
    "contributing": "contributing/",
}
if TRACKED:
    PAGES["track"] = LINKS.site_url("track", TRACKED.tracks[0].id)


def storage(visit) -> dict:
    key = visit.page.evaluate("window.handbookProgress.key")
    return json.loads(visit.page.evaluate(f"localStorage.getItem({json.dumps(key)})") or "null")


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_loads_cleanly_and_only_from_its_own_host(visit, path):
    visit.goto(path)
    visit.page.wait_for_load_state("networkidle")  # late scripts and requests have run
    assert visit.errors == []
    assert visit.foreign_hosts == set()


def test_not_found_page(visit):
    response = visit.page.goto(visit.base + "no/such/page/")
    assert response.status == 404
    visit.goto("404.html")
    assert visit.page.locator("h1").inner_text() == "Page not found"
    assert visit.foreign_hosts == set()


def test_progress_survives_reload_and_instant_navigation(visit):
    topic = PLAIN.topics[0]
    visit.goto(LINKS.site_url("phase", PLAIN.id))
    box = visit.page.locator(f'input[data-progress-id="{topic.id}"]')
    box.check()  # a real click on the visible, labelled checkbox
    bar = visit.page.locator(".md-content .hb-progress progress").first
    assert bar.get_attribute("aria-label") == "Progress in this phase"
    assert bar.evaluate("b => b.value") == 1
    visit.page.reload()
    assert visit.page.locator(f'input[data-progress-id="{topic.id}"]').is_checked()
    # Instant navigation: click a nav link, then come back through the browser's history. The address
    # changes before the content does, so wait for the phase's own heading: the next page (the first
    # topic's) holds two boxes for the same topic, at its top and at its end.
    heading = visit.page.locator(".md-content h1")
    title = heading.inner_text()
    visit.page.locator("a.md-footer__link--next").click()
    expect(heading).not_to_have_text(title)
    visit.page.go_back()
    expect(heading).to_have_text(title)
    expect(visit.page.locator(f'input[data-progress-id="{topic.id}"]')).to_be_checked()
    assert storage(visit)["done"] == {topic.id: 1}


def test_checkbox_is_keyboard_operable_and_named(visit):
    topic = PLAIN.topics[1]
    visit.goto(LINKS.site_url("phase", PLAIN.id))
    box = visit.page.locator(f'input[data-progress-id="{topic.id}"]')
    box.focus()
    visit.page.keyboard.press("Space")
    assert box.is_checked()
    assert box.get_attribute("aria-label") == f"Mark “{topic.title}” as learned"


def test_home_shows_each_phase_and_overall_progress(visit):
    visit.goto(LINKS.site_url("phase", PLAIN.id))
    visit.page.locator(f'input[data-progress-id="{PLAIN.topics[0].id}"]').check()
    visit.goto("")
    overall = visit.page.locator(".hb-progress--overall .hb-progress__text").inner_text()
    # Every topic, practice task, project and milestone check; a phase with tracks counts the track
    # the reader has gone furthest in (its topics and projects); before any, the first.
    total = sum(
        len(p.topics)
        + len(p.practice)
        + len(p.build)
        + len(p.milestone.checks)
        + (len(p.tracks[0].topics) + len(p.tracks[0].build) if p.tracks else 0)
        for p in PHASES
    )
    assert overall == f"1 of {total} done"
    assert visit.page.locator(".hb-progress--inline progress").count() == len(PHASES)


def test_export_then_import_round_trips(visit, tmp_path):
    ids = [PLAIN.topics[0].id, PLAIN.milestone.checks[0].id]
    visit.goto(LINKS.site_url("phase", PLAIN.id))
    for ident in ids:
        visit.page.locator(f'input[data-progress-id="{ident}"]').check()
    visit.goto("")
    with visit.page.expect_download() as info:
        visit.page.get_by_role("button", name="Export progress").click()
    exported = tmp_path / "progress.json"
    info.value.save_as(exported)
    assert sorted(item["id"] for item in json.loads(exported.read_text())["done"]) == sorted(ids)

    visit.page.get_by_role("button", name="Reset progress").click()
    visit.page.get_by_role("button", name="Clear all progress").click()  # asked in the page first
    # the dialog's close event, which clears, runs a task after the click: wait for what it says
    expect(visit.page.locator(".hb-notice").last).to_have_text("Progress cleared.")
    assert storage(visit)["done"] == {}

    with visit.page.expect_file_chooser() as chooser:
        visit.page.get_by_role("button", name="Import progress").click()
    chooser.value.set_files(str(exported))
    visit.page.get_by_role("button", name="Merge").click()  # the import says what it found first
    visit.page.wait_for_function(
        "document.querySelector('.hb-progress--overall .hb-progress__text').textContent.startsWith('2 of')"
    )
    assert sorted(storage(visit)["done"]) == sorted(ids)


@pytest.mark.parametrize(
    "stored",
    ["{not json", '{"version": 99, "done": 5}', '"just a string"', "null"],
    ids=["corrupt json", "unknown version", "wrong type", "null"],
)
def test_bad_stored_value_is_survived(visit, stored):
    visit.goto("")
    key = visit.page.evaluate("window.handbookProgress.key")
    visit.page.evaluate(f"localStorage.setItem({json.dumps(key)}, {json.dumps(stored)})")
    visit.goto(LINKS.site_url("phase", PLAIN.id))
    box = visit.page.locator(f'input[data-progress-id="{PLAIN.topics[0].id}"]')
    box.check()
    assert visit.errors == []
    assert storage(visit)["done"] == {PLAIN.topics[0].id: 1}


def test_older_format_is_migrated(visit):
    visit.goto("")
    key = visit.page.evaluate("window.handbookProgress.key")
    old = json.dumps([PLAIN.topics[0].id, "an-id-that-no-longer-exists"])
    visit.page.evaluate(f"localStorage.setItem({json.dumps(key)}, {json.dumps(old)})")
    visit.goto(LINKS.site_url("phase", PLAIN.id))
    assert visit.page.locator(f'input[data-progress-id="{PLAIN.topics[0].id}"]').is_checked()
    assert visit.errors == []


def test_planner_gives_an_end_date_per_phase(visit):
    visit.goto("phases/")
    visit.page.fill("form.hb-planner input[name=hours]", "10")
    visit.page.fill("form.hb-planner input[name=start]", "2027-01-04")
    ends = visit.page.locator(".hb-plan__end").evaluate_all("cells => cells.map(c => c.dataset.date)")
    # Phase i ends after (all hours so far / 10) weeks, counted from Monday 4 January 2027.
    import datetime as dt

    expected, hours = [], 0
    for phase in PHASES:
        hours += phase.hours
        days = -(-hours * 7 // 10)  # ceil
        expected.append((dt.date(2027, 1, 4) + dt.timedelta(days=days - 1)).isoformat())
    assert ends == expected
    visit.page.reload()
    assert visit.page.input_value("form.hb-planner input[name=hours]") == "10"


def test_roadmap_diagram_links_every_phase_and_topic(visit):
    visit.goto("phases/")
    diagram = visit.page.locator(".hb-map")
    topics = [t for p in PHASES for t in p.all_topics()]
    assert diagram.locator("a.hb-map__head").count() == len(PHASES)
    assert diagram.locator("a.hb-map__topic").count() == len(topics)
    first = diagram.locator(f'a[data-progress-id="{PLAIN.topics[0].id}"]')
    first.focus()
    visit.page.keyboard.press("Enter")
    visit.page.wait_for_url(f"**/{LINKS.site_url('topic', PLAIN.topics[0].id)}")


def test_dark_mode_choice_persists(visit):
    visit.goto("")
    scheme = visit.page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    # Step the toggle until the dark palette is on; the choice must survive a reload.
    for _ in range(3):
        if visit.page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate":
            break
        visit.page.locator("form[data-md-component=palette] label:visible").first.click()
    assert visit.page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate", scheme
    visit.page.reload()
    assert visit.page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"


def test_mobile_drawer_navigation_and_no_horizontal_scroll(mobile):
    for path in PAGES.values():
        mobile.goto(path)
        overflow = mobile.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    mobile.goto("")
    mobile.page.locator("label.md-header__button[for=__drawer]").click()
    link = (
        mobile.page.locator(".md-nav--primary .md-nav__link")
        .filter(has_text=re.compile(r"^\s*Reference\s*$"))
        .first
    )
    link.wait_for(state="visible")
    assert link.is_visible()


TOPICS = [t for p in PHASES for t in p.all_topics()]


def test_search_finds_every_topic_by_name(reader_search):
    """Each topic's section shows on the first screen of results for its own name (no scrolling)."""
    misses = []
    for topic in TOPICS:
        target = LINKS.site_url("topic", topic.id)
        results = reader_search.run(topic.title)
        if not any(link.split("#")[0].endswith(target) for group in results for link, seen in group if seen):
            misses.append(f"{topic.title!r}: first results {results[:3]}")
    assert misses == []


# Realistic queries: key concepts, abbreviations and paper names, with the topic that should come first.
QUERIES = {
    "KL divergence": "information-theory",
    "reparameterization trick": "variational-autoencoders",
    "top-p sampling": "autoregressive-decoding",
    "LoRA": "parameter-efficient-fine-tuning",
    "FlashAttention": "efficient-attention",
    "GPTQ": "quantization",
    "RLHF": "rlhf",
    "DPO": "direct-preference-optimization",
    "BPE": "subword-tokenization",
    "singular value decomposition": "matrix-decompositions",
    "ablation": "ablation-studies",
    "mixture of experts": "mixture-of-experts",
}


@pytest.mark.parametrize(("query", "topic"), QUERIES.items(), ids=QUERIES.keys())
def test_search_finds_topic_by_concept(reader_search, query, topic):
    target = LINKS.site_url("topic", topic)
    results = reader_search.run(query)
    # Among the first three results (Material: a page with its best sections), or anywhere a reader
    # sees without scrolling (Zensical lists one section per result, so more of them fit).
    top = [link for group in results[:3] for link, _ in group]
    top += [link for group in results for link, seen in group if seen]
    assert any(link.split("#")[0].endswith(target) for link in top), results[:3]


STORAGE_FAILURES = {
    "storage full": "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };",
    "storage disabled": "Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });",
}


@pytest.mark.parametrize("script", STORAGE_FAILURES.values(), ids=STORAGE_FAILURES.keys())
def test_page_stays_usable_when_storage_fails(browser, server, script):
    from conftest import WINDOWS, Visit

    context = browser.new_context(**WINDOWS["desktop"])
    context.add_init_script(script)
    visit = Visit(context.new_page(), server)
    try:
        visit.goto(LINKS.site_url("phase", PLAIN.id))
        first, second = (visit.page.locator(f'input[data-progress-id="{t.id}"]') for t in PLAIN.topics[:2])
        first.check()
        second.check()
        assert first.is_checked() and second.is_checked()
        assert visit.page.locator(".md-content .hb-progress__text").first.inner_text().startswith("2 of ")
        notices = visit.page.locator(".hb-notice")
        assert notices.count() == 1  # said once, quietly
        assert "ticks last until you leave" in notices.inner_text()
        if "setItem" in script:
            assert visit.errors == []
        # With storage disabled outright, Material's own palette code (outside this project) logs the
        # SecurityError when it reads localStorage; the handbook's scripts catch theirs, as shown above.
    finally:
        context.close()


def test_phase_prints_as_a_clean_checklist(visit):
    visit.goto(LINKS.site_url("phase", PLAIN.id))
    visit.page.emulate_media(media="print")
    assert not visit.page.locator(".md-header").is_visible()
    assert not visit.page.locator(".md-sidebar--primary").is_visible()
    assert not visit.page.locator(".md-footer").is_visible()
    boxes = visit.page.locator("input[type=checkbox][data-progress-id]")
    assert boxes.count() == len(PLAIN.topics) + len(PLAIN.practice) + len(PLAIN.build) + len(
        PLAIN.milestone.checks
    )
    assert all(boxes.nth(i).is_visible() for i in range(boxes.count()))


def test_each_test_page_starts_as_a_first_visit(browser, windows, server):
    """The tests share a browser context per engine; what one test's reader stored must be gone when
    the next test opens its page (`fresh_page`), or a test could pass on another test's ticks. The
    next page holds what a page in a brand-new browser profile holds after the same visit."""
    from conftest import fresh_page

    path = LINKS.site_url("phase", PLAIN.id)
    box = f'input[data-progress-id="{PLAIN.topics[0].id}"]'
    stored = "[Object.entries(localStorage).sort(), sessionStorage.length, document.cookie]"
    with fresh_page(windows["desktop"], server) as page:
        page.goto(server + path)
        page.locator(box).check()
        page.evaluate("sessionStorage.setItem('left', 'behind'); document.cookie = 'left=behind; path=/'")
        assert page.evaluate("localStorage.getItem(window.handbookProgress.key)") is not None
    new_profile = browser.new_context()
    try:
        page = new_profile.new_page()
        page.goto(server + path)
        first_visit = page.evaluate(stored)
    finally:
        new_profile.close()
    with fresh_page(windows["desktop"], server) as page:
        page.goto(server + path)
        assert page.evaluate(stored) == first_visit
        assert not page.locator(box).is_checked()
