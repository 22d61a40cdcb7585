"""Stage 3: turn the validated spec into page text, one Jinja template (a file) per kind of page.

`render(spec)` returns {path relative to the docs folder: text}. Every value from YAML goes
through the `md` or `paras` filter, which escapes HTML and Markdown syntax, so a title written
as `<script>` or `**bold**` shows as written. `PAGES` is the dispatch: each entry names the
function that lists one kind of page.
"""

from __future__ import annotations

import calendar
import functools
import html
import json
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from . import layout
from . import models as m
from .diagram import roadmap_map
from .exports import bib_entry, bibtex, roadmap_json
from .validate import Spec

_BACKSLASHED = set("\\`*_{}[]()#+-.!")
_ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "|": "&#124;",
    "=": "&#61;",
    "~": "&#126;",
    "?": "&#63;",
    "$": "&#36;",
    "^": "&#94;",
    ":": "&#58;",
}


# `md` replaces one character at a time with str.replace, which is many times faster than
# str.translate with multi-character replacements. The order makes it the same as replacing all at
# once: backslashes first (later steps insert them), `#` before `&` (entities insert both), `&`
# before the other entities.
_MD_STEPS = (
    ("\\", "\\\\"),
    *((ch, "\\" + ch) for ch in sorted(_BACKSLASHED - {"\\"})),
    ("&", _ENTITIES["&"]),
    *((ch, entity) for ch, entity in _ENTITIES.items() if ch != "&"),
)


def md(text: object) -> str:
    """Escape plain text for inline Markdown: it renders exactly as written, never as markup."""
    text = " ".join(str(text).split())
    for ch, escaped in _MD_STEPS:
        if ch in text:
            text = text.replace(ch, escaped)
    return text


def paras(text: str) -> str:
    """Escape multi-paragraph plain text; blank lines separate paragraphs."""
    return "\n\n".join(md(p) for p in re.split(r"\n\s*\n", text.strip()) if p.strip())


def attr(text: object) -> str:
    """Escape for an HTML attribute that sits inside Markdown: every character that is not a letter,
    digit or space becomes a numeric entity, so neither HTML (`"`, `<`) nor Markdown (`|` in a table,
    backticks, `[x](...)`) can act on it. Browsers decode the entities back to the text."""
    return _NOT_ALNUM.sub(_char_entity, " ".join(str(text).split()))


_NOT_ALNUM = re.compile(r"[^\w ]|_")  # \w is str.isalnum() plus "_"


def _char_entity(match: re.Match[str]) -> str:
    return f"&#{ord(match.group())};"


def url(address: str) -> str:
    """A validated https address made safe inside Markdown link parentheses."""
    return (
        address.replace(" ", "%20")
        .replace("(", "%28")
        .replace(")", "%29")
        .replace("<", "%3C")
        .replace(">", "%3E")
    )


def month(year_month: str) -> str:
    """`2026-11` as "November 2026"."""
    year, number = year_month.split("-")
    return f"{calendar.month_name[int(number)]} {year}"


_JSON = json.JSONEncoder(
    ensure_ascii=False
)  # json.dumps(v, ensure_ascii=False), without a new encoder per call


def front_matter(**fields: Any) -> str:
    """YAML front matter. Text values are HTML-escaped: MkDocs and Material write `title` and
    `description` into the navigation, `<title>` and `<meta>` without escaping them."""
    lines = ["---"] + [
        f"{k}: {_JSON.encode(html.escape(v, quote=True) if isinstance(v, str) else v)}"
        for k, v in fields.items()
        if v is not None
    ]
    return "\n".join([*lines, "---", ""])


@dataclass(frozen=True)
class Target:
    page: str  # Markdown path relative to the docs folder
    anchor: str = ""


def relpath(path: str, start: str) -> str:
    """`posixpath.relpath` for the generator's relative page paths, without its two `getcwd` calls
    (a 10,000-topic spec asks for hundreds of thousands of these). Paths with `..` or a leading
    `/` go to `posixpath.relpath` itself."""
    if not path or ".." in path or ".." in start or path[0] == "/" or start[:1] == "/":
        return posixpath.relpath(path, start)
    to = [part for part in path.split("/") if part and part != "."]
    frm = [part for part in start.split("/") if part and part != "."]
    common = 0
    for a, b in zip(to, frm, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(frm) - common) + to[common:]) or "."


