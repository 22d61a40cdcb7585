"""The map of the year on the phases index, as a reader meets it: the whole year fits the column on a
desktop with every title in full, it becomes one column on a phone, moving to a topic with the
keyboard shows what it builds on, and topics ticked off elsewhere show as done after a reload."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from handbook.render import Links
from handbook.validate import read_spec
from helpers import ROOT

SPEC = read_spec(ROOT / "roadmap")
LINKS = Links(SPEC)
PHASES = SPEC.roadmap.phases
TOPICS = [t for p in PHASES for t in p.all_topics()]
TITLES = {t.id: t.title for t in TOPICS}

# Per label on the map: its text, and whether it is cut (text wider than its box, or an ellipsis).
LABELS = """els => els.map(el => {
  const s = getComputedStyle(el);
  return [el.textContent, el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight + 1
    || s.textOverflow === "ellipsis" || /-webkit-box/.test(s.display)];
})"""


@pytest.fixture
def phone(browser, server, engine):
    from conftest import Visit

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield Visit(context.new_page(), server, engine)
    context.close()


def test_the_year_fits_the_column_on_a_desktop_with_every_title_in_full(visit):
    visit.goto("phases/")
    page = visit.page
    diagram = page.locator(".hb-map")
    expect(diagram.locator("a.hb-map__topic")).to_have_count(len(TOPICS))
    width = diagram.evaluate("m => [m.scrollWidth, m.clientWidth]")
    assert width[0] <= width[1], width
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    labels = diagram.locator("a.hb-map__topic, a.hb-map__head, a.hb-map__group").evaluate_all(LABELS)
    assert [text for text, cut in labels if cut] == []
    texts = {text for text, _ in labels}
    assert set(TITLES.values()) <= texts  # every topic title in full, nothing shortened
    assert {t.title for p in PHASES for t in p.tracks} <= texts
    assert all(any(text.startswith(f"{n}. {p.title} ") for text in texts) for n, p in enumerate(PHASES, 1))
    # At a glance: topics sit side by side (several boxes share a row), not one long column.
    tops = diagram.locator("a.hb-map__topic").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().top)"
    )
    assert len(set(tops)) <= len(TOPICS) // 2


def test_on_a_phone_the_phases_and_topics_stack(phone):
    phone.goto("phases/")
    page = phone.page
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    phases = page.locator(".hb-map__phase").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; })"
    )
    assert len(phases) == len(PHASES)
    assert all(below[0] >= above[1] for above, below in itertools.pairwise(phases)), phases
    # Within each list of topics, one column: every box starts at the same left edge, each below the last.
    columns = page.locator(".hb-map__topics").evaluate_all(
        "lists => lists.map(l => [...l.querySelectorAll('a.hb-map__topic')].map(a => {"
        " const r = a.getBoundingClientRect(); return [r.left, r.top]; }))"
    )
    for boxes in columns:
        assert len({left for left, _ in boxes}) == 1, boxes
        assert [top for _, top in boxes] == sorted({top for _, top in boxes}), boxes
    labels = page.locator(".hb-map a").evaluate_all(LABELS)
    assert [text for text, cut in labels if cut] == []


# A topic with several prerequisites that is not the first in its list (so Tab from the one before reaches it).
TARGET = next(
    t
    for p in PHASES
    for group in [p.topics, *(track.topics for track in p.tracks)]
    for i, t in enumerate(group)
    if i and len(t.prerequisites) >= 2
)
BEFORE = next(group[group.index(TARGET) - 1] for p in PHASES for group in [p.topics] if TARGET in group)


def test_keyboard_focus_on_a_topic_shows_what_it_builds_on(visit):
    visit.goto("phases/")
    page = visit.page
    diagram = page.locator(".hb-map")
    target = diagram.locator(f'a[data-progress-id="{TARGET.id}"]')
    names = "; ".join(TITLES[p] for p in TARGET.prerequisites)
    # Screen readers hear it with the link: its description names the prerequisites.
    expect(target).to_have_accessible_description(f"Builds on: {names}")
    note = diagram.locator(f"#hb-map-pre-{TARGET.id}")
    assert note.evaluate("n => n.getBoundingClientRect().width") <= 1  # hidden until asked for
    diagram.locator(f'a[data-progress-id="{BEFORE.id}"]').focus()
    page.keyboard.press("Tab")
    expect(target).to_be_focused()
    # The names show beside the box, and each prerequisite's box is ringed with a dashed line (not
    # colour alone), with one curve drawn to it.
    expect(note).to_have_text(f"Builds on: {names}")
    assert note.evaluate("n => n.getBoundingClientRect().width") > 50
    for pre in TARGET.prerequisites:
        box = diagram.locator(f'a[data-progress-id="{pre}"]')
        expect(box).to_have_class(re.compile(r"\bhb-map__is-pre\b"))
        expect(box).to_have_css("outline-style", "dashed")
    curves = diagram.locator("svg.hb-map__links path").get_attribute("d")
    assert curves.count("M") == len(TARGET.prerequisites), curves
    # Moving on clears them: the next box shows its own prerequisites, not this one's.
    page.keyboard.press("Shift+Tab")
    expect(diagram.locator(f'a[data-progress-id="{BEFORE.id}"]')).to_be_focused()
    others = [p for p in TARGET.prerequisites if p not in BEFORE.prerequisites]
    for pre in others:
        expect(diagram.locator(f'a[data-progress-id="{pre}"]')).not_to_have_class(
            re.compile(r"\bhb-map__is-pre\b")
        )


def test_a_topic_ticked_on_its_page_shows_done_on_the_map_in_both_palettes(visit):
    page = visit.page
    done, other = TOPICS[1], TOPICS[2]
    visit.goto(LINKS.site_url("topic", done.id))
    box = page.locator(f'input[type=checkbox][data-progress-id="{done.id}"]').first
    box.check()
    expect(box).to_be_checked()
    visit.goto("phases/")
    page.reload()
    diagram = page.locator(".hb-map")
    ticked = diagram.locator(f'a[data-progress-id="{done.id}"]')
    plain = diagram.locator(f'a[data-progress-id="{other.id}"]')
    expect(ticked).to_have_class(re.compile(r"\bhb-done\b"))
    expect(plain).not_to_have_class(re.compile(r"\bhb-done\b"))
    for _ in range(3):
        # A tick mark before the title, and a filled box: both visible, not a faint tint.
        assert "✓" in ticked.evaluate("a => getComputedStyle(a, '::before').content")
        fill = ticked.evaluate("a => getComputedStyle(a).backgroundColor")
        assert fill != plain.evaluate("a => getComputedStyle(a).backgroundColor")
        assert not re.fullmatch(r"rgba\(.*, 0(\.\d+)?\)", fill), fill  # opaque, not a tint
        if page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate":
            break
        page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_map_with_a_done_and_a_focused_topic_has_no_serious_axe_violations(visit, scheme):
    """Ticked boxes (filled) and the prerequisite note of a focused box keep their contrast in both palettes."""
    from conftest import PALETTE_RULES, serious_violations, settled

    page = visit.page
    for topic in TARGET.prerequisites:
        visit.goto(LINKS.site_url("topic", topic))
        page.locator(f'input[type=checkbox][data-progress-id="{topic}"]').first.check()
    visit.goto("phases/")
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    expect(page.locator(".hb-map a.hb-done")).to_have_count(len(TARGET.prerequisites))
    page.locator(f'.hb-map a[data-progress-id="{BEFORE.id}"]').focus()
    page.keyboard.press("Tab")
    expect(page.locator(f"#hb-map-pre-{TARGET.id}")).to_have_css("white-space", "normal")
    settled(page)
    assert serious_violations(page, context=".hb-map", rules=PALETTE_RULES[scheme]) == []
