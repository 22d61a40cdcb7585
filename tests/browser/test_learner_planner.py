"""The study planner as a learner uses it: set a pace and a start date, read each phase's weeks and
dates, download the plan as a calendar file, see the plan on the home and phase pages, and start the
year from the first screen. Every expected date is computed here from the spec's hours, never read
back from the page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import PALETTE_RULES, WINDOWS, Visit, serious_violations, settled
from handbook.render import Links
from handbook.validate import read_spec
from helpers import ROOT

pytestmark = pytest.mark.browser

SPEC = read_spec(ROOT / "roadmap")
LINKS = Links(SPEC)
PHASES = SPEC.roadmap.phases
SITE_NAME = re.search(r"^site_name: (.+)$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)
# Chromium's English (United Kingdom) short month names, as Intl.DateTimeFormat writes them.
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]


def planned(start: dt.date, per_week: int) -> list[tuple[dt.date, dt.date, str]]:
    """Each phase's first day, last day and weeks (first to last week): a phase starts the day after the hours
    before it are done and ends on the day its own hours are, at `per_week` hours a week."""
    out, hours = [], 0
    for phase in PHASES:
        first = -(-hours * 7 // per_week)  # ceil
        hours += phase.hours
        last = -(-hours * 7 // per_week) - 1
        out.append(
            (start + dt.timedelta(first), start + dt.timedelta(last), f"{first // 7 + 1}–{last // 7 + 1}")
        )
    return out


def set_plan(visit: Visit, hours: str, start: str) -> None:
    visit.goto("phases/")
    form = visit.page.locator("form.hb-planner")
    form.get_by_label("Hours per week").fill(hours)
    form.get_by_label("Start date").fill(start)


def table(visit: Visit) -> list[tuple[str, str, str]]:
    """Each row's start date, end date and weeks, as the planner wrote them."""
    rows = visit.page.locator(".hb-plan tbody tr").evaluate_all(
        """rows => rows.map(r => [r.querySelector('.hb-plan__start').dataset.date,
                                  r.querySelector('.hb-plan__end').dataset.date,
                                  r.querySelector('.hb-plan__weeks').textContent])"""
    )
    return [tuple(row) for row in rows]


@pytest.fixture
def british(browser, server, engine) -> Iterator[Visit]:
    """A desktop window whose browser formats dates the British way: "3 Mar 2027"."""
    context = browser.new_context(**WINDOWS["desktop"], locale="en-GB")
    yield Visit(context.new_page(), server, engine)
    context.close()


@pytest.mark.parametrize("per_week", [10, 23])
def test_start_dates_end_dates_and_weeks_follow_the_pace(visit, per_week):
    set_plan(visit, str(per_week), "2027-01-04")
    expected = [
        (a.isoformat(), b.isoformat(), weeks) for a, b, weeks in planned(dt.date(2027, 1, 4), per_week)
    ]
    assert table(visit) == expected
    visit.page.get_by_label("Hours per week").press("Enter")  # Enter in a field submits nothing
    assert visit.page.url == visit.base + "phases/"
    # The plan is remembered: after a reload the same pace gives the same table.
    visit.page.reload()
    assert visit.page.get_by_label("Hours per week").input_value() == str(per_week)
    assert table(visit) == expected
    assert visit.errors == []


# ---- The calendar file: a strict reading of RFC 5545 ----


def unescape(value: str) -> str:
    """A TEXT value: every backslash escapes one of \\ ; , n N, and no comma or semicolon is bare."""
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            nxt = value[i + 1]
            assert nxt in "\\;,nN", f"bad escape \\{nxt} in {value!r}"
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        assert ch not in ";,", f"unescaped {ch!r} in {value!r}"
        out.append(ch)
        i += 1
    return "".join(out)


