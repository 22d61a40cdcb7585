"""A thin MkDocs hook: regenerate pages from roadmap/ before every build, so `mkdocs serve`
picks up YAML edits. The generator does not depend on it: `handbook build` runs on its own. It also
keeps the pages that `layout.not_in_nav` names (the phase checklists) out of the navigation.

On `mkdocs build` an invalid spec aborts the build; on `mkdocs serve` the problems are logged
and the previous pages stay up, so a typo mid-edit never takes the preview down.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort
from mkdocs.structure.files import Files, InclusionLevel

from handbook import layout
from handbook.generate import generate
from handbook.problems import SpecError

log = logging.getLogger("mkdocs.plugins.handbook")
_command = "build"


def on_startup(command: str, dirty: bool, **_: Any) -> None:
    global _command
    _command = command


def on_pre_build(config: Any, **_: Any) -> None:
    root = Path(config["config_file_path"]).parent
    try:
        report = generate(
            root / "roadmap", Path(config["docs_dir"]), directory_urls=bool(config["use_directory_urls"])
        )
    except SpecError as exc:
        for problem in exc.problems:
            log.error(str(problem))
        if _command != "serve":
            raise Abort(f"{len(exc.problems)} problem(s) in the roadmap spec") from None
        log.warning("roadmap spec has problems; still serving the last good pages")
        return
    if report.changed or report.removed:
        log.info("handbook: %d page(s) regenerated, %d removed", len(report.changed), len(report.removed))


def on_files(files: Files, **_: Any) -> Files:
    """Pages reached by a link rather than the navigation (layout.not_in_nav) are built but not listed."""
    for file in files:
        if layout.not_in_nav(file.src_uri):
            file.inclusion = InclusionLevel.NOT_IN_NAV
    return files
