"""The corpus of broken specs: every mistake a contributor can make in roadmap/, each as a small
edit of the minimal fixture and the located message `handbook` must give for it.

tests/test_adversarial.py runs every case through `handbook build` (exit 1, the message at its
`path:line:col`, nothing generated or built before is lost); tests/test_validate.py runs the cases
of the cross-file rules one rule at a time.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Mutation = Callable[[Path], None]  # receives the spec folder


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every file under `folder` (dotfiles included) by relative path; symlinks by their target."""
    out: dict[str, bytes | str] = {}
    for base, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(base) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                out[rel] = f"-> {os.readlink(path)}"
            elif path.is_file():
                out[rel] = path.read_bytes()
    return out


# --- mutations ----------------------------------------------------------------------------------


def replace(file: str, old: str, new: str) -> Mutation:
    def mutate(spec: Path) -> None:
        text = (spec / file).read_text(encoding="utf-8")
        assert old in text, f"fixture {file} has no {old!r}"
        (spec / file).write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def put(file: str, data: bytes | str) -> Mutation:
    def mutate(spec: Path) -> None:
        (spec / file).parent.mkdir(parents=True, exist_ok=True)
        (spec / file).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    return mutate


def remove(file: str) -> Mutation:
    return lambda spec: (spec / file).unlink()


def append(file: str, text: str) -> Mutation:
    def mutate(spec: Path) -> None:
        with (spec / file).open("a", encoding="utf-8") as handle:
            handle.write(text)

    return mutate


def both(first: Mutation, second: Mutation) -> Mutation:
    def mutate(spec: Path) -> None:
        first(spec)
        second(spec)

    return mutate


def link_outside_file(spec: Path) -> None:
    outside = spec.parent / "outside.yml"
    outside.write_text((spec / "phases" / "models.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (spec / "phases" / "models.yml").unlink()
    (spec / "phases" / "models.yml").symlink_to(outside)


def link_outside_folder(spec: Path) -> None:
    outside = spec.parent / "elsewhere"
    shutil.move(spec / "phases", outside)
    (spec / "phases").symlink_to(outside, target_is_directory=True)


def bomb(levels: int = 12) -> str:
    """A billion-laughs document: `levels` anchors, each a list of ten aliases to the previous one."""
    lines = ['lol: &l0 "lol"']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, levels)]
    lines.append(f"terms: *l{levels - 1}")
    return "\n".join(lines) + "\n"


# --- the corpus ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    mutate: Mutation
    where: str  # path:line:col the message must start with
    says: str  # a phrase the message must contain; with `only`, the whole message
    only: bool = False  # the message is exactly `where: says`, and it is the only problem reported

    @property
    def line(self) -> str:
        return f"{self.where}: {self.says}"


B = "roadmap/phases/basics.yml"
M = "roadmap/phases/models.yml"
LONG_PADDING = "# padding to push the file over the size bound\n" * 12_000

