"""Located problems: every error a contributor sees is `path:line:col: message`."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"

    def github_annotation(self) -> str:
        """The workflow command that shows this problem inline on a pull request's diff."""
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={self.path},line={self.line},col={self.col}::{message}"


class SpecError(Exception):
    """Raised when the spec has problems; carries every one of them."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the roadmap spec")
        self.problems = sorted(set(problems))


def display_path(path: Path) -> str:
    """The path as a contributor would type it: relative to the working directory when possible."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith(".." + os.sep + "..") else rel


def print_problems(
    problems: Iterable[Problem], *, err: TextIO | None = None, out: TextIO | None = None
) -> None:
    """Each problem as `path:line:col: message` on `err`; in a GitHub Actions run, also as workflow
    annotations on `out`, so a pull request shows them on the diff."""
    problems = list(problems)
    for problem in problems:
        print(problem, file=err or sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in problems:
            print(problem.github_annotation(), file=out or sys.stdout)
