"""The map of the year ("The year on one page"): HTML lists, generated at build time from the spec.

Phases are stacked in reading order; each phase's topics are a grid of boxes in study order, and a
phase's tracks are sub-groups beside each other inside it, so the map never grows wider than the
page. Titles are never shortened: boxes wrap their text (the stylesheet lays the grid out; on a
phone it becomes one column). Each topic box links to its topic page and carries
`data-progress-id`, so the progress script can mark it done (`hb-done`) or next (`hb-next-up`).

Prerequisites: each topic names the topics it builds on in a description (`aria-describedby`), which
the stylesheet shows beside the box on hover and keyboard focus, and `data-pre` lists their ids so
`javascripts/map.js` can highlight those boxes and draw curves to them. Without JavaScript the map is
plain nested lists of links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html import escape

from . import models as m


def _topics(topics: list[m.Topic], titles: dict[str, str], rel: Callable[[str, str], str]) -> Iterator[str]:
    yield '<ol class="hb-map__topics">'
    for topic in topics:
        tid = escape(topic.id)
        link = f'<a class="hb-map__topic" href="{escape(rel("topic", topic.id))}" data-progress-id="{tid}"'
        if topic.prerequisites:
            names = "; ".join(titles[p] for p in topic.prerequisites)
            yield (
                f'<li>{link} data-pre="{escape(" ".join(topic.prerequisites))}" aria-describedby="hb-map-pre-{tid}">'
                f'{escape(topic.title)}</a><span class="hb-map__pre" id="hb-map-pre-{tid}">'
                f"Builds on: {escape(names)}</span></li>"
            )
        else:
            yield f"<li>{link}>{escape(topic.title)}</a></li>"
    yield "</ol>"


def roadmap_map(rm: m.Roadmap, rel: Callable[[str, str], str]) -> str:
    """`rel(kind, id)` gives the relative address of a phase, track or topic from the page holding the map."""
    titles = {t.id: t.title for p in rm.phases for t in p.all_topics()}
    lines = ['<div class="hb-map">', '<ol class="hb-map__phases">']
    for number, phase in enumerate(rm.phases, 1):
        lines.append(
            f'<li class="hb-map__phase"><a class="hb-map__head" href="{escape(rel("phase", phase.id))}">'
            f"<strong>{number}. {escape(phase.title)}</strong> "
            f'<span class="hb-map__weeks">Weeks {phase.weeks.start}–{phase.weeks.end} · {phase.hours} h</span></a>'
        )
        if phase.topics:
            lines += _topics(phase.topics, titles, rel)
        if phase.tracks:
            lines.append('<ul class="hb-map__tracks">')
            for track in phase.tracks:
                lines.append(
                    f'<li class="hb-map__track"><a class="hb-map__group" href="{escape(rel("track", track.id))}">'
                    f"{escape(track.title)}</a>"
                )
                lines += _topics(track.topics, titles, rel)
                lines.append("</li>")
            lines.append("</ul>")
        lines.append("</li>")
    lines += ["</ol>", "</div>"]
    return "\n".join(lines)
