"""Stage 2: check the loaded files against the models, then check references across files.

`read_spec(spec_dir)` is the one entry point: it returns a `Spec` (the validated `Roadmap` plus
where every record came from) or raises `SpecError` carrying every problem found, each located.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import layout
from . import models as m
from .load import Path_, Source, load
from .problems import Problem, SpecError, display_path

MAX_FILES = 200
M = TypeVar("M", bound=m.Model)
T = TypeVar("T")
# Ids the generator already uses in the shared namespace: phases/index.md and phases/<id>/index.md
# are overview pages (a phase or track `index` would overwrite them), phases/<id>/checklist.md prints a
# phase, `#milestone` heads every phase.
RESERVED_IDS = {
    "index": "an overview page (index.md)",
    layout.CHECKLIST.removesuffix(".md"): f"a phase's printable checklist page ({layout.CHECKLIST})",
    "milestone": "the milestone section's anchor",
    **dict.fromkeys(("papers", "resources", "check-yourself"), "a section anchor on every topic page"),
}
# The files that hold one list of records (from the layout): the Roadmap field they fill -> (file,
# the list's key, a record).
LISTS = {f.records[0]: (name, *f.records[1:]) for name, f in layout.SPEC_FILES.items() if f.records}
_ALL_FIELDS = sorted(
    {
        name
        for cls in vars(m).values()
        if isinstance(cls, type) and issubclass(cls, BaseModel)
        for name in cls.model_fields
    }
)


@dataclass(frozen=True)
class Located:
    """A record and where it stands."""

    source: Source
    path: Path_

    def problem(self, message: str, *sub: str | int) -> Problem:
        return self.source.problem((*self.path, *sub), message)


@dataclass(frozen=True)
class Spec:
    roadmap: m.Roadmap
    sources: dict[str, Source]  # by file name relative to the spec folder, e.g. "phases/deep-learning.yml"
    spec_dir: Path

    project_root: Path | None = None

    def phase_file(self, phase_id: str) -> str:
        return layout.phase_file(phase_id)

    def source_path(self, rel: str) -> str:
        """A spec file's path relative to the project root (where edit links point), posix style."""
        root = (self.project_root or Path.cwd()).resolve()
        spec = self.spec_dir.resolve()
        base = spec.relative_to(root).as_posix() if spec.is_relative_to(root) else spec.name
        return f"{base}/{rel}"


def _describe(value: Any, raw: str | None) -> str:
    if raw is not None and not isinstance(value, str):
        kind = {bool: "a boolean", int: "a number", float: "a number", type(None): "empty (null)"}.get(
            type(value), "a date" if isinstance(value, dt.date) else type(value).__name__
        )
        return f"`{raw}` is read by YAML as {kind}"
    if isinstance(value, dict):
        return "got a mapping"
    if isinstance(value, list):
        return "got a list"
    return f"got `{value!r}`"


_TYPE_NAMES = {
    "int_type": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping of fields",
    "float_type": "a number",
}


@dataclass(frozen=True)
class _Err:
    """One pydantic error, with what a message needs: the field, the value and its YAML text."""

    field: str
    value: Any
    raw: str | None
    ctx: dict[str, Any]
    msg: str


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """A hint naming the option closest to a mistyped `word`, or nothing; `handbook new` uses it too."""
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _not_text(e: _Err) -> str:
    return f"`{e.field}` must be text: {_describe(e.value, e.raw)}" + ("; put it in quotes" if e.raw else "")


def _wrong_type(kind: str) -> Callable[[_Err], str]:
    return lambda e: f"`{e.field}` must be {_TYPE_NAMES[kind]}: {_describe(e.value, e.raw)}"


def _pattern(e: _Err) -> str:
    pattern = e.ctx.get("pattern")
    if pattern == m.SLUG_PATTERN:
        return f"`{e.value}` is not a valid id: use lowercase letters, digits and single hyphens (like `linear-algebra`)"
    if pattern == m.ARXIV_PATTERN:
        return f"malformed arXiv id `{e.value}`: expected a form like `1706.03762` or `hep-th/9901001`"
    if pattern == m.REVIEWED_PATTERN:
        return f'`{e.field}` must be a year and month in quotes, like "2026-11": got `{e.value}`'
    return f"`{e.field}` value `{e.value}` does not match the pattern {pattern}"


