"""The map of the year (diagram.roadmap_map): every phase and topic once, in reading order, titles in
full, prerequisites named, escaped, and the same bytes on every build."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from handbook.diagram import roadmap_map
from handbook.render import Links
from handbook.validate import read_spec
from helpers import FIXTURES, ROOT


class Markup(HTMLParser):
    """The map's links and descriptions: each link as (attributes, text), each described span by id."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[dict[str, str], str]] = []
        self.spans: dict[str, str] = {}
        self.tags: list[str] = []
        self._open: list[tuple[str, dict[str, str], list[str]]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._open.append((tag, {k: v or "" for k, v in attrs}, []))

    def handle_endtag(self, tag):
        name, attrs, text = self._open.pop()
        assert name == tag, f"<{name}> closed by </{tag}>"
        content = "".join(text)
        if tag == "a":
            self.links.append((attrs, content))
        elif tag == "span" and "id" in attrs:
            self.spans[attrs["id"]] = content
        if self._open:
            self._open[-1][2].append(content)

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)


def build(spec_dir):
    spec = read_spec(spec_dir)
    links = Links(spec)
    return (
        spec.roadmap,
        links,
        roadmap_map(spec.roadmap, lambda kind, ident: links.url_from(kind, ident, "phases")),
    )


SPECS = {"real": ROOT / "roadmap", "minimal": FIXTURES / "minimal", "hostile": FIXTURES / "hostile"}


@pytest.fixture(params=sorted(SPECS), scope="module")
def made(request):
    return build(SPECS[request.param])


def test_every_topic_once_in_reading_order_with_its_full_title_and_page(made):
    rm, links, text = made
    markup = Markup(text)
    topics = [(a, label) for a, label in markup.links if a.get("class") == "hb-map__topic"]
    # Reading order: each phase's shared topics, then each of its tracks' topics.
    expected = [t for p in rm.phases for t in [*p.topics, *(t for track in p.tracks for t in track.topics)]]
    assert [a["data-progress-id"] for a, _ in topics] == [t.id for t in expected]
    for (attrs, label), topic in zip(topics, expected, strict=True):
        assert label == topic.title  # the whole title, never shortened
        assert attrs["href"] == links.url_from("topic", topic.id, "phases")


def test_phase_and_track_titles_link_to_their_pages_in_full(made):
    rm, links, text = made
    markup = Markup(text)
    heads = [(a["href"], label) for a, label in markup.links if a.get("class") == "hb-map__head"]
    assert heads == [
        (
            links.url_from("phase", p.id, "phases"),
            f"{n}. {p.title} Weeks {p.weeks.start}–{p.weeks.end} · {p.hours} h",
        )
        for n, p in enumerate(rm.phases, 1)
    ]
    groups = [(a["href"], label) for a, label in markup.links if a.get("class") == "hb-map__group"]
    assert groups == [(links.url_from("track", t.id, "phases"), t.title) for p in rm.phases for t in p.tracks]


def test_each_topic_names_what_it_builds_on(made):
    rm, _, text = made
    markup = Markup(text)
    titles = {t.id: t.title for p in rm.phases for t in p.all_topics()}
    by_id = {a["data-progress-id"]: a for a, _ in markup.links if a.get("class") == "hb-map__topic"}
    for topic in (t for p in rm.phases for t in p.all_topics()):
        attrs = by_id[topic.id]
        if not topic.prerequisites:
            assert "data-pre" not in attrs and "aria-describedby" not in attrs
            continue
        assert attrs["data-pre"].split() == topic.prerequisites
        described = markup.spans[attrs["aria-describedby"]]
        assert described == "Builds on: " + "; ".join(titles[p] for p in topic.prerequisites)


def test_real_handbook_has_tracks_and_prerequisites_to_show():
    """The cases above are exercised on the real handbook: tracks exist and most topics build on others."""
    rm, _, text = build(SPECS["real"])
    assert any(p.tracks for p in rm.phases)
    assert text.count("aria-describedby=") > len([t for p in rm.phases for t in p.all_topics()]) // 2


def test_hostile_titles_stay_text():
    _, _, text = build(SPECS["hostile"])
    assert set(Markup(text).tags) <= {"div", "ol", "ul", "li", "a", "strong", "span"}
    assert "<script" not in text and "<img" not in text


def test_same_spec_gives_the_same_bytes():
    assert build(SPECS["real"])[2] == build(SPECS["real"])[2]
