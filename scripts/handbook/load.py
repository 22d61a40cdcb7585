"""Stage 1: read one YAML file safely into plain Python values, remembering where each value stood.

The file is parsed into events by libyaml (CParser where available) and the values are built
here, in one pass, so that
- every value's line and column are kept (`Source.at(path)`),
- duplicate keys, anchors, aliases and explicit tags are errors instead of silent surprises,
- plain scalars are typed the way YAML 1.1 types them (`no` is a bool, `1.10` a float), and the
  raw text is kept so the validator can say "put it in quotes".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from .problems import Problem, display_path

MAX_FILE_BYTES = 512 * 1024
MAX_DEPTH = 32
Path_ = tuple[str | int, ...]

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = Resolver()
_constructor = SafeConstructor()
_TYPED = {
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:timestamp": _constructor.construct_yaml_timestamp,
    "tag:yaml.org,2002:null": lambda node: None,
}


@dataclass
class Source:
    """One loaded file: its data, where each value stood, and the raw text of plain scalars."""

    path: str
    data: Any = None
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    raw: dict[Path_, str] = field(default_factory=dict)

    def at(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at `path`, or of its key; else of its nearest parent."""
        if key and path in self.key_marks:
            return self.key_marks[path]
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (1, 1))

    def problem(self, path: Path_, message: str, *, key: bool = False) -> Problem:
        line, col = self.at(path, key=key)
        return Problem(self.path, line, col, message)


class _LoadError(Exception):
    def __init__(self, line: int, col: int, message: str):
        self.line, self.col, self.message = line, col, message


