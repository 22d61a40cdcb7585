"""A learner's progress as a reader meets it (issue 13): "Next up" on the first screen, ticks in the
navigation, practice and build items ticked where they are read, an honest export and import, and
the "Done" labels kept out of search. Driven in Debian's Chromium, on both engines."""

from __future__ import annotations

import json
import re
import struct
import zlib

import pytest
from playwright.sync_api import expect

from conftest import PALETTE_RULES, WINDOWS, serious_violations, settled
from handbook.render import Links
from handbook.validate import read_spec
from helpers import ROOT

pytestmark = pytest.mark.browser

SPEC = read_spec(ROOT / "roadmap")
LINKS = Links(SPEC)
PHASES = SPEC.roadmap.phases
# Every topic in reading order: a phase's shared topics, then each track's.
ORDER = [(p, t) for p in PHASES for t in p.topics + [t for tr in p.tracks for t in tr.topics]]
FIRST, SECOND = ORDER[0][1], ORDER[1][1]
TRACKED = next(p for p in PHASES if len(p.tracks) > 1)
PLAIN = next(p for p in PHASES if not p.tracks and p.practice and p.build)


def url(kind: str, ident: str) -> str:
    return LINKS.site_url(kind, ident)


def stored(visit) -> str | None:
    """The progress state exactly as localStorage holds it."""
    return visit.page.evaluate("localStorage.getItem(window.handbookProgress.key)")


def store(visit, done: list[str]) -> None:
    """Set up ticks that a test is not about, the way the script itself stores them."""
    state = json.dumps({"version": 2, "done": dict.fromkeys(done, 1)})
    visit.page.evaluate(f"localStorage.setItem(window.handbookProgress.key, {json.dumps(state)})")


def done_ids(visit) -> set[str]:
    return set(json.loads(stored(visit) or '{"done": {}}')["done"])


def next_up(visit):
    box = visit.page.locator(".hb-next")
    expect(box).to_be_visible()
    return box


def on_first_screen(locator) -> bool:
    return locator.evaluate(
        "el => { const r = el.getBoundingClientRect(); return window.scrollY === 0 && r.top >= 0 && r.bottom <= innerHeight && r.height > 0 }"
    )


def test_home_first_screen_continues_with_the_second_topic(visit):
    visit.goto(url("topic", FIRST.id))
    visit.page.locator(f'.hb-finish input[data-progress-id="{FIRST.id}"]').check()  # the tick at the end
    visit.page.reload()
    expect(visit.page.locator(f'input[data-progress-id="{FIRST.id}"]').first).to_be_checked()
    visit.goto("")
    box = next_up(visit)
    link = box.get_by_role("link", name=re.compile("Continue"))
    assert link.evaluate("a => a.href") == visit.base + url("topic", SECOND.id)
    assert on_first_screen(link)
    assert SECOND.title in box.inner_text()
    assert f"≈ {SECOND.hours} h" in box.inner_text()
    link.click()
    visit.page.wait_for_url(f"**/{url('topic', SECOND.id)}")
    assert visit.errors == []


def test_phase_page_continues_within_the_phase_and_then_points_to_the_next(visit):
    phase, topics = PHASES[0], PHASES[0].topics
    visit.goto(url("phase", phase.id))
    for topic in topics[:2]:
        visit.page.locator(f'input[data-progress-id="{topic.id}"]').check()
    visit.goto(url("phase", phase.id))  # back at the top of the page
    link = next_up(visit).get_by_role("link")
    assert link.evaluate("a => a.href") == visit.base + url("topic", topics[2].id)
    assert on_first_screen(link)
    # Every topic of the phase done: the box says so and links to the next phase.
    store(visit, [t.id for t in topics])
    visit.page.reload()
    box = next_up(visit)
    expect(box).to_contain_text("Every topic in this phase is done")
    visit.page.locator(".hb-next a").click()
    visit.page.wait_for_url(f"**/{url('phase', PHASES[1].id)}")