class Links:
    """Where every phase, track, topic, paper and term lives, and relative links between pages."""

    def __init__(self, spec: Spec, *, directory_urls: bool = True):
        rm = spec.roadmap
        self.directory_urls = directory_urls
        self.targets: dict[tuple[str, str], Target] = {}
        self.titles: dict[tuple[str, str], str] = {}
        for phase in rm.phases:
            self._add("phase", phase.id, Target(phase_page(phase)), phase.title)
            for topic in phase.topics:
                self._add("topic", topic.id, Target(layout.topic_page(phase.id, topic.id)), topic.title)
            for track in phase.tracks:
                self._add("track", track.id, Target(track_page(phase, track)), track.title)
                for topic in track.topics:
                    page = layout.topic_page(phase.id, topic.id, track.id)
                    self._add("topic", topic.id, Target(page), topic.title)
        for paper in rm.papers:
            self._add("paper", paper.id, Target(layout.PAPERS_PAGE, paper.id), paper.title)
        for term in rm.glossary:
            self._add("term", term.id, Target(layout.GLOSSARY_PAGE, term.id), term.term)

    def _add(self, kind: str, ident: str, target: Target, title: str) -> None:
        self.targets[kind, ident] = target
        self.titles[kind, ident] = title

    def href(self, kind: str, ident: str, *, frm: str) -> str:
        target = self.targets[kind, ident]
        rel = relpath(target.page, posixpath.dirname(frm) or ".")
        if target.page == frm:
            rel = ""
        return f"{rel}#{target.anchor}" if target.anchor else rel

    def url_from(self, kind: str, ident: str, page_dir: str) -> str:
        """Relative address for raw HTML (which MkDocs does not rewrite) on a page in `page_dir`."""
        path, _, anchor = self.site_url(kind, ident).partition("#")
        rel = relpath(path or ".", page_dir or ".")
        if self.directory_urls:
            rel = "./" if rel == "." else rel + "/"
        return rel + (f"#{anchor}" if anchor else "")

    def site_url(self, kind: str, ident: str) -> str:
        """The page's address relative to the site root: `phases/x/` with directory URLs (the web
        site), `phases/x.html` without them (the offline copy)."""
        target = self.targets[kind, ident]
        page = target.page.removesuffix(".md")
        if not self.directory_urls:
            page += ".html"
        elif page == "index" or page.endswith("/index"):
            page = page.removesuffix("index")
        else:
            page += "/"
        return page + (f"#{target.anchor}" if target.anchor else "")


def progress_attrs(phase: m.Phase, track: m.Track | None = None) -> str:
    """HTML attributes the progress script reads: the ids a reader ticks on the page (topics,
    practice tasks, projects and milestone checks), and for a phase with tracks, one group per track
    (its topics and projects) of which the reader's best one counts. A track counts its own topics
    and projects."""
    if track:
        ids, groups = [t.id for t in track.topics] + [b.id for b in track.build], []
    else:
        items = [phase.topics, phase.practice, phase.build, phase.milestone.checks]
        ids = [item.id for kind in items for item in kind]
        groups = [[t.id for t in tr.topics] + [b.id for b in tr.build] for tr in phase.tracks]
    out = f'data-progress-ids="{" ".join(ids)}"'
    if groups:
        out += f" data-progress-choose='{json.dumps(groups, separators=(',', ':'))}'"
    return out


def progress_bar(phase: m.Phase, track: m.Track | None = None) -> str:
    """The progress bar of a phase or track page, saying what it counts (so a count of 37 is
    explained). Hidden until the progress script fills it, but laid out already, so showing it moves
    nothing; left out of the search index, like the tick boxes."""
    if track:
        what = [_count(len(track.topics), "topic"), _count(len(track.build), "project")]
    else:
        what = [_count(len(phase.topics), "shared topic" if phase.tracks else "topic")]
        if phase.tracks:
            what.append("the topics and projects of the track you have ticked most in")
        what += [_count(len(phase.practice), "practice task"), _count(len(phase.build), "project")]
        what.append(_count(len(phase.milestone.checks), "milestone check"))
    parts = [w for w in what if w]
    listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    return (
        f'<div class="hb-progress" {progress_attrs(phase, track)} data-progress-label="Progress in this '
        f'{"track" if track else "phase"}" data-search-exclude hidden><progress value="0"></progress>'
        f'<span class="hb-progress__text"></span><span class="hb-progress__what">Counts {listed}.</span></div>'
    )


def _count(n: int, noun: str) -> str:
    """ "1 topic", "3 topics"; nothing for none."""
    return f"{n} {noun}{'' if n == 1 else 's'}" if n else ""


