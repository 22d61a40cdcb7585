"""Checking yourself: a topic's check questions keep their worked answers closed until the reader
opens one, by mouse or keyboard, with or without JavaScript, and print with every answer open.
Search finds each subject the 2026 edition added by the name a learner would type."""

from __future__ import annotations

import pytest

from handbook.render import Links
from handbook.validate import read_spec
from helpers import ROOT

pytestmark = pytest.mark.browser

SPEC = read_spec(ROOT / "roadmap")
LINKS = Links(SPEC)
TOPIC = next(t for p in SPEC.roadmap.phases for t in p.topics if t.questions)
PAGE = LINKS.site_url("topic", TOPIC.id).split("#")[0]


def first_answer(page):
    section = page.locator(f"#{TOPIC.id} ~ details.hb-answer").first
    return section, section.locator("p").first


def test_an_answer_stays_hidden_until_the_reader_opens_it(visit):
    visit.goto(PAGE)
    details, answer = first_answer(visit.page)
    assert details.locator("summary").inner_text().strip() == TOPIC.questions[0].question
    assert not answer.is_visible()
    details.locator("summary").click()
    answer.wait_for(state="visible")
    assert " ".join(TOPIC.questions[0].answer.split())[:40] in " ".join(answer.inner_text().split())


def test_the_keyboard_opens_and_closes_an_answer(visit):
    visit.goto(PAGE)
    details, answer = first_answer(visit.page)
    details.locator("summary").focus()
    visit.page.keyboard.press("Enter")
    answer.wait_for(state="visible")
    visit.page.keyboard.press("Space")
    answer.wait_for(state="hidden")


def test_answers_work_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(server + PAGE)
        details, answer = first_answer(page)
        assert not answer.is_visible()
        details.locator("summary").click()
        answer.wait_for(state="visible")
    finally:
        context.close()


def test_every_answer_is_open_when_the_page_is_printed(visit):
    visit.goto(PAGE)
    visit.page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    visit.page.emulate_media(media="print")
    closed = visit.page.locator("details.hb-answer:not([open])").count()
    assert closed == 0
    _, answer = first_answer(visit.page)
    assert answer.is_visible()
    visit.page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    visit.page.emulate_media(media="screen")
    assert not answer.is_visible(), "the screen goes back to closed answers after printing"


# Learner queries written before tuning: the name or abbreviation a reader would type, and the
# topics that teach it. The topic must be among the first three results, or (Zensical lists one
# section per result, so more fit) anywhere a reader sees without scrolling.
NEW_SUBJECTS = {
    "GRPO": ["rl-for-reasoning"],
    "flow matching": ["flow-matching-and-guidance"],
    "mixed precision": ["mixed-precision-numerics"],
    "μP": ["pretraining-recipe"],
    "Mamba": ["state-space-models"],
    "InfoNCE": ["self-supervised-learning"],
    "REINFORCE": ["policy-gradients"],
    "FP8": ["mixed-precision-numerics", "compilers-and-low-precision-training"],
    "classifier-free guidance": ["flow-matching-and-guidance"],
    "model merging": ["post-training-beyond-dpo"],
    "cross-validation": ["classical-ml-and-evaluation-metrics"],
    "SWE-bench": ["frontier-evaluation"],
}


# Measured difference (README, "Two engines"): Zensical 0.0.73 ignores the phase pages' search boost
# and matches "REINFORCE" as a prefix of "reinforcement", so six glossary and reading-list entries come
# first and the policy-gradients topic is not in its first ten results. Strict: the mark must go the
# day Zensical ranks the lesson first.
ZENSICAL_RANKS_LOWER = {"REINFORCE"}


@pytest.mark.parametrize(("query", "topics"), NEW_SUBJECTS.items(), ids=NEW_SUBJECTS.keys())
def test_search_finds_each_new_subject_by_its_common_name(reader_search, request, query, topics):
    if reader_search.visit.engine == "zensical" and query in ZENSICAL_RANKS_LOWER:
        request.applymarker(pytest.mark.xfail(strict=True, reason="Zensical ignores search boosts"))
    targets = [LINKS.site_url("topic", t) for t in topics]
    results = reader_search.run(query)
    top = [link for group in results[:3] for link, _ in group]
    top += [link for group in results for link, seen in group if seen]
    assert any(link.split("#")[0].endswith(target) for link in top for target in targets), results[:3]