def test_phase_with_tracks_follows_the_track_the_reader_started(visit):
    shared = [t.id for t in TRACKED.topics]
    second_track = TRACKED.tracks[1]
    visit.goto(url("phase", TRACKED.id))
    store(visit, [*shared, second_track.topics[0].id])
    visit.page.reload()
    link = next_up(visit).get_by_role("link")
    # The second track has the most ticks, so its next topic comes before the first track's.
    assert link.get_attribute("href").endswith(url("topic", second_track.topics[1].id).split("/", 2)[-1])
    assert second_track.topics[1].title in next_up(visit).inner_text()


def test_everything_done_is_said_and_next_topic_is_marked(visit):
    visit.goto("phases/")
    expect(visit.page.locator(f'a.hb-map__topic[data-progress-id="{FIRST.id}"]')).to_have_class(
        re.compile(r"\bhb-next-up\b")
    )
    store(visit, [t.id for _, t in ORDER])
    visit.goto("")
    expect(next_up(visit)).to_have_text("Every topic in the handbook is done.")
    assert visit.page.locator(".hb-next-up").count() == 0


def test_nav_ticks_done_topics_in_words_too(visit):
    visit.goto(url("topic", FIRST.id))
    visit.page.locator(f'.hb-finish input[data-progress-id="{FIRST.id}"]').check()
    nav = visit.page.locator(".md-sidebar--primary")
    done_link = nav.locator(f'a.md-nav__link[href$="{FIRST.id}/"], a.md-nav__link[href="./"]').first
    other = nav.get_by_role("link", name=SECOND.title, exact=True)
    expect(done_link).to_have_class(re.compile(r"\bhb-done\b"))
    # A visible tick, and words for assistive technology (generated content with alternative text).
    tick = done_link.evaluate("a => getComputedStyle(a, '::after').content")
    assert "✓" in tick and "(done)" in tick
    snapshot = nav.aria_snapshot()
    assert re.search(rf"link \"{re.escape(FIRST.title)} ?\(done\)\"", snapshot), snapshot
    assert f'link "{SECOND.title}"' in snapshot
    assert "hb-done" not in (other.get_attribute("class") or "")
    # On another page too (after instant navigation), and gone once unticked.
    # (the address changes before the content does: wait for each page's heading)
    heading = visit.page.locator(".md-content h1")
    other.click()
    visit.page.wait_for_url(f"**/{url('topic', SECOND.id)}")
    expect(heading).to_contain_text(SECOND.title)
    expect(nav.locator("a.md-nav__link.hb-done")).to_have_count(1)
    visit.page.go_back()
    expect(heading).to_contain_text(FIRST.title)
    visit.page.locator(f'.hb-finish input[data-progress-id="{FIRST.id}"]').uncheck()
    expect(nav.locator("a.md-nav__link.hb-done")).to_have_count(0)


def test_practice_and_build_items_are_ticked_and_counted(visit):
    def n(count: int, noun: str) -> str:
        return f"{count} {noun}{'' if count == 1 else 's'}"

    visit.goto(url("phase", PLAIN.id))
    bar = visit.page.locator(".md-content .hb-progress").first
    total = len(PLAIN.topics) + len(PLAIN.practice) + len(PLAIN.build) + len(PLAIN.milestone.checks)
    # The bar counts exactly the boxes on the page, and says what they are.
    ids = visit.page.locator(".md-content input[data-progress-id]").evaluate_all(
        "boxes => boxes.map(b => b.dataset.progressId)"
    )
    assert len(set(ids)) == total
    expect(bar.locator(".hb-progress__text")).to_have_text(f"0 of {total} done")
    expect(bar.locator(".hb-progress__what")).to_have_text(
        f"Counts {n(len(PLAIN.topics), 'topic')}, {n(len(PLAIN.practice), 'practice task')}, "
        f"{n(len(PLAIN.build), 'project')} and {n(len(PLAIN.milestone.checks), 'milestone check')}."
    )
    boxes = [PLAIN.practice[0], PLAIN.build[0]]
    for item in boxes:
        box = visit.page.get_by_role("checkbox", name=item.task, exact=True)
        box.check()
    expect(bar.locator(".hb-progress__text")).to_have_text(f"2 of {total} done")
    visit.page.reload()
    assert {i.id for i in boxes} <= done_ids(visit)
    assert all(visit.page.locator(f'input[data-progress-id="{i.id}"]').is_checked() for i in boxes)


