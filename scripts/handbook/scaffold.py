"""`handbook new`: append a schema-valid skeleton of a topic or a paper to the right spec file.

The file is edited as text, in place: the new block goes after the last item of the right list
(a phase's `topics`, a track's `topics`, or `papers` in papers.yml), with the indentation that list
already uses, and nothing else in the file changes, comments and formatting included. Before the file
is replaced, the new text is parsed again and must hold exactly the old data plus the new record, and
the record must pass its model; otherwise nothing is written.

The placeholders are valid values that say what to write (`Write at least 120 words ...`), so the
spec still passes `handbook check` and the author sees at once what is left to fill in.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import models as m
from .freshness import this_month
from .load import Path_, Source, load
from .problems import Problem, SpecError
from .validate import Spec, read_spec, topic_places
from .write import atomic_write

_SLUG = re.compile(m.SLUG_PATTERN)
_PAPER_YEAR = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*?-(\d{4})(?:-|$)")
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Added:
    """What `new` did: the file it changed, the line the new record starts on, and a hint."""

    path: str
    line: int
    hint: str


# --- the skeletons ---------------------------------------------------------------------------------


def topic_skeleton(ident: str, title: str) -> dict[str, Any]:
    return {
        "id": ident,
        "title": title,
        "summary": "Write one sentence on what this topic teaches; it is shown in overviews and search.",
        "explanation": (
            "Write at least 120 words: why this topic matters for research work, what a reader should\n"
            "be able to do after studying it, and how it connects to the topics before and after it.\n"
            "\n"
            "Separate paragraphs with a blank line.\n"
        ),
        "key_concepts": ["Write a term a reader should be able to explain after this topic"],
        "prerequisites": [],
        "papers": [],
        "resources": [],
        "questions": [
            {
                "question": f"Write the {n} question: one a learner could get wrong (a why, a computation, a diagnosis)",
                "answer": (
                    "Write a worked answer of a few sentences: the reasoning in the reader's terms, and where\n"
                    "this topic teaches it.\n"
                ),
            }
            for n in ("first", "second")
        ],
        "reviewed": this_month(),
    }


def paper_skeleton(ident: str, title: str, year: int, arxiv: str | None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": ident,
        "title": title,
        "authors": ["Write the first author's full name"],
        "et_al": True,
        "year": year,
        "venue": "Write the venue as published, for example NeurIPS 2017 or arXiv preprint",
    }
    if arxiv:
        record["arxiv"] = arxiv
    else:
        record["url"] = "https://arxiv.org/abs/write-the-arxiv-id-or-use-doi-or-url"
    record["why"] = "Write one line on why a reader of this handbook should read it."
    return record


# --- rendering a record as block YAML -------------------------------------------------------------


def _scalar(value: Any) -> str:
    """A scalar as YAML text that reads back as exactly `value` (plain when safe, else double-quoted)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    assert isinstance(value, str)
    if value and "\n" not in value:
        try:
            if yaml.load(f"k: {value}\n", Loader=_Parser) == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def _render(record: dict[str, Any], first: str, indent: int, comments: dict[str, str]) -> list[str]:
    """Lines of one list item: `first` prefixes its first key (`  - `), later keys get `indent` spaces."""
    pad = " " * indent
    lines: list[str] = []
    for n, (key, value) in enumerate(record.items()):
        lead = first if n == 0 else pad
        if key in comments:
            lines.append(f"{pad}# {comments[key]}")
        if isinstance(value, list) and not value:
            lines.append(f"{lead}{key}: []")
        elif isinstance(value, list):
            lines.append(f"{lead}{key}:")
            for item in value:
                if isinstance(item, dict):
                    lines += _render(item, f"{pad}  - ", indent + 4, {})
                else:
                    lines.append(f"{pad}  - {_scalar(item)}")
        elif isinstance(value, str) and "\n" in value:
            lines.append(f"{lead}{key}: |")
            lines += [f"{pad}  {row}" if row else "" for row in value.rstrip("\n").split("\n")]
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return lines


TOPIC_COMMENTS = {
    "prerequisites": "Ids of topics to learn first (taught in this phase or an earlier one).",
    "papers": "Ids from papers.yml; `handbook new paper` adds a paper there.",
    "resources": "At least two, each: {title, url (canonical https), type, free, by}.",
}
PAPER_COMMENTS = {
    "url": 'Replace with arxiv: "1706.03762" (quoted), doi: 10.xxxx/..., or the canonical https url.',
}


# --- finding where the new item goes --------------------------------------------------------------