def _mark(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


# The first characters of plain scalars that YAML may read as something other than text; any
# other plain scalar is text without asking the resolver (what it would answer, much faster).
_MAYBE_TYPED = (
    frozenset(_resolver.yaml_implicit_resolvers) if None not in _resolver.yaml_implicit_resolvers else None
)


def _scalar(event: yaml.ScalarEvent) -> tuple[Any, bool]:
    """The value of a scalar and whether YAML typed it implicitly (a plain, unquoted scalar)."""
    if not event.implicit[0]:
        return event.value, False
    if _MAYBE_TYPED is not None and event.value[:1] not in _MAYBE_TYPED:
        return event.value, False
    tag = _resolver.resolve(yaml.ScalarNode, event.value, (True, False))
    build = _TYPED.get(tag)
    if build is None:
        return event.value, False
    try:
        return build(yaml.ScalarNode(tag, event.value)), True
    except (ValueError, OverflowError) as exc:  # `2024-13-45`, `25:00:00`, a 5000-digit number
        kind = "date" if tag.endswith("timestamp") else "number"
        shown = event.value if len(event.value) <= 40 else event.value[:40] + "..."
        message = f"`{shown}` looks like a {kind} but is not a valid one ({exc}); put it in quotes"
        raise _LoadError(*_mark(event.start_mark), message) from None


def _locate(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (1-based, in characters) of a byte offset into the file."""
    start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[start:offset].decode("utf-8", "replace")) + 1


_COLLECTION_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_NODE = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)


def _events(text: str) -> Iterator[yaml.Event]:
    """libyaml's events for `text`, as `yaml.parse` gives them, without its extra call per event."""
    parser = _Parser(text)
    try:
        while (event := parser.get_event()) is not None:
            yield event
    finally:
        parser.dispose()


def _build(text: str, source: Source) -> Any:
    stack: list[tuple[Any, Path_, Any]] = []  # (container, its path, pending key for mappings)
    root: Any = None
    documents = 0
    for event in _events(text):
        kind = type(event)  # libyaml makes exactly these classes: compare, don't walk the hierarchy
        if kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _LoadError(*_mark(event.start_mark), "only one YAML document per file (remove `---`)")
            continue
        if kind is yaml.AliasEvent:
            raise _LoadError(
                *_mark(event.start_mark), "aliases (`*name`) are not allowed; write the value out"
            )
        if kind in _COLLECTION_END:
            container, path, _ = stack.pop()
            if stack:
                _attach(stack, container, path, source, event)
            else:
                root = container
            continue
        if kind not in _NODE:
            continue
        if event.anchor:
            raise _LoadError(*_mark(event.start_mark), "anchors (`&name`) are not allowed; write values out")
        if event.tag and event.tag != "!":
            raise _LoadError(
                *_mark(event.start_mark), f"tags like `{event.tag}` are not allowed; write a plain value"
            )

        # A new value: find the path it will live at.
        if stack and type(stack[-1][0]) is dict and stack[-1][2] is None:
            # This is a key.
            if kind is not yaml.ScalarEvent:
                raise _LoadError(*_mark(event.start_mark), "mapping keys must be plain text")
            key, implicit = _scalar(event)
            if not isinstance(key, str):
                raise _LoadError(
                    *_mark(event.start_mark), f"key `{event.value}` is read as {type(key).__name__}; quote it"
                )
            parent, ppath, _ = stack[-1]
            if key in parent:
                first = source.key_marks[(*ppath, key)]
                raise _LoadError(
                    *_mark(event.start_mark),
                    f"duplicate key `{key}` (first defined at line {first[0]}); YAML would keep only the last",
                )
            stack[-1] = (parent, ppath, key)
            source.key_marks[(*ppath, key)] = _mark(event.start_mark)
            continue

        if stack:
            parent, ppath, pending = stack[-1]
            path: Path_ = (*ppath, pending) if type(parent) is dict else (*ppath, len(parent))
        else:
            path = ()
        if len(path) > MAX_DEPTH:
            raise _LoadError(*_mark(event.start_mark), f"nested deeper than {MAX_DEPTH} levels")
        source.marks[path] = _mark(event.start_mark)

        if kind is yaml.MappingStartEvent:
            stack.append(({}, path, None))
        elif kind is yaml.SequenceStartEvent:
            stack.append(([], path, None))
        else:
            value, implicit = _scalar(event)
            if implicit:
                source.raw[path] = event.value
            if stack:
                _attach(stack, value, path, source, event)
            else:
                root = value
    return root


def _attach(stack: list[tuple[Any, Path_, Any]], value: Any, path: Path_, source: Source, event: Any) -> None:
    parent, ppath, pending = stack[-1]
    if type(parent) is dict:
        parent[pending] = value
        stack[-1] = (parent, ppath, None)
    else:
        parent.append(value)


def load(file: Path) -> tuple[Source, list[Problem]]:
    """Read one spec file. Returns the source and any problems; `source.data` is None on failure."""
    source = Source(display_path(file))

    def fail(line: int, col: int, message: str) -> tuple[Source, list[Problem]]:
        return source, [Problem(source.path, line, col, message)]

    if file.is_symlink():
        return fail(1, 1, "symbolic links are not allowed in the spec folder; put the file itself here")
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            return fail(1, 1, f"file is {size} bytes; the limit is {MAX_FILE_BYTES} (split it up)")
        data = file.read_bytes()
    except OSError as exc:
        return fail(1, 1, f"cannot read file: {exc.strerror}")
    if data.startswith(b"\xef\xbb\xbf"):
        return fail(1, 1, "file starts with a byte-order mark; save it as UTF-8 without BOM")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _locate(data, exc.start)
        return fail(line, col, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8")
    try:
        source.data = _build(text, source)
    except _LoadError as exc:
        return fail(exc.line, exc.col, exc.message)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _mark(mark) if mark else (1, 1)
        what = str(exc.problem or exc.context)
        if exc.context and exc.problem and exc.context_mark:
            cline, ccol = _mark(exc.context_mark)
            what += f" ({exc.context} started at line {cline}, column {ccol})"
        lines = text.splitlines()
        if mark and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            what += "; indent with spaces, not tabs"
        if line > len(lines) and lines and not text.endswith(("\n", "\r", "\x85", "\u2028", "\u2029")):
            line, col = len(lines), len(lines[-1]) + 1  # libyaml counts a line break the file doesn't have
        return fail(line, col, f"YAML syntax error: {what}")
    except yaml.reader.ReaderError as exc:  # libyaml gives a byte offset, not a mark
        line, col = _locate(text.encode("utf-8"), exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return fail(line, col, f"unacceptable character U+{code:04X} ({exc.reason}); remove it")
    except yaml.YAMLError as exc:  # any other error without a mark
        return fail(1, 1, f"YAML error: {exc}")
    if source.data is None:
        return fail(1, 1, "file is empty")
    if not isinstance(source.data, dict):
        return fail(1, 1, "the file must be a mapping of fields (`key: value` lines)")
    return source, []
