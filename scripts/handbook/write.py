"""Stage 4: put generated files on disk, safely.

- Only paths inside the generator's own folders (`layout.GENERATED_DIRS`, `layout.GENERATED_FILES`) are written.
- A file is written only when its bytes change, through a temporary file renamed into place, so a
  reader (or `mkdocs serve`) never sees half a page and an unchanged spec rewrites nothing.
- A manifest records what the generator wrote; only files in it are ever removed as stale, and a
  file the generator did not write is never overwritten.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .layout import MANIFEST
from .problems import Problem, SpecError, display_path


@dataclass
class Report:
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _owned(rel: str, dirs: tuple[str, ...], files: tuple[str, ...]) -> bool:
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return False
    return rel in files or (len(path.parts) > 1 and path.parts[0] in dirs)


def _inside(out_dir: Path, target: Path) -> bool:
    """True when `target` (resolved, so through any symlink) stays inside `out_dir`."""
    return target.resolve().is_relative_to(out_dir.resolve())


def atomic_write(target: Path, data: bytes, *, folder_exists: bool = False) -> None:
    if not folder_exists:
        target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_manifest(out_dir: Path) -> list[str]:
    try:
        lines = (out_dir / MANIFEST).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [line for line in lines if line and not line.startswith("#")]


def write_outputs(
    out_dir: Path,
    files: dict[str, str],
    *,
    owned_dirs: tuple[str, ...],
    owned_files: tuple[str, ...],
    dry_run: bool = False,
) -> Report:
    report = Report()
    previous = set(read_manifest(out_dir))
    problems: list[Problem] = []
    encoded: dict[str, bytes] = {}
    existing: dict[str, int] = {}  # size of each target that is already a regular file
    where = _Resolver(out_dir)
    for rel, text in sorted(files.items()):
        target = out_dir / rel
        owned = _owned(rel, owned_dirs, owned_files)
        # One lstat per file: whether it exists, is a link, is a regular file, and its size.
        state = _lstat(target) if owned else None
        if not owned or not where.inside(target, state):
            problems.append(
                Problem(display_path(target), 1, 1, "refusing to write outside the generator's own folders")
            )
            continue
        data = text.encode("utf-8")
        encoded[rel] = data
        if state is not None and not stat.S_ISREG(state.st_mode):
            problems.append(
                Problem(
                    display_path(target), 1, 1, "refusing to replace something that is not a regular file"
                )
            )
            continue
        if state is not None:
            existing[rel] = state.st_size
            if rel not in previous and target.read_bytes() != data:
                problems.append(
                    Problem(
                        display_path(target),
                        1,
                        1,
                        "refusing to overwrite a file the generator did not write; move it away",
                    )
                )
    if problems:
        raise SpecError(problems)

    if not dry_run and encoded.keys() - previous:
        # List new files before writing them: a run killed mid-way must not leave pages it forgot it wrote.
        _write_manifest(out_dir, previous | encoded.keys())
    folders: set[Path] = set()
    for rel, data in encoded.items():
        target = out_dir / rel
        if existing.get(rel) == len(data) and target.read_bytes() == data:
            report.unchanged.append(rel)
            continue
        report.changed.append(rel)
        if not dry_run:
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            atomic_write(target, data, folder_exists=True)

    for rel in sorted(previous - encoded.keys()):
        target = out_dir / rel
        if not _owned(rel, owned_dirs, owned_files) or not _inside(out_dir, target):
            continue  # a tampered manifest never makes us delete elsewhere
        if target.is_file() and not target.is_symlink():
            report.removed.append(rel)
            if not dry_run:
                target.unlink()
                _prune_empty_dirs(out_dir, target.parent)

    if not dry_run:
        _write_manifest(out_dir, encoded.keys())
    return report


def _lstat(path: Path) -> os.stat_result | None:
    """None where pathlib's exists() and is_symlink() would both say False."""
    try:
        return path.lstat()
    except OSError as exc:
        if exc.errno in {errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP}:
            return None
        raise


class _Resolver:
    """`_inside` for many files: each folder is resolved once, not once per file in it."""

    def __init__(self, out_dir: Path):
        self.root = out_dir.resolve()
        self.folders: dict[Path, Path] = {}

    def inside(self, target: Path, state: os.stat_result | None) -> bool:
        if state is not None and stat.S_ISLNK(state.st_mode):
            return target.resolve().is_relative_to(self.root)  # follow the link itself
        folder = self.folders.get(target.parent)
        if folder is None:
            folder = self.folders[target.parent] = target.parent.resolve()
        return (folder / target.name).is_relative_to(self.root)


def _write_manifest(out_dir: Path, rels: Iterable[str]) -> None:
    manifest = "# Files written by `handbook build`; stale ones are removed on the next build.\n"
    manifest += "".join(f"{rel}\n" for rel in sorted(rels))
    manifest_path = out_dir / MANIFEST
    if not manifest_path.is_file() or manifest_path.read_text(encoding="utf-8") != manifest:
        atomic_write(manifest_path, manifest.encode("utf-8"))


def _prune_empty_dirs(out_dir: Path, folder: Path) -> None:
    root = out_dir.resolve()
    folder = folder.resolve()
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()  # only succeeds when empty
        except OSError:
            return
        folder = folder.parent