def parse_ics(data: bytes) -> list[dict[str, str]]:
    """The events of a calendar file, each as {name (with parameters): raw value}, after checking the
    file's lines: CRLF endings only, at most 75 octets each, folded lines starting with a space."""
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in physical), "bare LF or CR"
    assert all(len(line) <= 75 for line in physical), max(physical, key=len)
    lines: list[str] = []
    for line in physical:
        text = line.decode("utf-8")
        if text.startswith(" "):
            lines[-1] += text[1:]
        else:
            lines.append(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    events, current = [], None
    for line in lines[1:-1]:
        if line == "BEGIN:VEVENT":
            assert current is None
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            assert name not in current, f"{name} twice in one event"
            current[name] = value
    assert current is None
    return events


def download_ics(visit: Visit) -> bytes:
    button = visit.page.get_by_role("button", name="Add to calendar (.ics)")
    button.focus()
    with visit.page.expect_download() as info:
        visit.page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename.endswith(".ics")
    return Path(download.path()).read_bytes()


def test_calendar_file_has_one_event_per_phase_matching_the_table(visit):
    set_plan(visit, "12", "2027-03-01")
    rows = table(visit)
    events = parse_ics(download_ics(visit))
    assert len(events) == len(PHASES)
    all_topics = {t.id: t for p in PHASES for t in p.all_topics()}
    for phase, (start, end, _), event in zip(PHASES, rows, events, strict=True):
        assert event["DTSTART;VALUE=DATE"] == start.replace("-", "")
        last = dt.date.fromisoformat(end)
        assert event["DTEND;VALUE=DATE"] == (last + dt.timedelta(1)).strftime("%Y%m%d")  # exclusive
        assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])
        assert phase.title in unescape(event["SUMMARY"])
        description = unescape(event["DESCRIPTION"])
        for topic in phase.all_topics():
            assert all_topics[topic.id].title in description
        assert event["URL"] == visit.base + LINKS.site_url("phase", phase.id)
        assert visit.page.request.get(event["URL"]).ok
    # The table agrees with the spec, so the calendar does too.
    assert [(r[0], r[1]) for r in rows] == [
        (a.isoformat(), b.isoformat()) for a, b, _ in planned(dt.date(2027, 3, 1), 12)
    ]
    uids = [e["UID"] for e in events]
    assert len(set(uids)) == len(uids)
    # A phase keeps its UID when the plan changes, so a calendar updates the event instead of adding one.
    visit.page.get_by_label("Hours per week").fill("20")
    again = parse_ics(download_ics(visit))
    assert [e["UID"] for e in again] == uids
    assert [e["DTSTART;VALUE=DATE"] for e in again] != [e["DTSTART;VALUE=DATE"] for e in events]
    assert visit.errors == []


# ---- Validation ----


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("Hours per week", "0", "whole number of hours from 1 to 80"),
        ("Hours per week", "81", "whole number of hours from 1 to 80"),
        ("Hours per week", "7.5", "whole number of hours from 1 to 80"),
        ("Start date", "", "valid start date"),
    ],
)
def test_invalid_input_is_named_next_to_its_field_and_the_last_plan_stays(visit, field, value, message):
    set_plan(visit, "10", "2027-01-04")
    before = table(visit)
    box = visit.page.locator("form.hb-planner").get_by_label(field)
    box.fill(value)
    expect(box).to_have_attribute("aria-invalid", "true")
    note = visit.page.locator("#" + box.get_attribute("aria-describedby"))
    expect(note).to_contain_text(message)
    assert note.get_attribute("role") == "alert"
    assert note.is_visible()
    assert table(visit) == before  # nothing computed from a guess
    visit.page.reload()  # and nothing remembered
    assert visit.page.get_by_label("Hours per week").input_value() == "10"
    assert visit.page.get_by_label("Start date").input_value() == "2027-01-04"
    assert table(visit) == before
    assert visit.page.locator(".hb-planner__error").all_inner_texts() == ["", ""]


def test_a_half_typed_date_is_invalid_until_completed(visit):
    set_plan(visit, "10", "2027-01-04")
    before = table(visit)
    date = visit.page.get_by_label("Start date")
    date.focus()
    visit.page.keyboard.press("Backspace")  # clears one part of the date, as a reader correcting it
    expect(date).to_have_attribute("aria-invalid", "true")
    assert table(visit) == before
    date.fill("2027-02-01")
    expect(date).not_to_have_attribute("aria-invalid", "true")
    assert table(visit)[0][0] == "2027-02-01"


# ---- The plan on other pages ----


def british_range(a: dt.date, b: dt.date) -> str:
    def day(d: dt.date, year: bool = True) -> str:
        return f"{d.day} {MONTHS[d.month - 1]}" + (f" {d.year}" if year else "")

    if a.year != b.year:
        return f"{day(a)} – {day(b)}"
    if a.month != b.month:
        return f"{day(a, False)} – {day(b)}"
    return f"{a.day}–{day(b)}"


def status_text(visit: Visit) -> str:
    status = visit.page.locator(".md-content .hb-plan-status")
    expect(status).to_be_visible()
    return re.sub(r"\s+", " ", status.inner_text().replace("\u2009", " ")).strip()


def test_phase_page_shows_its_planned_dates(british):
    phase = PHASES[1]
    british.goto(LINKS.site_url("phase", phase.id))
    expect(british.page.locator(".md-content .hb-plan-status")).to_be_hidden()  # no plan yet
    set_plan(british, "15", "2027-03-01")
    start, end, _ = planned(dt.date(2027, 3, 1), 15)[1]
    british.goto(LINKS.site_url("phase", phase.id))
    # 2027 is still ahead, so the plan has not started.
    assert status_text(british) == f"Your plan: {british_range(start, end)} · starts 1 Mar 2027"
    assert british.errors == []


