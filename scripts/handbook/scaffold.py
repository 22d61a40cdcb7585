"""`handbook new`: append a schema-valid skeleton of a topic or a paper to the right spec file.

The spec is read and checked first (`read_spec`); the new record must pass its model, with the
validator's messages, and its id must be free. Then the file is edited as text, in place: the new block
goes after the last item of the right list (a phase's `topics`, a track's `topics`, or `papers` in
papers.yml), with the indentation that list already uses, found from the positions the loader kept, and
nothing else in the file changes, comments and formatting included. Before the file is replaced, the
new text is loaded again and must hold exactly the old data plus the new record; otherwise nothing is
written.

The placeholders are valid values that say what to write (`Write at least 120 words ...`), so the
spec still passes `handbook check` and the author sees at once what is left to fill in.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import models as m
from .freshness import this_month
from .load import Path_, Source, load
from .problems import Problem, SpecError, display_path
from .validate import RESERVED_IDS, Index, Located, did_you_mean, read_spec, reserved, validate_model
from .write import atomic_write


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


class _Dumper(yaml.SafeDumper):
    """Block YAML as the spec writes it: lists indented under their key, text with line breaks as `|`,
    quotes only where needed, and double ones."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


_Dumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None
    ),
)


def _render(record: dict[str, Any], first: str, indent: int, comments: dict[str, str]) -> list[str]:
    """Lines of one list item: `first` prefixes its first key (`  - `), later lines get `indent` spaces,
    and each key in `comments` gets its comment line above it."""
    text = yaml.dump(record, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000)
    pad = " " * indent
    lines: list[str] = []
    for n, line in enumerate(text.splitlines()):
        key = line.split(":", 1)[0]
        if key in comments:
            lines.append(f"{pad}# {comments[key]}")
        lines.append(f"{first if n == 0 else pad}{line}" if line else "")
    return lines


TOPIC_COMMENTS = {
    "prerequisites": "Ids of topics to learn first (taught in this phase or an earlier one).",
    "papers": "Ids from papers.yml; `handbook new paper` adds a paper there.",
    "resources": "At least two, each: {title, url (canonical https), type, free, by}.",
}
PAPER_COMMENTS = {
    "url": 'Replace with arxiv: "1706.03762" (quoted), doi: 10.xxxx/..., or the canonical https url.',
}


# --- editing the file ------------------------------------------------------------------------------


def _insertion(lines: list[str], source: Source, items: Path_, count: int) -> tuple[int, str, int]:
    """Where to add to the block list at `items` that holds `count` items: (line index, first-line
    prefix, indent). The new item copies the last one's dash and key columns, and goes where the
    last one's content ends: before the first key or value the loader saw after the list (or the end
    of the file) and the blank lines and comments no deeper than the dash just above that."""
    line, col = source.at((*items, count - 1))
    row, key_col = lines[line - 1], col - 1
    dash = row.rfind("-", 0, key_col)
    if dash < 0 or row[key_col] == "{":  # `- {id: ...}` or an odd layout: two spaces per level
        dash = source.at(items)[1] - 1
        key_col = dash + 2
    inside = max(at for path, at in source.marks.items() if path[: len(items)] == items)
    after = [at for at in (*source.marks.values(), *source.key_marks.values()) if at > inside]
    end = min(after)[0] - 1 if after else len(lines)
    while end > inside[0] and (
        not lines[end - 1].strip()
        or (lines[end - 1].lstrip().startswith("#") and lines[end - 1].index("#") <= dash)
    ):
        end -= 1
    return end, " " * dash + "-" + " " * (key_col - dash - 1), key_col


def _block(
    lines: list[str], source: Source, items: Path_, count: int, record: dict[str, Any], notes: dict[str, str]
) -> tuple[int, list[str], int]:
    """The lines that add `record` to the list at `items`, which holds `count` items: (where they go, the
    lines, the line the record starts on). `lines` loses a `topics: []` line the block replaces."""
    if count:
        line, col = source.at(items)
        if lines[line - 1][col - 1] == "[":
            message = f"write `{items[-1]}` as a block list (one `- id: ...` line per item) to add to it"
            raise _refuse(source, items, message)
        at, first, indent = _insertion(lines, source, items, count)
        return at, _render(record, first, indent, notes), at + 1
    # A phase with `topics: []`, or with topics only in its tracks: a `topics:` block of its own.
    pad = " " * (source.at(())[1] - 1)
    block = [f"{pad}{items[-1]}:", *_render(record, pad + "  - ", len(pad) + 4, notes)]
    if items[-1] in source.data:  # in place of `topics: []`
        at = source.at(items, key=True)[0] - 1
        del lines[at : source.at(items)[0]]
    else:  # before `tracks:` and the comments just above it
        at = source.at(("tracks",), key=True)[0] - 1
        while at > 0 and lines[at - 1].lstrip().startswith("#"):
            at -= 1
    return at, block, at + 2