# The message for each kind of pydantic error, in the contributor's terms.
MESSAGES: dict[str, Callable[[_Err], str]] = {
    "missing": lambda e: f"missing required field `{e.field}`",
    "extra_forbidden": lambda e: f"unknown field `{e.field}`" + did_you_mean(e.field, _ALL_FIELDS),
    "string_type": _not_text,
    **{kind: _wrong_type(kind) for kind in _TYPE_NAMES},
    "string_pattern_mismatch": _pattern,
    "literal_error": lambda e: f"`{e.field}` must be one of {e.ctx.get('expected')}: got `{e.value}`",
    "too_short": lambda e: f"`{e.field}` needs at least {e.ctx.get('min_length')} item(s)",
    "too_long": lambda e: f"`{e.field}` has more than {e.ctx.get('max_length')} item(s)",
    "string_too_short": lambda e: f"`{e.field}` must not be empty",
    "string_too_long": lambda e: (
        f"`{e.field}` is too long ({len(e.value)} characters; the limit is {e.ctx.get('max_length')})"
    ),
    "greater_than_equal": lambda e: f"`{e.field}` is {e.value}; {e.msg.lower()}",
    "less_than_equal": lambda e: f"`{e.field}` is {e.value}; {e.msg.lower()}",
    "value_error": lambda e: str(e.ctx.get("error", e.msg)),
}


def _message(err: dict[str, Any], path: Path_, raw: str | None) -> str:
    e = _Err(str(path[-1]) if path else "file", err.get("input"), raw, err.get("ctx", {}), err["msg"])
    handler = MESSAGES.get(err["type"])
    return handler(e) if handler else f"`{e.field}`: {e.msg}"


