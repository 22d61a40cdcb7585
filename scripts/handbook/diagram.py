"""The visual roadmap: one SVG, generated at build time from the spec, no diagram library.

Phases are columns in reading order; each topic is a node linking to its section; prerequisite
links are drawn as curves. Links use `xlink:href`: Material's instant navigation rewrites every
`[href]` element and would fail on SVG links, whose `href` property is read-only. Colours come from CSS custom properties, so the diagram follows the
light and dark palettes, and done topics are marked by the progress script through
`data-progress-id`.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from . import models as m

COL_W, COL_GAP, NODE_H, NODE_GAP, HEAD_H, PAD = 200, 36, 30, 8, 64, 16
MAX_CHARS = 26


def _short(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1].rstrip() + "…"


def roadmap_svg(rm: m.Roadmap, rel: Callable[[str, str], str]) -> str:
    """`rel(kind, id)` gives the relative address of a phase or topic from the page holding the SVG."""
    pos: dict[str, tuple[float, float]] = {}
    nodes: list[str] = []
    heights = []
    for col, phase in enumerate(rm.phases):
        x = PAD + col * (COL_W + COL_GAP)
        y = PAD + HEAD_H
        label = escape(f"{col + 1}. {phase.title}")
        nodes.append(
            f'<a xlink:href="{escape(rel("phase", phase.id))}" class="hb-map__phase">'
            f"<title>{label}: weeks {phase.weeks.start}–{phase.weeks.end}, about {phase.hours} hours</title>"
            f'<rect x="{x}" y="{PAD}" width="{COL_W}" height="{HEAD_H - 12}" rx="6"/>'
            f'<text x="{x + 10}" y="{PAD + 22}" class="hb-map__title">{escape(_short(f"{col + 1}. {phase.title}"))}</text>'
            f'<text x="{x + 10}" y="{PAD + 42}" class="hb-map__weeks">Weeks {phase.weeks.start}–{phase.weeks.end} · {phase.hours} h</text></a>'
        )
        groups: list[tuple[str | None, list[m.Topic]]] = [(None, list(phase.topics))]
        groups += [(t.title, list(t.topics)) for t in phase.tracks]
        for group, topics in groups:
            if group and topics:
                nodes.append(
                    f'<text x="{x + 4}" y="{y + 16}" class="hb-map__group">{escape(_short(group))}</text>'
                )
                y += 24
            for topic in topics:
                pos[topic.id] = (x, y + NODE_H / 2)
                nodes.append(
                    f'<a xlink:href="{escape(rel("topic", topic.id))}" class="hb-map__topic" data-progress-id="{escape(topic.id)}">'
                    f"<title>{escape(topic.title)}</title>"
                    f'<rect x="{x}" y="{y}" width="{COL_W}" height="{NODE_H}" rx="4"/>'
                    f'<text x="{x + 10}" y="{y + 20}">{escape(_short(topic.title))}</text></a>'
                )
                y += NODE_H + NODE_GAP
        heights.append(y)
    edges = []
    for phase in rm.phases:
        for topic in phase.all_topics():
            x2, y2 = pos[topic.id]
            for pre in topic.prerequisites:
                x1, y1 = pos[pre]
                if x1 == x2:
                    continue  # within one column the order already shows it
                sx, tx = x1 + COL_W, x2
                mid = (sx + tx) / 2
                edges.append(f'<path d="M{sx} {y1} C{mid} {y1} {mid} {y2} {tx} {y2}"/>')
    width = PAD * 2 + len(rm.phases) * COL_W + (len(rm.phases) - 1) * COL_GAP
    height = max(heights, default=HEAD_H) + PAD
    topics = sum(len(p.all_topics()) for p in rm.phases)
    desc = (
        f"{len(rm.phases)} phases from left to right, {topics} topics in study order within each phase; "
        "curves connect a topic to the topics it builds on in earlier phases. Every box links to its page."
    )
    return (
        f'<svg class="hb-map" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" aria-labelledby="hb-map-title hb-map-desc">'
        f'<title id="hb-map-title">The handbook at a glance: every phase and topic</title>'
        f'<desc id="hb-map-desc">{escape(desc)}</desc>'
        f'<g class="hb-map__edges" aria-hidden="true">{"".join(edges)}</g>'
        f'<g class="hb-map__nodes">{"".join(nodes)}</g></svg>'
    )
