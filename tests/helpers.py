"""Paths and small helpers shared by the tests (imported as `helpers`)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "specs"
GOLDEN = ROOT / "tests" / "golden"


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if not line.endswith("problem(s) found.")]


def run_command(*args: str, cwd: Path) -> Result:
    """Run the installed `handbook` console command in a subprocess (proves there is no traceback)."""
    exe = Path(sys.executable).with_name("handbook")
    proc = subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    return Result(proc.returncode, proc.stdout, proc.stderr)