def test_without_javascript_controls_stay_out_and_next_up_keeps_its_space(browser, server):
    from conftest import Visit

    context = browser.new_context(**WINDOWS["desktop"], java_script_enabled=False)
    visit = Visit(context.new_page(), server)
    try:
        visit.goto(url("phase", PLAIN.id))
        assert visit.page.locator(".hb-check").first.is_hidden()  # no tick boxes that cannot work
        box = visit.page.locator(".hb-next")
        assert box.evaluate("b => getComputedStyle(b).visibility") == "hidden"
        assert box.bounding_box()["height"] > 0  # its space is kept, so showing it later shifts nothing
        visit.goto("")
        assert visit.page.locator(".hb-progress-tools").is_hidden()
    finally:
        context.close()


# Where each block of the article starts, for the blocks shown that start on the first screen.
LAYOUT = """() => [...document.querySelectorAll('.md-content .md-typeset > *')]
  .map(e => e.getBoundingClientRect()).filter(r => r.height > 0 && r.top < innerHeight)
  .map(r => r.top)"""


@pytest.mark.parametrize("width", [1280, 375])
def test_showing_progress_and_next_up_shifts_nothing(browser, server, width):
    """What the script fills in near the top (bars, "Next up", tick boxes) was laid out before it ran:
    the page's first blocks sit at the same heights with and without JavaScript (no layout shift)."""
    from conftest import Visit

    tops = {}
    for script in (False, True):
        context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=script)
        visit = Visit(context.new_page(), server)
        try:
            for path in ("", url("phase", TRACKED.id), url("topic", FIRST.id)):
                visit.goto(path)
                if script:
                    visit.page.evaluate(
                        f"localStorage.setItem(window.handbookProgress.key, {json.dumps(json.dumps({'version': 2, 'done': {FIRST.id: 1}}))})"
                    )
                    visit.page.reload()
                    visit.page.wait_for_function(
                        "!document.querySelector('.hb-check[hidden], .hb-progress[hidden], .hb-next[hidden]')"
                    )
                tops[script, path] = visit.page.evaluate(LAYOUT)
        finally:
            context.close()
    for path in ("", url("phase", TRACKED.id), url("topic", FIRST.id)):
        shown, before = tops[True, path], tops[False, path]
        # (within a pixel: the engines' own scripts wrap tables, which moves them by a fraction)
        assert len(shown) == len(before) and all(
            abs(a - b) <= 1 for a, b in zip(shown, before, strict=True)
        ), (
            path,
            shown,
            before,
        )


def test_export_holds_version_titles_and_plan(visit, tmp_path):
    topic, task, check = PLAIN.topics[0], PLAIN.practice[0], PLAIN.milestone.checks[0]
    visit.goto(url("phase", PLAIN.id))
    for ident in (topic.id, task.id, check.id):
        visit.page.locator(f'input[data-progress-id="{ident}"]').check()
    visit.goto("phases/")
    visit.page.fill("form.hb-planner input[name=hours]", "10")
    visit.page.fill("form.hb-planner input[name=start]", "2027-01-04")
    visit.goto("")
    with visit.page.expect_download() as info:
        visit.page.get_by_role("button", name="Export progress").click()
    path = tmp_path / "progress.json"
    info.value.save_as(path)
    data = json.loads(path.read_text())
    assert data["version"] == 3
    assert sorted(data["done"], key=lambda d: d["id"]) == sorted(
        [
            {"id": topic.id, "title": topic.title},
            {"id": task.id, "title": task.task},
            {"id": check.id, "title": check.text},
        ],
        key=lambda d: d["id"],
    )
    assert data["plan"] == {"hours": 10, "start": "2027-01-04"}