def validate_model(
    model: type[M], data: Any, source: Source, at: Path_ | None = None
) -> tuple[M | None, list[Problem]]:
    """`data` as a `model`, or the problems with it in the contributor's terms. Each problem is located
    at its own place in `source`, or, for a record that is not in the file yet, at `at`."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        errors = exc.errors(include_url=False)
        # A misspelled required field gives "unknown `titel`" and "missing `title`": keep only the first,
        # which already suggests the right name.
        suggested = {
            (*err["loc"][:-1], close)
            for err in errors
            if err["type"] == "extra_forbidden"
            for close in difflib.get_close_matches(str(err["loc"][-1]), _ALL_FIELDS, n=1)
        }
        errors = [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in suggested)]
        for err in errors:
            path = tuple(p for p in err["loc"] if isinstance(p, str | int))
            if at is not None:
                problems.append(source.problem(at, _message(err, path, None)))
                continue
            # pydantic adds the union branch name (e.g. "str") to the location; drop what the file doesn't have.
            if err["type"] != "missing":
                while path and path not in source.marks and path not in source.key_marks:
                    path = path[:-1]
            key = err["type"] == "extra_forbidden"
            problems.append(source.problem(path, _message(err, path, source.raw.get(path)), key=key))
        return None, problems


def _spec_files(spec_dir: Path) -> tuple[list[Path], list[Problem]]:
    files = [
        path
        for path in sorted(spec_dir.rglob("*"))
        if path.relative_to(spec_dir).parts[0] != layout.SCHEMA_DIR  # generated JSON Schemas, not spec files
        and (path.is_symlink() or (path.suffix in {".yml", ".yaml"} and not path.is_dir()))
    ]
    if len(files) <= MAX_FILES:
        return files, []
    return files[:MAX_FILES], [
        Problem(display_path(spec_dir), 1, 1, f"{len(files)} files; the limit is {MAX_FILES}")
    ]


def read_spec(spec_dir: Path, checks: Iterable[str] | None = None) -> Spec:
    """Load, validate and cross-check the spec in `spec_dir`; raise SpecError with every problem.
    `checks` names the cross-file rules to apply (default: all of `CHECKS`)."""
    if not (spec_dir / "handbook.yml").is_file():
        raise SpecError(
            [Problem(display_path(spec_dir / "handbook.yml"), 1, 1, "missing: the spec needs handbook.yml")]
        )
    files, problems = _spec_files(spec_dir)
    sources: dict[str, Source] = {}
    parsed: dict[str, m.Model] = {}
    for file in files:
        rel = file.relative_to(spec_dir).as_posix()
        source, file_problems = load(file)
        problems += file_problems
        if source.data is None:
            continue
        kind = layout.spec_file(rel)
        if kind is None:
            message = f"unexpected file in the spec folder (expected {layout.expected_files()})"
            problems.append(Problem(source.path, 1, 1, message))
            continue
        sources[rel] = source
        record, file_problems = validate_model(getattr(m, kind.model), source.data, source)
        problems += file_problems
        if record is not None:
            parsed[rel] = record
    if problems:
        raise SpecError(problems)

    handbook = parsed["handbook.yml"]
    assert isinstance(handbook, m.HandbookFile)
    phases: list[m.Phase] = []
    hb = sources["handbook.yml"]
    for i, phase_id in enumerate(handbook.phases):
        rel = layout.phase_file(phase_id)
        phase = parsed.get(rel)
        if phase is None:
            problems.append(
                hb.problem(("phases", i), f"phase `{phase_id}` has no file {display_path(spec_dir / rel)}")
            )
        else:
            assert isinstance(phase, m.Phase)
            if phase.id != phase_id:
                # Pages, anchors and edit links are found through the file name: stop before cross-checks.
                message = f"phase id `{phase.id}` must match its file name `{phase_id}`"
                raise SpecError([*problems, sources[rel].problem(("id",), message)])
            phases.append(phase)
    listed = {layout.phase_file(p) for p in handbook.phases}
    for rel, source in sources.items():
        if layout.spec_file(rel) is layout.PHASE_FILE and rel not in listed:
            problems.append(source.problem((), "this phase is not listed under `phases` in handbook.yml"))

    lists = {field: list(getattr(parsed.get(file), key, [])) for field, (file, key, _) in LISTS.items()}
    roadmap = m.Roadmap(handbook=handbook, phases=phases, **lists)
    spec = Spec(roadmap, sources, spec_dir)
    ix = Index(spec)
    problems += [problem for name in (CHECKS if checks is None else checks) for problem in CHECKS[name](ix)]
    if problems:
        raise SpecError(problems)
    return spec


# --- cross-references -------------------------------------------------------------------------


def _phase_records(spec: Spec) -> Iterator[tuple[int, m.Phase, Source]]:
    for index, phase in enumerate(spec.roadmap.phases):
        yield index, phase, spec.sources[spec.phase_file(phase.id)]


def topic_places(spec: Spec) -> Iterator[tuple[int, m.Topic, Located]]:
    """Every topic with its phase index and location, tracks included."""
    for index, phase, source in _phase_records(spec):
        for t, topic in enumerate(phase.topics):
            yield index, topic, Located(source, ("topics", t))
        for k, track in enumerate(phase.tracks):
            for t, topic in enumerate(track.topics):
                yield index, topic, Located(source, ("tracks", k, "topics", t))


def _twice(items: Iterable[tuple[Any, T]]) -> Iterator[tuple[Any, T, T]]:
    """Each value that came before, with where it came first and where again."""
    seen: dict[Any, T] = {}
    for value, where in items:
        if value in seen:
            yield value, seen[value], where
        seen.setdefault(value, where)


def _unique(items: Iterable[tuple[str, Located]], what: str) -> Iterator[Problem]:
    for ident, first, where in _twice(items):
        line, _ = first.source.at((*first.path, "id"))
        yield where.problem(f"duplicate {what} id `{ident}` (first used in {first.source.path}:{line})", "id")


class Index:
    """What the cross-file checks look things up in, computed once per spec."""

    def __init__(self, spec: Spec):
        self.spec = spec
        rm = self.rm = spec.roadmap
        self.topics = list(topic_places(spec))
        self.topic_phase: dict[str, int] = {}
        self.position: dict[str, int] = {}  # reading order: phases in order, shared topics before tracks
        for index, topic, _ in self.topics:
            self.topic_phase.setdefault(topic.id, index)  # a duplicate is reported; the first one counts
            self.position.setdefault(topic.id, len(self.position))
        self.track_of = {t.id: track.title for p in rm.phases for track in p.tracks for t in track.topics}
        self.papers = {p.id for p in rm.papers}
        self.terms = {t.id for t in rm.glossary}
        self.cycles, self.in_cycle = _cycles(self.topics)

    def records(self, field: str) -> Iterator[tuple[Any, Located]]:
        """The records of one list file (a field of `LISTS`), each with where it stands."""
        file, key, _ = LISTS[field]
        for i, record in enumerate(getattr(self.rm, field)):  # none when the file is not there
            yield record, Located(self.spec.sources[file], (key, i))

    def anchors(self) -> Iterator[tuple[str, Located]]:
        """Ids that share one namespace because they become page anchors and progress keys: phases,
        tracks, topics, milestone checks, practice and build items."""
        phases = list(_phase_records(self.spec))
        for _, phase, source in phases:
            yield phase.id, Located(source, ())
            for k, track in enumerate(phase.tracks):
                yield track.id, Located(source, ("tracks", k))
        for _, topic, where in self.topics:
            yield topic.id, where
        for _, phase, source in phases:
            for key in ("practice", "build"):
                for i, item in enumerate(getattr(phase, key)):
                    yield item.id, Located(source, (key, i))
            for k, track in enumerate(phase.tracks):
                for b, item in enumerate(track.build):
                    yield item.id, Located(source, ("tracks", k, "build", b))
            for c, check in enumerate(phase.milestone.checks):
                yield check.id, Located(source, ("milestone", "checks", c))


def _refs(where: Located, field: str, ids: list[str], known: dict[str, Any] | set[str], what: str):
    """Each id in `ids` must name a known record, once."""
    for j, ident in enumerate(ids):
        if ident not in known:
            yield where.problem(f"unknown {what} `{ident}`{did_you_mean(ident, known)}", field, j)
    for ident, _, j in _twice((ident, j) for j, ident in enumerate(ids)):
        yield where.problem(f"`{ident}` is listed twice", field, j)


# --- the cross-file rules, one small function each ------------------------------------------------


def phases_listed_once(ix: Index) -> Iterator[Problem]:
    hb = ix.spec.sources["handbook.yml"]
    for phase_id, _, i in _twice((p, i) for i, p in enumerate(ix.rm.handbook.phases)):
        yield hb.problem(("phases", i), f"phase `{phase_id}` is listed twice")


def anchor_ids_unique(ix: Index) -> Iterator[Problem]:
    yield from _unique(ix.anchors(), "phase, track, topic, exercise or milestone")


def anchor_ids_not_reserved(ix: Index) -> Iterator[Problem]:
    for ident, where in ix.anchors():
        if ident in RESERVED_IDS:
            yield where.problem(reserved(ident), "id")


def reserved(ident: str) -> str:
    """What to say about a reserved id (a key of RESERVED_IDS); `handbook new` says it too."""
    return f"id `{ident}` is reserved: it would collide with {RESERVED_IDS[ident]}"


def record_ids_unique(ix: Index) -> Iterator[Problem]:
    for field, (_, _, what) in LISTS.items():
        yield from _unique(((r.id, w) for r, w in ix.records(field)), what)
    tools = (
        (tool.id, Located(w.source, (*w.path, "tools", j)))
        for cat, w in ix.records("tools")
        for j, tool in enumerate(cat.tools)
    )
    yield from _unique(tools, "tool")


def abbreviations_unique(ix: Index) -> Iterator[Problem]:
    for abbr, _, where in _twice((t.abbr, w) for t, w in ix.records("glossary") if t.abbr):
        yield where.problem(f"abbreviation `{abbr}` is defined twice", "abbr")


def references_resolve(ix: Index) -> Iterator[Problem]:
    topics = ix.topic_phase
    for _, topic, where in ix.topics:
        yield from _refs(where, "prerequisites", topic.prerequisites, topics, "topic")
        yield from _refs(where, "papers", topic.papers, ix.papers, "paper")
    for field, attr, known, what in (
        ("glossary", "related", ix.terms, "glossary term"),
        ("glossary", "topics", topics, "topic"),
        ("skills", "topics", topics, "topic"),
        ("questions", "topics", topics, "topic"),
    ):
        for record, where in ix.records(field):
            yield from _refs(where, attr, getattr(record, attr), known, what)
    phase_ids = {p.id for p in ix.rm.phases}
    for project, where in ix.records("projects"):
        if project.phase not in phase_ids:
            yield where.problem(f"unknown phase `{project.phase}`", "phase")


def no_prerequisite_cycles(ix: Index) -> Iterator[Problem]:
    yield from ix.cycles


def prerequisites_in_reading_order(ix: Index) -> Iterator[Problem]:
    for _, topic, where in ix.topics:
        for j, prereq in enumerate(topic.prerequisites):
            if {topic.id, prereq} <= ix.in_cycle:
                continue  # the cycle is reported once; reordering cannot fix it
            late = _taught_too_late(prereq, topic.id, ix)
            if late:
                yield where.problem(f"prerequisite `{prereq}` {late}", "prerequisites", j)


def resource_urls_unique_per_topic(ix: Index) -> Iterator[Problem]:
    for _, topic, where in ix.topics:
        for _, first, r in _twice((resource.url, r) for r, resource in enumerate(topic.resources)):
            yield where.problem(
                f"resource URL repeats resource {first + 1} of this topic", "resources", r, "url"
            )


def every_paper_cited(ix: Index) -> Iterator[Problem]:
    cited = {pid for _, topic, _ in ix.topics for pid in topic.papers}
    for paper, where in ix.records("papers"):
        if paper.id not in cited:
            yield where.problem(
                f"paper `{paper.id}` is not cited by any topic (add it to a topic's `papers`)", "id"
            )


def weeks_in_order(ix: Index) -> Iterator[Problem]:
    for (_, previous, _), (_, phase, source) in pairwise(_phase_records(ix.spec)):
        if phase.weeks.start <= previous.weeks.end:
            yield source.problem(
                ("weeks",),
                f"weeks {phase.weeks.start}-{phase.weeks.end} overlap or come before the previous phase "
                f"`{previous.id}` (weeks {previous.weeks.start}-{previous.weeks.end})",
            )


# Every rule `handbook check` applies across files, by name. Each can be read and tested alone.
CHECKS: dict[str, Callable[[Index], Iterator[Problem]]] = {
    "phases listed once": phases_listed_once,
    "anchor ids unique": anchor_ids_unique,
    "anchor ids not reserved": anchor_ids_not_reserved,
    "record ids unique": record_ids_unique,
    "abbreviations unique": abbreviations_unique,
    "references resolve": references_resolve,
    "no prerequisite cycles": no_prerequisite_cycles,
    "prerequisites in reading order": prerequisites_in_reading_order,
    "resource URLs unique per topic": resource_urls_unique_per_topic,
    "every paper cited": every_paper_cited,
    "weeks in order": weeks_in_order,
}


def _taught_too_late(prereq: str, topic: str, ix: Index) -> str | None:
    """Why a reader following the handbook in order would not have met `prereq` before `topic`."""
    topic_phase, position, track_of = ix.topic_phase, ix.position, ix.track_of
    if prereq not in position or prereq == topic:  # unknown ids and cycles are reported on their own
        return None
    if topic_phase[prereq] > topic_phase[topic]:
        return f'is taught later, in phase "{ix.rm.phases[topic_phase[prereq]].title}"'
    if position[prereq] > position[topic]:
        return "is taught later in this phase: move it before this topic, or drop the prerequisite"
    if prereq in track_of and track_of[prereq] != track_of.get(topic, track_of[prereq]):
        return f'belongs to "{track_of[prereq]}", which a reader of another track does not take'
    return None


def _cycles(topics: list[tuple[int, m.Topic, Located]]) -> tuple[list[Problem], set[str]]:
    """One problem per prerequisite cycle, located at the edge that closes it (iterative DFS), and
    the ids of every topic on a cycle."""
    graph: dict[str, list[str]] = {}
    where: dict[str, Located] = {}
    for _, topic, w in topics:  # duplicate ids are reported elsewhere; the first one counts here
        graph.setdefault(topic.id, topic.prerequisites)
        where.setdefault(topic.id, w)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    problems: list[Problem] = []
    reported: set[frozenset[str]] = set()
    on_cycle: set[str] = set()
    for root in graph:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(enumerate(graph[root])))]  # the current path, each node with its next edges
        while stack:
            node, edges = stack[-1]
            for j, nxt in edges:
                if state.get(nxt) == 1:
                    trail = [n for n, _ in stack]
                    cycle = [*trail[trail.index(nxt) :], nxt]
                    on_cycle.update(cycle)
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        message = "prerequisite cycle: " + " -> ".join(cycle)
                        problems.append(where[node].problem(message, "prerequisites", j))
                elif nxt in graph and nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, iter(enumerate(graph[nxt]))))
                    break
            else:
                state[node] = 2
                stack.pop()
    return problems, on_cycle
