"""`handbook`: every task on the roadmap spec in one command.

    handbook check   [--spec DIR]              validate the spec; located errors, exit 1 on any
    handbook build   [--spec DIR] [--out DIR]  validate, then generate pages into the docs folder
    handbook build   --check                   report generated files that are out of date (dry run)
    handbook schema  [--spec DIR] [--check]    write (or check) roadmap/schema.json from the models
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .problems import Problem, SpecError

DEFAULT_SPEC = Path("roadmap")
DEFAULT_OUT = Path("docs")


def _report(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in problems:
            print(problem.github_annotation())
    print(f"{len(problems)} problem(s) found.", file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    from .validate import read_spec

    spec = read_spec(args.spec)
    rm = spec.roadmap
    topics = sum(len(p.all_topics()) for p in rm.phases)
    print(f"{args.spec}: ok ({len(rm.phases)} phases, {topics} topics, {len(rm.papers)} papers, {len(rm.glossary)} terms)")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .generate import generate

    report = generate(args.spec, args.out, dry_run=args.check)
    if args.check:
        for path in report.changed:
            print(f"out of date: {path}", file=sys.stderr)
        for path in report.removed:
            print(f"stale: {path}", file=sys.stderr)
        if report.changed or report.removed:
            print("Generated pages are out of date; run `handbook build`.", file=sys.stderr)
            return 1
        print(f"{len(report.unchanged)} generated files up to date.")
        return 0
    print(
        f"generated {len(report.changed) + len(report.unchanged)} files into {args.out}: "
        f"{len(report.changed)} written, {len(report.removed)} removed, {len(report.unchanged)} unchanged"
    )
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import schema_text

    target = args.spec / "schema.json"
    text = schema_text()
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is out of date with the models; run `handbook schema`.", file=sys.stderr)
            return 1
        print(f"{target} is up to date.")
        return 0
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}")
    return 0


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="handbook", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def spec_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="spec folder (default: roadmap)")

    p = sub.add_parser("check", help="validate the spec and report every problem with its location")
    spec_arg(p)
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("build", help="validate, then generate Markdown pages and data files")
    spec_arg(p)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="docs folder to generate into (default: docs)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if any generated file is out of date")
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("schema", help="write roadmap/schema.json from the models")
    spec_arg(p)
    p.add_argument("--check", action="store_true", help="exit 1 if schema.json differs from the models")
    p.set_defaults(run=cmd_schema)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except SpecError as exc:
        _report(exc.problems)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