def learning_path(rm: m.Roadmap, url_for: Callable[[str, str], str]) -> str:
    """The reading order as data for the page scripts ("Next up", plan dates, ticks in the nav): a
    hidden element whose `data-hb-path` holds JSON with every phase and every topic in reading
    order, each with its title, hours and an address that works from the page that carries it."""
    phases, topics = [], []
    for phase in rm.phases:
        phases.append(
            {"id": phase.id, "title": phase.title, "url": url_for("phase", phase.id), "hours": phase.hours}
        )
        for track, topic in [(None, t) for t in phase.topics] + [
            (tr.id, t) for tr in phase.tracks for t in tr.topics
        ]:
            topics.append(
                {
                    "id": topic.id,
                    "title": topic.title,
                    "url": url_for("topic", topic.id),
                    "hours": topic.hours or 0,
                    "phase": phase.id,
                    "track": track,
                }
            )
    data = json.dumps({"phases": phases, "topics": topics}, ensure_ascii=False, separators=(",", ":"))
    data = html.escape(data, quote=False).replace("'", "&#39;")  # for a single-quoted attribute
    return f"<div class=\"hb-path\" hidden data-hb-path='{data}'></div>"


def commitment(rm: m.Roadmap) -> dict[str, int]:
    """The year as the spec states it: total hours, total weeks and the pace they imply (hours a week,
    rounded half up), for the home page's first screen and the planner's default."""
    hours = sum(p.hours for p in rm.phases)
    weeks = rm.phases[-1].weeks.end - rm.phases[0].weeks.start + 1
    return {"hours": hours, "weeks": weeks, "pace": max(1, int(hours / weeks + 0.5))}


def phase_page(phase: m.Phase) -> str:
    return layout.phase_page(phase.id)


def track_page(phase: m.Phase, track: m.Track) -> str:
    return layout.track_page(phase.id, track.id)


@dataclass(frozen=True)
class PageJob:
    path: str  # where the text is read from: relative links are computed from here
    template: str
    context: dict[str, Any]
    output: str | None = None  # where it is written, when that differs from `path`


@functools.cache
def _environment() -> Environment:
    """One environment per process: templates are compiled once, however often the spec is rendered."""
    env = Environment(
        loader=PackageLoader("handbook", "templates"),
        autoescape=False,  # Markdown, not HTML: escaping is explicit through the filters below
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
        auto_reload=False,  # compiled once per process: no stat of the template file on every page
    )
    env.filters.update(md=md, paras=paras, attr=attr, url=url, month=month)
    env.globals.update(front_matter=front_matter)
    return env


# --- what each kind of page needs ------------------------------------------------------------


def _topic_pages(
    phase: m.Phase, track: m.Track | None, topics: list[m.Topic], context: dict[str, Any]
) -> Iterator[PageJob]:
    for position, topic in enumerate(topics, start=1):
        yield PageJob(
            layout.topic_page(phase.id, topic.id, track.id if track else None),
            "topic.md.j2",
            {**context, "track": track, "topic": topic, "position": position, "count": len(topics)},
        )


def _phase_pages(spec: Spec, links: Links) -> Iterator[PageJob]:
    for number, phase in enumerate(spec.roadmap.phases, start=1):
        context = {"phase": phase, "number": number, "source": spec.source_path(spec.phase_file(phase.id))}
        index = phase_page(phase)
        children = [links.targets["topic", t.id].page for t in phase.topics]
        children += [track_page(phase, track) for track in phase.tracks]
        checklist = layout.checklist_page(phase.id)
        link = relpath(checklist, posixpath.dirname(index))
        yield PageJob(index, "phase.md.j2", {**context, "checklist": link})
        yield PageJob(checklist, "checklist.md.j2", context)
        yield _folder_nav(index, phase.title, children, context)
        yield from _topic_pages(phase, None, phase.topics, context)
        for track in phase.tracks:
            index = track_page(phase, track)
            children = [links.targets["topic", t.id].page for t in track.topics]
            yield PageJob(index, "track.md.j2", {**context, "track": track})
            yield _folder_nav(index, track.title, children, context)
            yield from _topic_pages(phase, track, track.topics, context)


def _folder_nav(index: str, title: str, children: list[str], context: dict[str, Any]) -> PageJob:
    """The nav file of a phase's or track's folder: its index first, then its pages in reading order."""
    pages = [layout.nav_entry(page, index) for page in children]
    return PageJob(layout.nav_file(index), "folder-nav.yml.j2", {**context, "title": title, "pages": pages})


def _overview_pages(spec: Spec, links: Links) -> Iterator[PageJob]:
    yield PageJob(layout.PHASES_INDEX, "phases-index.md.j2", {"source": spec.source_path("handbook.yml")})
    pages = [layout.nav_entry(phase_page(p), layout.PHASES_INDEX) for p in spec.roadmap.phases]
    yield PageJob(layout.nav_file(layout.PHASES_INDEX), "phases-nav.yml.j2", {"pages": pages})