def import_file(visit, tmp_path, content) -> None:
    path = tmp_path / "import.json"
    path.write_text(json.dumps(content))
    with visit.page.expect_file_chooser() as chooser:
        visit.page.get_by_role("button", name="Import progress").click()
    chooser.value.set_files(str(path))
    expect(visit.page.locator("dialog.hb-dialog")).to_be_visible()


def test_import_of_unknown_ids_reports_them_and_changes_nothing(visit, tmp_path):
    visit.goto("")
    store(visit, [FIRST.id])
    planner = visit.page.evaluate("'handbook.planner:' + window.handbookProgress.key.split(':')[1]")
    visit.page.evaluate(
        f"localStorage.setItem({json.dumps(planner)}, JSON.stringify({{hours: 7, start: '2027-02-01'}}))"
    )
    before = visit.page.evaluate("JSON.stringify(Object.entries(localStorage).sort())")
    visit.page.reload()
    import_file(
        visit,
        tmp_path,
        {
            "version": 3,
            "done": [{"id": "no-such-topic", "title": "Gone"}, "retired-check"],
            "plan": {"hours": 40, "start": "2030-01-01"},
        },
    )
    dialog = visit.page.get_by_role("dialog", name="Nothing to import")
    expect(dialog).to_contain_text("2 unknown to this handbook and ignored (no-such-topic, retired-check)")
    expect(dialog.get_by_role("button")).to_have_count(1)  # nothing to merge or replace
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    assert visit.page.evaluate("JSON.stringify(Object.entries(localStorage).sort())") == before


@pytest.mark.parametrize("choice", ["Merge", "Replace"])
def test_import_merges_or_replaces_and_ignores_unknown_ids(visit, tmp_path, choice):
    mine, theirs = PLAIN.topics[0].id, PLAIN.topics[1].id
    visit.goto("")
    store(visit, [mine, "an-old-id"])
    visit.page.reload()
    import_file(
        visit, tmp_path, {"version": 3, "done": [{"id": theirs, "title": "x"}, {"id": mine}, {"id": "nope"}]}
    )
    dialog = visit.page.get_by_role("dialog", name="Import progress")
    expect(dialog).to_contain_text(
        "The file holds 3 ticked items: 1 not yet ticked here, 1 already ticked here, 1 unknown to this handbook and ignored (nope)."
    )
    dialog.get_by_role("button", name=choice, exact=True).click()
    expect(visit.page.locator(".hb-notice").last).to_contain_text("you now have")
    expected = {mine, theirs, "an-old-id"} if choice == "Merge" else {mine, theirs}
    assert done_ids(visit) == expected
    assert "nope" not in stored(visit)
    expect(visit.page.locator(".hb-progress--overall .hb-progress__text")).to_contain_text("2 of ")


@pytest.mark.parametrize(
    "content",
    [[FIRST.id, "unknown-one"], {"version": 2, "exported": "2026-01-01T00:00:00Z", "done": [FIRST.id]}],
    ids=["version 1 array", "version 2 object"],
)
def test_old_export_formats_still_import(visit, tmp_path, content):
    visit.goto("")
    import_file(visit, tmp_path, content)
    visit.page.locator("dialog.hb-dialog").get_by_role("button", name="Merge").click()
    expect(visit.page.locator(".hb-notice").last).to_have_text(
        "Progress imported: you now have 1 ticked item."
    )
    assert done_ids(visit) == {FIRST.id}