def _add(
    spec_dir: Path, rel: str, source: Source, items: Path_, record: dict[str, Any], notes: dict[str, str]
) -> int:
    """Insert `record` as the last item of the list at `items` in the file `rel`, prove the new text
    holds the old data plus `record`, then replace the file. Returns the line the record starts on."""
    target = spec_dir / rel
    raw = target.read_bytes()
    lines = raw.decode("utf-8").replace("\r\n", "\n").split("\n")
    expected = copy.deepcopy(source.data)
    listed = expected
    for step in items[:-1]:
        listed = listed[step]
    listed = listed.setdefault(items[-1], [])
    at, block, start = _block(lines, source, items, len(listed), record, notes)
    listed.append(record)
    if at == len(lines):  # the last line has no newline
        lines.append("")
    new_text = "\n".join([*lines[:at], *block, *lines[at:]])
    if b"\r\n" in raw:  # keep the file's Windows line endings
        new_text = new_text.replace("\n", "\r\n")
    tmp = target.with_name(f".{target.name}.new")
    try:
        tmp.write_text(new_text, encoding="utf-8", newline="")
        reloaded, problems = load(tmp)
    finally:
        tmp.unlink(missing_ok=True)
    if problems or reloaded.data != expected:  # a bug here, not the contributor's: write nothing
        message = "internal error: the new block did not read back as intended; nothing was written"
        raise SpecError([Problem(source.path, at + 1, 1, message)])
    atomic_write(target, new_text.encode("utf-8"))
    return start


# --- the two commands -----------------------------------------------------------------------------


def _refuse(source: Source, path: Path_, message: str) -> SpecError:
    return SpecError([source.problem(path, message)])


def _refuse_invalid(model: type[m.Model], record: dict[str, Any], where: Located, *more: Problem) -> None:
    """The new record must pass its model; its problems are located at the list it would join."""
    problems = [*validate_model(model, record, where.source, where.path)[1], *more]
    if problems:
        raise SpecError(problems)


def _refuse_taken(ident: str, places: Iterable[tuple[str, Located]], what: str) -> None:
    for used, where in places:
        if used == ident:
            message = f"id `{ident}` is already used here by {what}; choose another id"
            raise SpecError([where.problem(message, "id")])


def new_topic(spec_dir: Path, phase_id: str, ident: str, title: str, track_id: str | None = None) -> Added:
    spec = read_spec(spec_dir)
    phase_ids = spec.roadmap.handbook.phases
    if phase_id not in phase_ids:
        hint = did_you_mean(phase_id, phase_ids) or f" (one of: {', '.join(phase_ids)})"
        raise _refuse(spec.sources["handbook.yml"], ("phases",), f"unknown phase `{phase_id}`{hint}")
    rel = spec.phase_file(phase_id)
    source = spec.sources[rel]
    items: Path_ = ("topics",)
    if track_id is not None:
        tracks = [t.id for t in next(p for p in spec.roadmap.phases if p.id == phase_id).tracks]
        if track_id not in tracks:
            which = f"one of: {', '.join(tracks)}" if tracks else "this phase has no tracks"
            message = f"unknown track `{track_id}` in phase `{phase_id}` ({which})"
            raise _refuse(source, ("tracks",) if tracks else ("id",), message)
        items = ("tracks", tracks.index(track_id), "topics")
    record = topic_skeleton(ident, title)
    _refuse_invalid(m.Topic, record, Located(source, items))
    if ident in RESERVED_IDS:
        raise _refuse(source, items, reserved(ident))
    _refuse_taken(ident, Index(spec).anchors(), "a phase, track, topic, exercise or milestone check")
    line = _add(spec_dir, rel, source, items, record, TOPIC_COMMENTS)
    return Added(
        source.path, line, f"fill in the placeholders of `{ident}`, then preview it with `make serve`"
    )


def new_paper(
    spec_dir: Path, ident: str, title: str, year: int | None = None, arxiv: str | None = None
) -> Added:
    spec = read_spec(spec_dir)
    source = spec.sources.get("papers.yml")
    if source is None:
        message = "there is no papers.yml to add to; create it with one paper first"
        raise SpecError([Problem(display_path(spec_dir / "papers.yml"), 1, 1, message)])
    if year is None:  # from an id named `<first-author>-<year>-<word>`
        year = next((int(w) for w in ident.split("-")[1:] if len(w) == 4 and w.isdigit()), None)
    where = Located(source, ("papers",))
    no_year = (
        f"cannot tell the year from `{ident}`: name papers `<first-author>-<year>-<word>` or pass --year"
    )
    unknown = [where.problem(no_year)] if year is None else []
    record = paper_skeleton(ident, title, 1900 if year is None else year, arxiv)  # 1900: to check the rest
    _refuse_invalid(m.Paper, record, where, *unknown)
    _refuse_taken(ident, ((p.id, w) for p, w in Index(spec).records("papers")), "a paper")
    line = _add(spec_dir, "papers.yml", source, ("papers",), record, PAPER_COMMENTS)
    return Added(
        source.path,
        line,
        f"cite it: add `{ident}` to the `papers` list of a topic in phases/*.yml (`handbook check` "
        "reports a paper no topic cites), then fill in its placeholders",
    )
