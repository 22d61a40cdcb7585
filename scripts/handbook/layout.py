"""Where everything lives, written once: the spec's files and the model and schema of each, the
folders the generator owns, the page of every phase, track and reference list, and the search
weight of each kind of page. Every other module, the Makefile (through `handbook clean`) and the
tests read these facts from here.

This module imports nothing from the rest of the package, so any stage can use it.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import PurePosixPath

SPEC_DIR = "roadmap"
DOCS_DIR = "docs"
PHASES_DIR = "phases"


@dataclass(frozen=True)
class SpecFile:
    """One kind of spec file: the model that reads it and the JSON Schema its modeline names."""

    model: str  # class name in models.py
    schema: str  # file name in SCHEMA_DIR
    # For a file that holds one list of records: the Roadmap field it fills, the list's key, and
    # what one record is called in messages.
    records: tuple[str, str, str] | None = None


# Every spec file but the phases, which are every `phases/<id>.yml`.
SPEC_FILES: dict[str, SpecFile] = {
    "handbook.yml": SpecFile("HandbookFile", "handbook.json"),
    "papers.yml": SpecFile("PapersFile", "papers.json", ("papers", "papers", "paper")),
    "glossary.yml": SpecFile("GlossaryFile", "glossary.json", ("glossary", "terms", "term")),
    "skills.yml": SpecFile("SkillsFile", "skills.json", ("skills", "skills", "skill")),
    "projects.yml": SpecFile("ProjectsFile", "projects.json", ("projects", "projects", "project")),
    "interview.yml": SpecFile("InterviewFile", "interview.json", ("questions", "questions", "question")),
    "tools.yml": SpecFile("ToolsFile", "tools.json", ("tools", "categories", "tool category")),
}
PHASE_FILE = SpecFile("Phase", "phase.json")
SCHEMA_DIR = "schemas"  # inside the spec folder: roadmap/schemas/<kind>.json


def phase_file(phase_id: str) -> str:
    """A phase's spec file, relative to the spec folder."""
    return f"{PHASES_DIR}/{phase_id}.yml"


def spec_file(rel: str) -> SpecFile | None:
    """What kind of spec file `rel` (relative to the spec folder) is, or None if it is not one."""
    path = PurePosixPath(rel)
    if len(path.parts) == 2 and path.parts[0] == PHASES_DIR and path.suffix == ".yml":
        return PHASE_FILE
    return SPEC_FILES.get(rel)


def expected_files() -> str:
    return ", ".join([*SPEC_FILES, phase_file("<id>")])


def modeline(rel: str) -> str:
    """The first line of a spec file: which schema an editor should check it against."""
    kind = spec_file(rel)
    assert kind is not None, rel
    up = "../" * (len(PurePosixPath(rel).parts) - 1)
    return f"# yaml-language-server: $schema={up or './'}{SCHEMA_DIR}/{kind.schema}"


# --- generated output, relative to the docs folder --------------------------------------------------

GENERATED_DIRS = (PHASES_DIR, "reference", "snippets")
GENERATED_FILES = ("roadmap.json",)
MANIFEST = ".handbook-manifest"


def phase_page(phase_id: str) -> str:
    """Every phase is a folder: its index lists the topics, practice, projects and milestone."""
    return f"{PHASES_DIR}/{phase_id}/index.md"


def track_page(phase_id: str, track_id: str) -> str:
    """A track is a folder inside its phase, with an index like a phase's."""
    return f"{PHASES_DIR}/{phase_id}/{track_id}/index.md"


def topic_page(phase_id: str, topic_id: str, track_id: str | None = None) -> str:
    """One page per topic, next to the index of its phase or track."""
    folder = f"{PHASES_DIR}/{phase_id}" + (f"/{track_id}" if track_id else "")
    return f"{folder}/{topic_id}.md"


CHECKLIST = "checklist.md"


def checklist_page(phase_id: str) -> str:
    """A phase's printable checklist (topics with hours, key concepts and resource addresses, and the
    milestone), beside its index; linked from the index, not listed in the navigation."""
    return f"{PHASES_DIR}/{phase_id}/{CHECKLIST}"


def not_in_nav(page: str) -> bool:
    """Pages that exist but are left out of the navigation (the phase checklists), so that a strict
    MkDocs build does not report them as omitted."""
    parts = PurePosixPath(page).parts
    return len(parts) == 3 and parts[0] == PHASES_DIR and parts[2] == CHECKLIST


def nav_file(index_page: str) -> str:
    """The awesome-nav file that orders the folder of an index page."""
    return posixpath.join(posixpath.dirname(index_page), ".nav.yml")


def nav_entry(page: str, index_page: str) -> str:
    """How the nav file beside `index_page` names `page`: a file, or a folder by its name."""
    rel = posixpath.relpath(page, posixpath.dirname(index_page))
    return rel.removesuffix("/index.md")


PHASES_INDEX = f"{PHASES_DIR}/index.md"
PAPERS_PAGE = "reference/papers.md"
GLOSSARY_PAGE = "reference/glossary.md"
BIBTEX_FILE = "reference/papers.bib"
HOME_PAGE = "index.md"

# How strongly search ranks each kind of page: lessons above reference lists, so a query for a
# subject lands on the topic that teaches it rather than on a passing mention in the glossary.
SEARCH_BOOST: dict[str, float] = {
    "topic": 2,
    "phase": 1,
    "track": 1,
    "reference": 0.5,
}