def test_import_restores_the_plan_and_says_so(visit, tmp_path):
    visit.goto("")
    import_file(
        visit,
        tmp_path,
        {"version": 3, "done": [{"id": FIRST.id}], "plan": {"hours": 12, "start": "2027-03-01"}},
    )
    dialog = visit.page.locator("dialog.hb-dialog")
    expect(dialog).to_contain_text("Its study plan (12 hours a week from 2027-03-01) will replace yours.")
    dialog.get_by_role("button", name="Replace").click()
    expect(visit.page.locator(".hb-notice").last).to_contain_text("and the file's study plan.")
    visit.goto("phases/")
    assert visit.page.input_value("form.hb-planner input[name=hours]") == "12"
    assert visit.page.input_value("form.hb-planner input[name=start]") == "2027-03-01"


@pytest.mark.parametrize(
    "bad",
    [{"hours": 200, "start": "2027-03-01"}, {"hours": 12, "start": "2027-02-30"}],
    ids=["200 hours", "30 February"],
)
def test_import_ignores_a_plan_the_planner_would_refuse(visit, tmp_path, bad):
    visit.goto("phases/")
    form = visit.page.locator("form.hb-planner")
    form.get_by_label("Hours per week").fill("10")
    form.get_by_label("Start date").fill("2027-01-04")
    visit.goto("")
    expect(visit.page.locator(".md-content .hb-plan-status")).to_be_visible()  # the plan is kept
    import_file(visit, tmp_path, {"version": 3, "done": [{"id": FIRST.id}], "plan": bad})
    dialog = visit.page.locator("dialog.hb-dialog")
    expect(dialog).to_contain_text("The file holds 1 ticked item")
    expect(dialog).not_to_contain_text("study plan")
    dialog.get_by_role("button", name="Replace").click()
    expect(visit.page.locator(".hb-notice").last).to_have_text(
        "Progress imported: you now have 1 ticked item."
    )
    visit.goto("phases/")
    assert visit.page.input_value("form.hb-planner input[name=hours]") == "10"
    assert visit.page.input_value("form.hb-planner input[name=start]") == "2027-01-04"


def test_import_dialog_works_by_keyboard_alone(visit, tmp_path):
    path = tmp_path / "import.json"
    path.write_text(json.dumps({"version": 3, "done": [{"id": SECOND.id}]}))
    visit.goto("")
    store(visit, [FIRST.id])
    visit.page.reload()
    export = visit.page.get_by_role("button", name="Export progress")
    for run in ("Escape", "Replace"):
        export.focus()
        visit.page.keyboard.press("Tab")
        with visit.page.expect_file_chooser() as chooser:
            # (inside the block: Playwright is listening for the file chooser before the key goes down)
            expect(visit.page.get_by_role("button", name="Import progress")).to_be_focused()
            visit.page.keyboard.press("Enter")
        chooser.value.set_files(str(path))
        dialog = visit.page.get_by_role("dialog", name="Import progress")
        expect(dialog.get_by_role("button", name="Merge")).to_be_focused()  # the safe choice first
        if run == "Escape":
            visit.page.keyboard.press("Escape")
            expect(dialog).to_be_hidden()
            assert done_ids(visit) == {FIRST.id}
            expect(
                visit.page.get_by_role("button", name="Import progress")
            ).to_be_focused()  # focus comes back
        else:
            visit.page.keyboard.press("Tab")
            expect(dialog.get_by_role("button", name="Replace")).to_be_focused()
            visit.page.keyboard.press("Enter")
            expect(dialog).to_be_hidden()
            # the dialog's close event runs the import a task later; the reader sees it as this notice
            expect(visit.page.locator(".hb-notice").last).to_contain_text("you now have 1 ticked item")
            assert done_ids(visit) == {SECOND.id}