def test_home_and_phase_pages_say_how_far_behind_or_ahead_the_learner_is(visit):
    phase = PHASES[0]
    begun = dt.date.today() - dt.timedelta(days=21)
    set_plan(visit, "10", begun.isoformat())  # 30 hours expected by today, none done
    visit.goto("")
    assert status_text(visit) == "Your plan: 3 weeks behind"
    # Ticking topics on the phase page updates the status there and then.
    visit.goto(LINKS.site_url("phase", phase.id))
    done = 0
    for topic in phase.topics:
        if done >= 30:
            break
        visit.page.locator(f'input[data-progress-id="{topic.id}"]').check()
        done += topic.hours or 0
    weeks = round((done - 30) / 10)
    expected = (
        "on track"
        if weeks == 0
        else f"{abs(weeks)} week{'s' * (abs(weeks) != 1)} {'behind' if weeks < 0 else 'ahead'}"
    )
    assert status_text(visit).endswith(" · " + expected)  # after this phase's dates
    visit.goto("")
    assert status_text(visit) == "Your plan: " + expected
    assert visit.errors == []


# ---- The first screen ----


@pytest.mark.parametrize("size", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_first_screen_states_the_commitment_and_starts_phase_one(browser, server, engine, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, is_mobile=size[0] < 500)
    visit = Visit(context.new_page(), server, engine)
    try:
        visit.goto("")
        hours = sum(p.hours for p in PHASES)
        weeks = PHASES[-1].weeks.end - PHASES[0].weeks.start + 1
        pace = int(hours / weeks + 0.5)
        sentence = visit.page.get_by_text(
            f"About {hours} hours over {weeks} weeks: about {pace} hours a week."
        )
        start = visit.page.get_by_role("link", name=re.compile(r"^Start phase 1\b"))
        for element in (sentence, start):
            expect(element).to_be_in_viewport(ratio=1)
        assert "md-button--primary" in start.get_attribute("class")
        start.click()
        visit.page.wait_for_url(visit.base + LINKS.site_url("phase", PHASES[0].id))
        assert visit.errors == []
    finally:
        context.close()


def test_phase_table_fits_a_phone(browser, server, engine):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    visit = Visit(context.new_page(), server, engine)
    try:
        visit.goto("")
        table = visit.page.locator(".hb-phases table")
        expect(table).to_be_visible()
        # Nothing scrolls sideways and no cell's right edge lies past the window.
        assert visit.page.evaluate("document.documentElement.scrollWidth") <= 390
        scrolling = table.evaluate(
            "t => [t, t.parentElement, t.parentElement.parentElement].map(e => e.scrollWidth - e.clientWidth)"
        )
        assert max(scrolling) <= 0
        rights = table.locator("td").evaluate_all("cells => cells.map(c => c.getBoundingClientRect().right)")
        assert len(rights) == 5 * len(PHASES) and max(rights) <= 390
        # Each phase still reads with its weeks and hours, labelled now that the header row is gone.
        expect(table.locator("thead")).to_be_hidden()
        cells = table.locator("tbody tr").first.locator("td")
        label = "(c, where) => getComputedStyle(c, where).content"
        assert cells.nth(1).inner_text() == f"{PHASES[0].weeks.start}–{PHASES[0].weeks.end}"
        assert cells.nth(1).evaluate(label, "::before") == '"Weeks "'
        assert cells.nth(2).evaluate(label, "::after") == '" hours"'
    finally:
        context.close()


# ---- Accessibility of what the planner reveals ----


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_messages_and_status_have_no_serious_violations(visit, scheme):
    set_plan(visit, "10", (dt.date.today() - dt.timedelta(days=14)).isoformat())
    visit.page.get_by_label("Hours per week").fill("0")
    for path in ("phases/", LINKS.site_url("phase", PHASES[0].id)):
        if path != "phases/":
            visit.goto(path)
            expect(visit.page.locator(".md-content .hb-plan-status")).to_be_visible()
        visit.page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        settled(visit.page)
        assert serious_violations(visit.page, rules=PALETTE_RULES[scheme]) == []


# ---- Tab titles (no browser needed) ----


def test_no_page_title_repeats_the_site_name(site):
    titles = {}
    for page in site.rglob("*.html"):
        match = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S)
        if match:
            titles[page.relative_to(site).as_posix()] = match.group(1)
    assert SITE_NAME in titles["index.html"]
    repeated = {path: title for path, title in titles.items() if title.count(SITE_NAME) > 1}
    assert repeated == {}
    assert len(titles) > 100