CASES: dict[str, Case] = {
    # YAML syntax
    "unclosed quote": Case(
        replace("phases/basics.yml", "title: Basics", 'title: "Basics'),
        f"{B}:39:1",
        "while scanning a quoted scalar started at line 2, column 8",
    ),
    "colon inside plain value": Case(
        replace("phases/basics.yml", "summary: The mathematics first.", "summary: The mathematics: first."),
        f"{B}:3:25",
        "mapping values are not allowed in this context",
    ),
    "bad indentation": Case(
        replace("phases/basics.yml", "    title: Vectors", "   title: Vectors"),
        f"{B}:14:4",
        "did not find expected '-' indicator",
    ),
    "tab indentation": Case(
        replace("phases/basics.yml", "    title: Vectors", "\ttitle: Vectors"),
        f"{B}:14:1",
        "indent with spaces, not tabs",
    ),
    "duplicate key in a list item": Case(
        replace("phases/basics.yml", "    hours: 10", "    hours: 10\n    hours: 12"),
        f"{B}:17:5",
        "duplicate key `hours` (first defined at line 16)",
    ),
    "multiple documents": Case(
        append("skills.yml", "---\nskills: []\n"), "roadmap/skills.yml:7:1", "only one YAML document per file"
    ),
    "top level is a list": Case(
        put("glossary.yml", "- a\n- b\n"), "roadmap/glossary.yml:1:1", "the file must be a mapping of fields"
    ),
    "top level is a scalar": Case(
        put("interview.yml", "just some text\n"),
        "roadmap/interview.yml:1:1",
        "the file must be a mapping of fields",
    ),
    "deeply nested": Case(
        replace(
            "phases/basics.yml",
            "practice: [{id: gradient-by-hand, task: Compute a gradient by hand., expect: It matches a finite-difference estimate to three decimal places.}]",
            "practice: " + "[" * 5000 + "]" * 5000,
        ),
        f"{B}:32:43",
        "nested deeper than 32 levels",
    ),
    # anchors, aliases and tags
    "anchor": Case(
        replace("handbook.yml", "title: Fixture Handbook", "title: &t Fixture Handbook"),
        "roadmap/handbook.yml:1:8",
        "anchors (`&name`) are not allowed",
    ),
    "alias": Case(
        replace("handbook.yml", "phases: [basics, models]", "phases: *p"),
        "roadmap/handbook.yml:3:9",
        "aliases (`*name`) are not allowed",
    ),
    "billion laughs": Case(
        put("glossary.yml", bomb()), "roadmap/glossary.yml:1:6", "anchors (`&name`) are not allowed"
    ),
    "python object tag": Case(
        replace("skills.yml", "name: Mathematics", 'name: !!python/object/apply:os.system ["touch pwned"]'),
        "roadmap/skills.yml:3:11",
        "tags like `tag:yaml.org,2002:python/object/apply:os.system`",
    ),
    "python name tag": Case(
        replace("tools.yml", "description: Tensors and autograd.", "description: !!python/name:os.system"),
        "roadmap/tools.yml:8:22",
        "are not allowed; write a plain value",
    ),
    "include tag": Case(
        replace("handbook.yml", "title: Fixture Handbook", "title: !include /etc/passwd"),
        "roadmap/handbook.yml:1:8",
        "tags like `!include` are not allowed",
    ),
    "binary tag": Case(
        replace("papers.yml", "why: Shows vectors.", "why: !!binary aGVsbG8="),
        "roadmap/papers.yml:9:10",
        "tags like `tag:yaml.org,2002:binary`",
    ),
    # bytes and encodings
    "latin-1 bytes": Case(
        put("phases/models.yml", "id: models\ntitle: Mod\xe8les\n".encode("latin-1")),
        f"{M}:2:11",
        "not valid UTF-8 (byte 0xe8)",
    ),
    "utf-16 file": Case(
        put("handbook.yml", "title: x\n".encode("utf-16")),
        "roadmap/handbook.yml:1:1",
        "not valid UTF-8 (byte 0xff)",
    ),
    "byte-order mark": Case(
        put("glossary.yml", b"\xef\xbb\xbfterms: []\n"), "roadmap/glossary.yml:1:1", "byte-order mark"
    ),
    "control character": Case(
        replace("interview.yml", "hint: Direction", "hint: Dire\x00ction"),
        "roadmap/interview.yml:5:15",
        "unacceptable character U+0000",
    ),
    "empty file": Case(put("projects.yml", b""), "roadmap/projects.yml:1:1", "file is empty"),
    "only comments": Case(put("tools.yml", "# nothing yet\n"), "roadmap/tools.yml:1:1", "file is empty"),
    "over the size bound": Case(
        put("papers.yml", LONG_PADDING), "roadmap/papers.yml:1:1", "bytes; the limit is 524288"
    ),
    # types and YAML 1.1 traps
    "list expected": Case(
        replace("phases/basics.yml", "key_concepts: [Chain rule]", "key_concepts: Chain rule"),
        f"{B}:30:19",
        "`key_concepts` must be a list",
    ),
    "mapping expected": Case(
        replace("phases/basics.yml", "weeks: {start: 1, end: 4}", "weeks: [1, 4]"),
        f"{B}:8:8",
        "`weeks` must be a mapping of fields",
    ),
    "quoted boolean": Case(
        replace("phases/basics.yml", "free: true", 'free: "yes"'),
        f"{B}:24:15",
        "`free` must be true or false",
    ),
    "no is a boolean": Case(
        replace("phases/basics.yml", "summary: The mathematics first.", "summary: no"),
        f"{B}:3:10",
        "`no` is read by YAML as a boolean; put it in quotes",
    ),
    "on is a boolean": Case(
        replace("phases/basics.yml", "summary: Arrows and lists of numbers.", "summary: on"),
        f"{B}:15:14",
        "`on` is read by YAML as a boolean",
    ),
    "on as a key": Case(
        replace("tools.yml", "description: Tensors", "on: Tensors"),
        "roadmap/tools.yml:8:9",
        "key `on` is read as bool; quote it",
    ),
    "date": Case(
        replace("projects.yml", "title: Tiny autograd", "title: 2024-05-01"),
        "roadmap/projects.yml:3:12",
        "`2024-05-01` is read by YAML as a date",
    ),
    "impossible date": Case(
        replace("papers.yml", "venue: Journal of Examples", "venue: 2021-02-30"),
        "roadmap/papers.yml:14:12",
        "looks like a date but is not a valid one",
    ),
    "version 1.10": Case(
        replace("phases/basics.yml", "summary: The mathematics first.", "summary: 1.10"),
        f"{B}:3:10",
        "`1.10` is read by YAML as a number",
    ),
    "octal-looking id": Case(
        replace("phases/basics.yml", "- id: basics-gradient", "- id: 0755"),
        f"{B}:37:11",
        "`0755` is read by YAML as a number; put it in quotes",
    ),
    "5000-digit number": Case(
        replace("phases/basics.yml", "hours: 40", "hours: 4" + "0" * 5000),
        f"{B}:10:8",
        "looks like a number but is not a valid one",
    ),
    # the models
    "unknown key": Case(
        replace("handbook.yml", "next_paths:", "subtitle: Extra\nnext_paths:"),
        "roadmap/handbook.yml:4:1",
        "unknown field `subtitle`",
    ),
    "merge key": Case(
        replace("skills.yml", "    level: must-have", "    <<: {level: must-have}"),
        "roadmap/skills.yml:4:5",
        "unknown field `<<`",
    ),
    "missing required field in a list item": Case(
        replace("interview.yml", "    hint: Direction of steepest ascent.\n", ""),
        "roadmap/interview.yml:2:5",
        "missing required field `hint`",
    ),
    "javascript url": Case(
        replace(
            "phases/basics.yml", "url: https://example.org/vectors", "url: javascript:alert(document.cookie)"
        ),
        f"{B}:22:14",
        "links must start with https://",
    ),
    "data url": Case(
        replace("tools.yml", "url: https://pytorch.org/", "url: data:text/html;base64,PHNjcmlwdD4="),
        "roadmap/tools.yml:7:14",
        "links must start with https://",
    ),
    "very long title": Case(
        replace("phases/basics.yml", "title: Basics", "title: " + "A" * 5000),
        f"{B}:2:8",
        "`title` is too long (5000 characters; the limit is 400)",
    ),
    "very long explanation": Case(
        replace(
            "phases/basics.yml", "explanation: Vectors are", "explanation: " + "word " * 4000 + "Vectors are"
        ),
        f"{B}:17:18",
        "the limit is 10000",
    ),
    "very long id": Case(
        replace("phases/basics.yml", "- id: basics-gradient", "- id: " + "a" * 200),
        f"{B}:37:11",
        "`id` is too long (200 characters; the limit is 80)",
    ),
    # ids and references
    "id with capitals": Case(
        replace("phases/basics.yml", "  - id: vectors", "  - id: Vectors"),
        f"{B}:13:9",
        "`Vectors` is not a valid id",
    ),
    "path traversal in a phase id": Case(
        replace("handbook.yml", "phases: [basics, models]", "phases: [basics, ../models]"),
        "roadmap/handbook.yml:3:18",
        "`../models` is not a valid id",
    ),
    "path traversal in a topic id": Case(
        replace("phases/basics.yml", "  - id: gradients", "  - id: ../../etc/x"),
        f"{B}:26:9",
        "`../../etc/x` is not a valid id",
    ),
    "id that would overwrite a page": Case(
        replace("phases/models.yml", "  - id: text", "  - id: index"), f"{M}:20:9", "id `index` is reserved"
    ),
    "phase id differs from its file name": Case(
        replace("phases/basics.yml", "id: basics\n", "id: basic\n"),
        f"{B}:1:5",
        "phase id `basic` must match its file name `basics`",
    ),
    "duplicate milestone check id across files": Case(
        replace("phases/models.yml", "- id: models-train", "- id: basics-gradient"),
        f"{M}:43:11",
        "duplicate phase, track, topic, exercise or milestone id `basics-gradient` "
        "(first used in roadmap/phases/basics.yml:37)",
    ),
    "dangling prerequisite": Case(
        replace("phases/models.yml", "prerequisites: [gradients]", "prerequisites: [gradient]"),
        f"{M}:18:25",
        "unknown topic `gradient` (did you mean `gradients`?)",
    ),
    "dangling project phase": Case(
        replace("projects.yml", "phase: basics", "phase: basic"),
        "roadmap/projects.yml:5:12",
        "unknown phase `basic`",
    ),
    "prerequisite cycle across tracks": Case(
        both(
            replace("phases/models.yml", "prerequisites: [gradients]", "prerequisites: [gradients, tokens]"),
            replace(
                "phases/models.yml", "prerequisites: [vectors]", "prerequisites: [vectors, convolutions]"
            ),
        ),
        f"{M}:30:34",
        "prerequisite cycle: convolutions -> tokens -> convolutions",
    ),
    "topic is its own prerequisite": Case(
        replace("phases/basics.yml", "prerequisites: [vectors]", "prerequisites: [vectors, gradients]"),
        f"{B}:31:30",
        "prerequisite cycle: gradients -> gradients",
    ),
    # files
    "missing phase file": Case(
        replace("handbook.yml", "phases: [basics, models]", "phases: [basics, models, extra]"),
        "roadmap/handbook.yml:3:26",
        "phase `extra` has no file roadmap/phases/extra.yml",
        only=True,
    ),
    "deleted phase file": Case(
        remove("phases/models.yml"),
        "roadmap/handbook.yml:3:18",
        "phase `models` has no file roadmap/phases/models.yml",
    ),
    "missing handbook.yml": Case(
        remove("handbook.yml"), "roadmap/handbook.yml:1:1", "the spec needs handbook.yml"
    ),
    "unexpected file": Case(
        put("notes.yml", "note: hi\n"), "roadmap/notes.yml:1:1", "unexpected file in the spec folder"
    ),
    "symlink to a file outside": Case(link_outside_file, f"{M}:1:1", "symbolic links are not allowed"),
    "symlink to a folder outside": Case(
        link_outside_folder, "roadmap/phases:1:1", "symbolic links are not allowed"
    ),
    # Exact messages: each mistake below is the only problem reported, word for word.
    "yaml syntax": Case(
        replace("phases/basics.yml", "title: Basics", "title: [Basics"),
        "roadmap/phases/basics.yml:3:8",
        "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence started at line 2, column 8)",
        only=True,
    ),
    "duplicate top-level key": Case(
        replace("phases/basics.yml", "title: Basics", "title: Basics\ntitle: Again"),
        "roadmap/phases/basics.yml:3:1",
        "duplicate key `title` (first defined at line 2); YAML would keep only the last",
        only=True,
    ),
    "unknown field with a suggestion": Case(
        replace(
            "phases/basics.yml",
            "summary: The mathematics first.",
            "summary: The mathematics first.\nsumary: typo",
        ),
        "roadmap/phases/basics.yml:4:1",
        "unknown field `sumary` (did you mean `summary`?)",
        only=True,
    ),
    "misspelled required field": Case(
        replace("phases/basics.yml", "title: Basics", "titel: Basics"),
        "roadmap/phases/basics.yml:2:1",
        "unknown field `titel` (did you mean `title`?)",
        only=True,
    ),
    "missing required field of a phase": Case(
        replace("phases/basics.yml", "summary: The mathematics first.\n", ""),
        "roadmap/phases/basics.yml:1:1",
        "missing required field `summary`",
        only=True,
    ),
    "yes/no read as boolean": Case(
        replace("papers.yml", "why: Shows vectors.", "why: no"),
        "roadmap/papers.yml:9:10",
        "`why` must be text: `no` is read by YAML as a boolean; put it in quotes",
        only=True,
    ),
    "date read as date": Case(
        replace("papers.yml", "venue: NeurIPS 2020", "venue: 2024-01-01"),
        "roadmap/papers.yml:7:12",
        "`venue` must be text: `2024-01-01` is read by YAML as a date; put it in quotes",
        only=True,
    ),
    "version-like number read as float": Case(
        replace("papers.yml", 'arxiv: "2001.00001"', "arxiv: 2001.10"),
        "roadmap/papers.yml:8:12",
        "`arxiv` must be text: `2001.10` is read by YAML as a number; put it in quotes",
        only=True,
    ),
    "text where a number belongs": Case(
        replace("phases/basics.yml", "hours: 40", 'hours: "40"'),
        "roadmap/phases/basics.yml:10:8",
        "`hours` must be a whole number: got `'40'`",
        only=True,
    ),
    "bad id": Case(
        replace("phases/basics.yml", "  - id: vectors", "  - id: Vectors_1"),
        "roadmap/phases/basics.yml:13:9",
        "`Vectors_1` is not a valid id: use lowercase letters, digits and single hyphens (like `linear-algebra`)",
        only=True,
    ),
    "duplicate topic id across files": Case(
        replace("phases/models.yml", "      - id: tokens", "      - id: vectors"),
        "roadmap/phases/models.yml:25:13",
        "duplicate phase, track, topic, exercise or milestone id `vectors` (first used in roadmap/phases/basics.yml:13)",
        only=True,
    ),
    "dangling topic prerequisite": Case(
        replace("phases/basics.yml", "prerequisites: [vectors]", "prerequisites: [vectorz]"),
        "roadmap/phases/basics.yml:31:21",
        "unknown topic `vectorz` (did you mean `vectors`?)",
        only=True,
    ),
    "dangling paper id": Case(
        replace("phases/basics.yml", "papers: [smith-2020-vectors]", "papers: [smith-2020-vectorz]"),
        "roadmap/phases/basics.yml:19:14",
        "unknown paper `smith-2020-vectorz` (did you mean `smith-2020-vectors`?)",
        only=True,
    ),
    "dangling glossary term": Case(
        replace("glossary.yml", "related: [stochastic-gradient-descent]", "related: [sgd]"),
        "roadmap/glossary.yml:11:15",
        "unknown glossary term `sgd`",
        only=True,
    ),
    "prerequisite taught later": Case(
        replace("phases/basics.yml", "prerequisites: [vectors]", "prerequisites: [vectors, tokens]"),
        "roadmap/phases/basics.yml:31:30",
        'prerequisite `tokens` is taught later, in phase "Models"',
        only=True,
    ),
    "prerequisite later in the same phase": Case(
        replace(
            "phases/basics.yml",
            "    key_concepts: [Dot product, Norm]",
            "    key_concepts: [Dot product, Norm]\n  - id: calculus\n    title: Calculus\n    summary: Rates of change.\n    explanation: Limits.\n    key_concepts: [Limit]\n    prerequisites: [gradients]",
        ),
        "roadmap/phases/basics.yml:24:21",
        "prerequisite `gradients` is taught later in this phase: move it before this topic, or drop the prerequisite",
        only=True,
    ),
    "prerequisite cycle in one phase": Case(
        replace(
            "phases/basics.yml",
            "    key_concepts: [Dot product, Norm]",
            "    key_concepts: [Dot product, Norm]\n    prerequisites: [gradients]",
        ),
        "roadmap/phases/basics.yml:32:21",
        "prerequisite cycle: vectors -> gradients -> vectors",
        only=True,
    ),
    "overlapping weeks": Case(
        replace("phases/models.yml", "weeks: {start: 5, end: 8}", "weeks: {start: 4, end: 8}"),
        "roadmap/phases/models.yml:5:8",
        "weeks 4-8 overlap or come before the previous phase `basics` (weeks 1-4)",
        only=True,
    ),
    "week range backwards": Case(
        replace("phases/models.yml", "weeks: {start: 5, end: 8}", "weeks: {start: 9, end: 8}"),
        "roadmap/phases/models.yml:5:8",
        "week range ends (week 8) before it starts (week 9)",
        only=True,
    ),
    "non-https url": Case(
        replace("phases/basics.yml", "url: https://example.org/vectors", "url: http://example.org/vectors"),
        "roadmap/phases/basics.yml:22:14",
        "links must start with https:// (no http:, javascript: or data: links)",
        only=True,
    ),
    "malformed arxiv id": Case(
        replace("papers.yml", 'arxiv: "2001.00001"', 'arxiv: "2001.1"'),
        "roadmap/papers.yml:8:12",
        "malformed arXiv id `2001.1`: expected a form like `1706.03762` or `hep-th/9901001`",
        only=True,
    ),
    "year after the arxiv posting": Case(
        replace("papers.yml", "year: 2020", "year: 2021"),
        "roadmap/papers.yml:8:12",
        "`year` is 2021, but arXiv `2001.00001` was posted in 2020: give the year the paper first appeared "
        "(its arXiv v1), not its venue's",
        only=True,
    ),
    "anchor with its alias": Case(
        replace(
            "skills.yml", "topics: [vectors, gradients]", "topics: &t [vectors, gradients]\n    other: *t"
        ),
        "roadmap/skills.yml:6:13",
        "anchors (`&name`) are not allowed; write values out",
        only=True,
    ),
    "uncited paper": Case(
        replace(
            "phases/models.yml", "papers: [smith-2020-vectors, lee-2021-conv]", "papers: [smith-2020-vectors]"
        ),
        "roadmap/papers.yml:10:9",
        "paper `lee-2021-conv` is not cited by any topic (add it to a topic's `papers`)",
        only=True,
    ),
    "exercise id equal to a topic id": Case(
        replace("phases/basics.yml", "{id: gradient-by-hand,", "{id: vectors,"),
        "roadmap/phases/basics.yml:32:17",
        "duplicate phase, track, topic, exercise or milestone id `vectors` (first used in roadmap/phases/basics.yml:13)",
        only=True,
    ),
}