def test_reset_is_apart_marked_dangerous_and_asks_first(visit):
    visit.goto("")
    store(visit, [FIRST.id])
    visit.page.reload()
    reset = visit.page.get_by_role("button", name="Reset progress")
    export = visit.page.get_by_role("button", name="Export progress")
    colour = "b => getComputedStyle(b).color"
    assert reset.evaluate(colour) != export.evaluate(colour)
    assert reset.bounding_box()["x"] - export.bounding_box()["x"] > 2 * export.bounding_box()["width"]
    reset.click()
    dialog = visit.page.get_by_role("dialog", name="Reset progress?")
    expect(dialog).to_contain_text("This clears 1 ticked item from this browser")
    dialog.get_by_role("button", name="Cancel").click()
    # the close event removes the dialog once it has chosen; only then can "nothing changed" be read
    expect(visit.page.locator("dialog.hb-dialog")).to_have_count(0)
    assert done_ids(visit) == {FIRST.id}
    reset.click()
    visit.page.locator("dialog.hb-dialog").get_by_role("button", name="Clear all progress").click()
    expect(visit.page.locator(".hb-notice").last).to_have_text("Progress cleared.")
    assert done_ids(visit) == set()


def mean_brightness(png: bytes) -> float:
    """The mean of R, G and B over a screenshot (8-bit RGB or RGBA PNG, as Chromium writes them)."""
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    raw, pos = b"", 8
    while pos < len(png):
        (length,), kind = struct.unpack(">I", png[pos : pos + 4]), png[pos + 4 : pos + 8]
        if kind == b"IDAT":
            raw += png[pos + 8 : pos + 8 + length]
        pos += 12 + length
    data, size = zlib.decompress(raw), 4 if colour == 6 else 3
    stride, prev, total = width * size, bytearray(width * size), 0
    for y in range(height):
        kind, row = data[y * (stride + 1)], bytearray(data[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a, b, c = row[i - size] if i >= size else 0, prev[i], prev[i - size] if i >= size else 0
            p = a + b - c
            pred = (
                a
                if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c)
                else b
                if abs(p - b) <= abs(p - c)
                else c
            )
            row[i] = (row[i] + (0, a, b, (a + b) // 2, pred)[kind]) & 255
        total += sum(v for i, v in enumerate(row) if i % size < 3)
        prev = row
    return total / (width * height * 3)


def test_progress_bar_follows_the_dark_palette(visit):
    visit.goto(url("phase", PLAIN.id))
    bar = visit.page.locator(".md-content .hb-progress progress").first
    expect(bar).to_be_visible()
    light = mean_brightness(bar.screenshot())
    visit.page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    settled(visit.page)
    dark = mean_brightness(bar.screenshot())
    # Nothing ticked: the bar is all track, light on the light page and dark on the dark one.
    assert light > 180 and dark < 90, (light, dark)


def test_checkbox_labels_stay_out_of_search(site, engine):
    index = site / ("search/search_index.json" if engine == "mkdocs" else "search.json")
    data = json.loads(index.read_text())
    entries = data.get("docs") or data["items"]
    starts = {e["location"]: re.sub(r"<[^>]+>", " ", e["text"]).split()[:1] for e in entries}
    assert entries and not [where for where, first in starts.items() if first == ["Done"]]
    # Nor in the middle of one: a topic list's preview read "Done Linear algebra ... Done Matrix ...".
    assert not [e["location"] for e in entries if re.search(r"\bDone [A-Z]", e["text"])]


def test_search_preview_does_not_start_with_done(visit, search):
    search.open_dialog(PLAIN.topics[1].title)
    page = visit.page
    if visit.engine == "zensical":
        results = page.get_by_role("listbox", name="Search results").get_by_role("option")
    else:
        results = page.locator(".md-search-result__item")
    texts = results.all_inner_texts()
    assert texts
    assert not [t for t in texts if re.search(r"\bDone\b", t)], texts


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_ticks_next_up_and_dialog_have_no_serious_violations(visit, tmp_path, scheme):
    visit.goto("")
    store(visit, [FIRST.id, ORDER[2][1].id])
    visit.page.reload()
    visit.page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    next_up(visit)
    settled(visit.page)
    assert serious_violations(visit.page, rules=PALETTE_RULES[scheme]) == []
    import_file(visit, tmp_path, {"version": 3, "done": [{"id": SECOND.id}]})
    settled(visit.page)
    assert serious_violations(visit.page, rules=PALETTE_RULES[scheme]) == []