def _reference_pages(spec: Spec, links: Links) -> Iterator[PageJob]:
    d = spec.source_path("").rstrip("/")
    yield PageJob(
        layout.PAPERS_PAGE,
        "papers.md.j2",
        {"groups": reading_order(spec), "source": f"{d}/papers.yml", "bib_entry": bib_entry},
    )
    yield PageJob(layout.GLOSSARY_PAGE, "glossary.md.j2", {"source": f"{d}/glossary.yml"})
    yield PageJob("reference/skills.md", "skills.md.j2", {"source": f"{d}/skills.yml"})
    yield PageJob("reference/projects.md", "projects.md.j2", {"source": f"{d}/projects.yml"})
    yield PageJob("reference/tools.md", "tools.md.j2", {"source": f"{d}/tools.yml"})
    yield PageJob("reference/interview-questions.md", "interview.md.j2", {"source": f"{d}/interview.yml"})
    yield PageJob("reference/next-paths.md", "next-paths.md.j2", {"source": f"{d}/handbook.yml"})
    yield PageJob("reference/.nav.yml", "reference-nav.yml.j2", {})
    yield PageJob("snippets/abbreviations.md", "abbreviations.md.j2", {})


def _home_snippets(spec: Spec, links: Links) -> Iterator[PageJob]:
    # Rendered as if it were index.md, the page that includes it, so its links resolve from there.
    yield PageJob(layout.HOME_PAGE, "phases-table.md.j2", {}, output="snippets/phases-table.md")
    yield PageJob(layout.HOME_PAGE, "home-commitment.md.j2", {}, output="snippets/home-commitment.md")


PAGES: tuple[Callable[[Spec, Links], Iterator[PageJob]], ...] = (
    _overview_pages,
    _phase_pages,
    _reference_pages,
    _home_snippets,
)


def reading_order(spec: Spec) -> list[tuple[m.Phase, list[m.Paper]]]:
    """Papers grouped by the phase that first cites them, in the order topics cite them."""
    by_id = {p.id: p for p in spec.roadmap.papers}
    seen: set[str] = set()
    groups = []
    for phase in spec.roadmap.phases:
        papers = []
        for topic in phase.all_topics():
            for pid in topic.papers:
                if pid not in seen:
                    seen.add(pid)
                    papers.append(by_id[pid])
        if papers:
            groups.append((phase, papers))
    return groups


def render(spec: Spec, *, directory_urls: bool = True) -> dict[str, str]:
    """Every generated file's text, keyed by its path relative to the docs folder."""
    env = _environment()
    links = Links(spec, directory_urls=directory_urls)
    rm = spec.roadmap

    @functools.cache
    def path_data_under(root: str) -> str:
        """The reading-order data for pages `root` away from the site root: every address is that
        prefix plus the page's site address, so pages at the same depth share one text."""
        return learning_path(rm, lambda kind, ident: root + links.site_url(kind, ident))

    abbr_of = {t.term.lower(): t.abbr for t in rm.glossary if t.abbr}

    def heading(topic: m.Topic) -> str:
        """A topic's title, with its abbreviation when the glossary has one: "Direct preference
        optimization (DPO)", so a reader searching for "DPO" lands on the lesson, not a passing mention."""
        abbr = abbr_of.get(topic.title.lower())
        return f"{topic.title} ({abbr})" if abbr and abbr not in topic.title else topic.title

    common = {
        "rm": rm,
        "papers": {p.id: p for p in rm.papers},
        "terms": {t.id: t for t in rm.glossary},
        "titles": links.titles,
        "heading": heading,
        "progress_attrs": progress_attrs,
        "commitment": commitment(rm),
        "progress_bar": progress_bar,
        "roadmap_map": lambda page_dir: roadmap_map(
            rm, lambda kind, ident: links.url_from(kind, ident, page_dir)
        ),
        "url_from": links.url_from,
        "boost": layout.SEARCH_BOOST,
    }
    out: dict[str, str] = {}
    for pages in PAGES:
        for job in pages(spec, links):

            def href(kind: str, ident: str, _frm: str = job.path) -> str:
                return links.href(kind, ident, frm=_frm)

            def path_data(_dir: str = posixpath.dirname(job.path)) -> str:
                return path_data_under("../" * (_dir.count("/") + 1) if _dir else "")

            text = env.get_template(job.template).render(
                **common, **job.context, href=href, learning_path=path_data
            )
            out[job.output or job.path] = text
    out[layout.BIBTEX_FILE] = bibtex(rm)
    out["roadmap.json"] = roadmap_json(rm, links.site_url)
    return out
