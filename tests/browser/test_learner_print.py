"""A printable checklist per phase (issue 13): two or three A4 pages with a box per topic and
milestone item, each topic's hours and key concepts, and every resource address printed in full."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import PALETTE_RULES, serious_violations, settled
from handbook import layout
from handbook.render import Links
from handbook.validate import read_spec
from helpers import ROOT

pytestmark = pytest.mark.browser

SPEC = read_spec(ROOT / "roadmap")
LINKS = Links(SPEC)
PHASES = SPEC.roadmap.phases


def checklist_url(phase_id: str) -> str:
    return layout.checklist_page(phase_id).removesuffix(".md") + "/"


def pdf_pages(pdf: bytes) -> int:
    """The number of page objects in a PDF (`/Type /Page`, not the `/Pages` tree)."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


@pytest.mark.parametrize("phase", PHASES, ids=[p.id for p in PHASES])
def test_phase_checklist_prints_on_two_or_three_a4_pages_with_everything_in_full(visit, phase):
    page = visit.page
    visit.goto(checklist_url(phase.id))
    assert 2 <= pdf_pages(page.pdf(format="A4")) <= 3

    page.emulate_media(media="print")
    checklist = page.locator(".hb-checklist")
    text = checklist.inner_text()
    topics = phase.all_topics()
    for topic in topics:
        assert topic.title in text, topic.id
        assert all(concept in text for concept in topic.key_concepts), topic.id
        if topic.hours:
            assert f"{topic.title} · {topic.hours} h" in text, topic.id
        for resource in topic.resources:
            # The address itself is printed (the link's text), not a title that hides it.
            expect(checklist.get_by_text(resource.url, exact=True).first).to_be_visible()
    # One box per topic and milestone item, shown on paper, and no bullet beside it.
    items = checklist.locator("li")
    assert items.count() == len(topics) + len(phase.milestone.checks)
    styles = items.evaluate_all(
        """lis => lis.map(li => [getComputedStyle(li).listStyleType,
            !!li.querySelector('input[type=checkbox]') && li.querySelector('input').offsetParent !== null])"""
    )
    assert styles == [["none", True]] * items.count()
    assert visit.errors == []


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_checklist_page_has_no_serious_accessibility_violations(visit, scheme):
    visit.goto(checklist_url(PHASES[0].id))
    visit.page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    settled(visit.page)
    expect(visit.page.locator(".hb-checklist .hb-check").first).to_be_visible()  # revealed by the script
    assert serious_violations(visit.page, rules=PALETTE_RULES[scheme]) == []


def test_a_ticked_topic_prints_ticked(visit):
    phase = next(p for p in PHASES if len(p.topics) >= 2)
    first, second = phase.topics[:2]
    page = visit.page
    visit.goto(LINKS.site_url("phase", phase.id))
    page.locator(f'input[data-progress-id="{first.id}"]').check()
    page.get_by_role("link", name="Print a checklist").click()
    page.wait_for_url(re.compile(re.escape(checklist_url(phase.id)) + "$"))
    page.emulate_media(media="print")
    expect(page.locator(f'.hb-checklist input[data-progress-id="{first.id}"]')).to_be_checked()
    expect(page.locator(f'.hb-checklist input[data-progress-id="{first.id}"]')).to_be_visible()
    expect(page.locator(f'.hb-checklist input[data-progress-id="{second.id}"]')).not_to_be_checked()
    expect(page.locator(f'.hb-checklist input[data-progress-id="{second.id}"]')).to_be_visible()


def test_phase_index_milestone_prints_a_box_without_a_bullet(visit):
    phase = PHASES[0]
    visit.goto(LINKS.site_url("phase", phase.id))
    visit.page.emulate_media(media="print")
    items = visit.page.locator("li:has(> .hb-milestone-item)")
    assert items.count() == len(phase.milestone.checks)
    assert set(items.evaluate_all("lis => lis.map(li => getComputedStyle(li).listStyleType)")) == {"none"}
    expect(items.first.locator("input[type=checkbox]")).to_be_visible()


def test_topic_pages_still_print_in_full(visit):
    """The checklist is an extra: a topic page prints its whole lesson, answers open."""
    topic = PHASES[0].topics[0]
    visit.goto(LINKS.site_url("topic", topic.id))
    visit.page.emulate_media(media="print")
    article = visit.page.locator("article")
    last_paragraph = topic.explanation.strip().split("\n\n")[-1].split()[-1]
    expect(article).to_contain_text(last_paragraph)
    answers = visit.page.locator("details.hb-answer")
    if topic.questions:
        expect(answers.first.locator("> :not(summary)").first).to_be_visible()