def _get(node: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _content_end(node: yaml.Node) -> Any:
    """The end mark of the last character of content in `node` (not of trailing blank lines)."""
    while True:
        if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
            node = node.value[-1][1]
        elif isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
            node = node.value[-1]
        else:
            return node.end_mark


def _last_line(lines: list[str], mark: Any) -> int:
    """0-based index of the last line that holds content, ending at or before `mark`."""
    line = mark.line if mark.column > 0 else mark.line - 1
    while line > 0 and not lines[line].strip():
        line -= 1
    return line


def _insertion(text: str, seq: yaml.SequenceNode) -> tuple[int, str, int]:
    """Where to insert after the last item of a block sequence: (line index, first-line prefix, indent)."""
    lines = text.split("\n")
    last = seq.value[-1]
    key_col = last.start_mark.column
    row = lines[last.start_mark.line]
    dash = row.rfind("-", 0, key_col)
    if dash < 0 or last.flow_style:  # `- {id: ...}` or an odd layout: fall back to two spaces per level
        dash = seq.start_mark.column
        key_col = dash + 2
    prefix = " " * dash + "-" + " " * (key_col - dash - 1)
    return _last_line(lines, _content_end(last)) + 1, prefix, key_col


def _insert(text: str, at: int, block: list[str]) -> str:
    """`text` (with \\n line ends) with `block` inserted before line `at` (0-based)."""
    lines = text.split("\n")
    if at >= len(lines):  # the last line has no newline
        lines.append("")
        at = len(lines) - 1
    return "\n".join([*lines[:at], *block, *lines[at:]])


# --- the two commands -----------------------------------------------------------------------------


def _refuse(path: str, line: int, col: int, message: str) -> SpecError:
    return SpecError([Problem(path, line, col, message)])


def _check_slug(ident: str, source: Source, where: Path_) -> None:
    if not _SLUG.match(ident) or len(ident) > 80:
        line, col = source.at(where)
        raise _refuse(
            source.path,
            line,
            col,
            f"`{ident}` is not a valid id: use lowercase letters, digits and single hyphens"
            " (like `linear-algebra`)",
        )


def _anchor_ids(spec: Spec) -> dict[str, tuple[Source, Path_]]:
    """Phase, track, topic and milestone ids (one namespace: page anchors and progress keys)."""
    ids: dict[str, tuple[Source, Path_]] = {}
    for phase in spec.roadmap.phases:
        source = spec.sources[spec.phase_file(phase.id)]
        ids.setdefault(phase.id, (source, ("id",)))
        for k, track in enumerate(phase.tracks):
            ids.setdefault(track.id, (source, ("tracks", k, "id")))
        for c, check in enumerate(phase.milestone.checks):
            ids.setdefault(check.id, (source, ("milestone", "checks", c, "id")))
    for _, topic, where in topic_places(spec):
        ids.setdefault(topic.id, (where.source, (*where.path, "id")))
    return ids


def _require_block_list(seq: object, source: Source, path: Path_, item: str, *, allow_empty: bool) -> None:
    """New records are appended to a block list; refuse a flow list (`[...]`) or a missing one."""
    if isinstance(seq, yaml.SequenceNode) and not seq.flow_style and (allow_empty or seq.value):
        return
    line, col = source.at(path)
    raise _refuse(
        source.path,
        line,
        col,
        f"write `{path[-1]}` as a block list (one `- id: ...` item per {item}) to add to it",
    )


def _refuse_existing(ident: str, known: dict[str, tuple[Source, Path_]], what: str) -> None:
    if ident in known:
        source, path = known[ident]
        line, col = source.at(path)
        raise _refuse(
            source.path, line, col, f"id `{ident}` is already used here by {what}; choose another id"
        )


def _apply(
    spec_dir: Path,
    rel: str,
    source: Source,
    text: str,
    list_path: Path_,
    record: dict[str, Any],
    model: type[m.Model],
    at: int,
    block: list[str],
) -> int:
    """Insert `block`, prove the file now holds the old data plus `record`, then replace the file."""
    target = spec_dir / rel
    new_text = _insert(text, at, block)
    if b"\r\n" in target.read_bytes():  # keep the file's Windows line endings
        new_text = new_text.replace("\n", "\r\n")
    tmp = target.with_name(f".{target.name}.new")
    try:
        tmp.write_text(new_text, encoding="utf-8", newline="")
        reloaded, problems = load(tmp)
    finally:
        tmp.unlink(missing_ok=True)
    expected = copy.deepcopy(source.data)
    node = expected
    for step in list_path[:-1]:
        node = node[step]
    node.setdefault(list_path[-1], []).append(record)
    if problems or reloaded.data != expected:  # a bug here, not the contributor's: write nothing
        raise _refuse(
            source.path,
            at + 1,
            1,
            "internal error: the new block did not read back as intended; nothing was written",
        )
    model.model_validate(record)
    atomic_write(target, new_text.encode("utf-8"))
    return at + 1


def new_topic(spec_dir: Path, phase_id: str, ident: str, title: str, track_id: str | None = None) -> Added:
    spec = read_spec(spec_dir)
    hb = spec.sources["handbook.yml"]
    phase_ids = spec.roadmap.handbook.phases
    if phase_id not in phase_ids:
        close = difflib.get_close_matches(phase_id, phase_ids, n=1)
        hint = f" (did you mean `{close[0]}`?)" if close else f" (one of: {', '.join(phase_ids)})"
        line, col = hb.at(("phases",))
        raise _refuse(hb.path, line, col, f"unknown phase `{phase_id}`{hint}")
    rel = spec.phase_file(phase_id)
    source = spec.sources[rel]
    phase = next(p for p in spec.roadmap.phases if p.id == phase_id)
    _check_slug(ident, source, ("topics",) if track_id is None else ("tracks",))
    _refuse_existing(ident, _anchor_ids(spec), "a phase, track, topic or milestone check")
    text = (spec_dir / rel).read_text(encoding="utf-8").replace("\r\n", "\n")
    root = yaml.compose(text, Loader=_Parser)
    record = topic_skeleton(ident, title)

    if track_id is not None:
        tracks = [t.id for t in phase.tracks]
        if track_id not in tracks:
            line, col = source.at(("tracks",) if tracks else ("id",))
            which = f"one of: {', '.join(tracks)}" if tracks else "this phase has no tracks"
            raise _refuse(
                source.path, line, col, f"unknown track `{track_id}` in phase `{phase_id}` ({which})"
            )
        k = tracks.index(track_id)
        list_path: Path_ = ("tracks", k, "topics")
        tracks_node = _get(root, "tracks")
        assert isinstance(tracks_node, yaml.SequenceNode)
        seq = _get(tracks_node.value[k], "topics")
    else:
        list_path = ("topics",)
        seq = _get(root, "topics")
        if seq is None or (isinstance(seq, yaml.SequenceNode) and not seq.value):
            return _new_topics_key(spec_dir, rel, source, text, root, record, seq)

    _require_block_list(seq, source, list_path, "topic", allow_empty=True)
    at, first, indent = _insertion(text, seq)
    block = _render(record, first, indent, TOPIC_COMMENTS)
    line = _apply(spec_dir, rel, source, text, list_path, record, m.Topic, at, block)
    return Added(
        source.path,
        line,
        f"fill in the placeholders of `{ident}`, then preview it with `make serve`",
    )


def _new_topics_key(
    spec_dir: Path,
    rel: str,
    source: Source,
    text: str,
    root: yaml.Node,
    record: dict[str, Any],
    existing: yaml.Node | None,
) -> Added:
    """A phase that keeps its topics only in tracks (or has `topics: []`): add a `topics:` block."""
    lines = text.split("\n")
    key_col = root.value[0][0].start_mark.column if isinstance(root, yaml.MappingNode) else 0
    block_lines = ["topics:", *_render(record, " " * key_col + "  - ", key_col + 4, TOPIC_COMMENTS)]
    block_lines[0] = " " * key_col + block_lines[0]
    if existing is not None:  # replace the `topics: []` line
        at = existing.start_mark.line
        del lines[at]
        text = "\n".join(lines)
    else:  # before `tracks:` and the comments just above it
        tracks = _get(root, "tracks")
        key_line = next(k.start_mark.line for k, v in root.value if v is tracks) if tracks else len(lines) - 1
        at = key_line
        while at > 0 and lines[at - 1].lstrip().startswith("#"):
            at -= 1
    line = _apply(spec_dir, rel, source, text, ("topics",), record, m.Topic, at, block_lines)
    return Added(
        source.path,
        line + 1,
        f"fill in the placeholders of `{record['id']}`, then preview it with `make serve`",
    )


def new_paper(
    spec_dir: Path, ident: str, title: str, year: int | None = None, arxiv: str | None = None
) -> Added:
    spec = read_spec(spec_dir)
    rel = "papers.yml"
    source = spec.sources.get(rel)
    if source is None:
        raise _refuse(
            str(spec_dir / rel), 1, 1, "there is no papers.yml to add to; create it with one paper first"
        )
    _check_slug(ident, source, ("papers",))
    known = {p.id: (source, ("papers", i, "id")) for i, p in enumerate(spec.roadmap.papers)}
    _refuse_existing(ident, known, "a paper")
    if year is None:
        found = _PAPER_YEAR.match(ident)
        if not found:
            line, col = source.at(("papers",))
            raise _refuse(
                source.path,
                line,
                col,
                f"cannot tell the year from `{ident}`: name papers `<first-author>-<year>-<word>`"
                " or pass --year",
            )
        year = int(found.group(1))
    if arxiv is not None and not re.match(m.ARXIV_PATTERN, arxiv):
        line, col = source.at(("papers",))
        raise _refuse(
            source.path, line, col, f"malformed arXiv id `{arxiv}`: expected a form like `1706.03762`"
        )
    record = paper_skeleton(ident, title, year, arxiv)
    try:
        m.Paper.model_validate(record)
    except ValueError as exc:
        line, col = source.at(("papers",))
        raise _refuse(source.path, line, col, f"the new paper would not be valid: {exc}") from None
    text = (spec_dir / rel).read_text(encoding="utf-8").replace("\r\n", "\n")
    root = yaml.compose(text, Loader=_Parser)
    seq = _get(root, "papers")
    _require_block_list(seq, source, ("papers",), "paper", allow_empty=False)
    at, first, indent = _insertion(text, seq)
    block = _render(record, first, indent, PAPER_COMMENTS)
    line = _apply(spec_dir, rel, source, text, ("papers",), record, m.Paper, at, block)
    return Added(
        source.path,
        line,
        f"cite it: add `{ident}` to the `papers` list of a topic in phases/*.yml (`handbook check` "
        "reports a paper no topic cites), then fill in its placeholders",
    )
