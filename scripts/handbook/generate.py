"""The whole pipeline: read and validate the spec, render every page, write what changed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from .layout import GENERATED_DIRS, GENERATED_FILES
from .render import render
from .validate import read_spec
from .write import Report, write_outputs


def generate(spec_dir: Path, out_dir: Path, *, dry_run: bool = False, directory_urls: bool = True) -> Report:
    """Raises SpecError (and writes nothing) when the spec has problems. `directory_urls` must match
    MkDocs' `use_directory_urls` (False for the offline copy): raw HTML links are written for it."""
    spec = dataclasses.replace(read_spec(spec_dir), project_root=out_dir.resolve().parent)
    files = render(spec, directory_urls=directory_urls)
    return write_outputs(
        out_dir, files, owned_dirs=GENERATED_DIRS, owned_files=GENERATED_FILES, dry_run=dry_run
    )
