"""`handbook`: every task on the roadmap spec in one command.

handbook check   [--spec DIR]              validate the spec; located errors, exit 1 on any
handbook check   --stale MONTHS [--fail-on-stale]   also list topics not reviewed within MONTHS
handbook build   [--spec DIR] [--out DIR]  validate, then generate pages into the docs folder
handbook build   --check                   report generated files that are out of date (dry run)
handbook schema  [--spec DIR] [--check]    write (or check) roadmap/schemas/*.json from the models
handbook new topic --phase P --id ID --title T [--track K]   append a topic skeleton to its phase file
handbook new paper --id ID --title T                         append a paper skeleton to papers.yml
handbook linkcheck [--spec DIR] [--site DIR]                 report dead external links (via lychee), located
handbook clean   [--out DIR]               remove the generated folders and files (nothing else)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .problems import Problem, SpecError, print_problems

if TYPE_CHECKING:
    from .write import Report

DEFAULT_SPEC = Path("roadmap")
DEFAULT_OUT = Path("docs")


def _report(problems: list[Problem]) -> None:
    print_problems(problems)
    print(f"{len(problems)} problem(s) found.", file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    from .validate import read_spec

    spec = read_spec(args.spec)
    rm = spec.roadmap
    topics = sum(len(p.all_topics()) for p in rm.phases)
    print(
        f"{args.spec}: ok ({len(rm.phases)} phases, {topics} topics, {len(rm.papers)} papers, {len(rm.glossary)} terms)"
    )
    if args.stale is None:
        return 0
    from .freshness import stale_topics, this_month

    now = args.today or this_month()
    stale = list(stale_topics(spec, args.stale, now))
    for problem in stale:
        print(f"{problem} (warning)" if not args.fail_on_stale else str(problem), file=sys.stderr)
    print(f"{len(stale)} topic(s) not reviewed within {args.stale} months of {now}.", file=sys.stderr)
    return 1 if stale and args.fail_on_stale else 0


def _months(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"`{text}` is not a whole number of months")
    return int(text)


def _year_month(text: str) -> str:
    import re

    from .models import REVIEWED_PATTERN

    if not re.match(REVIEWED_PATTERN, text):
        raise argparse.ArgumentTypeError(f"`{text}` is not a month like 2026-11")
    return text


def _report_generated(report: Report, folder: Path, check: bool, command: str) -> int:
    """One write/check report for every generated artifact: pages, data files and schemas."""
    if check:
        for path in report.changed:
            print(f"out of date: {folder / path}", file=sys.stderr)
        for path in report.removed:
            print(f"stale: {folder / path}", file=sys.stderr)
        if report.changed or report.removed:
            print(f"Generated files in {folder} are out of date; run `{command}`.", file=sys.stderr)
            return 1
        print(f"{len(report.unchanged)} generated files in {folder} up to date.")
        return 0
    print(
        f"generated {len(report.changed) + len(report.unchanged)} files into {folder}: "
        f"{len(report.changed)} written, {len(report.removed)} removed, {len(report.unchanged)} unchanged"
    )
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .generate import generate

    report = generate(args.spec, args.out, dry_run=args.check, directory_urls=args.directory_urls)
    return _report_generated(report, args.out, args.check, "handbook build")


def cmd_schema(args: argparse.Namespace) -> int:
    from .layout import SCHEMA_DIR
    from .schema import schema_files
    from .write import write_outputs

    folder = args.spec / SCHEMA_DIR
    files = schema_files()
    report = write_outputs(folder, files, owned_dirs=(), owned_files=tuple(files), dry_run=args.check)
    return _report_generated(report, folder, args.check, "handbook schema")


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import new_paper, new_topic

    if args.kind == "topic":
        added = new_topic(args.spec, args.phase, args.id, args.title, args.track)
    else:
        added = new_paper(args.spec, args.id, args.title, args.year, args.arxiv)
    print(f"{added.path}:{added.line}: added {args.kind} `{args.id}`")
    print(f"next: {added.hint}")
    return 0


def cmd_clean(args: argparse.Namespace) -> int:
    import shutil

    from . import layout

    for name in layout.GENERATED_DIRS:
        shutil.rmtree(args.out / name, ignore_errors=True)
    for name in (*layout.GENERATED_FILES, layout.MANIFEST):
        (args.out / name).unlink(missing_ok=True)
    print(f"removed the generated pages from {args.out}")
    return 0


def cmd_linkcheck(args: argparse.Namespace) -> int:
    from .linkcheck import CONFIG, run

    return run(
        args.spec,
        args.site,
        configs=args.config or [CONFIG],
        cache=not args.no_cache,
        exclude=args.exclude,
    )


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="handbook", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def spec_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="spec folder (default: roadmap)")

    p = sub.add_parser("check", help="validate the spec and report every problem with its location")
    spec_arg(p)
    p.add_argument(
        "--stale",
        type=_months,
        metavar="MONTHS",
        help="also list topics not reviewed within MONTHS months, as warnings (exit 0)",
    )
    p.add_argument(
        "--fail-on-stale", action="store_true", help="with --stale: exit 1 when any topic is stale"
    )
    p.add_argument("--today", type=_year_month, help="with --stale: count months up to this YYYY-MM")
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("build", help="validate, then generate Markdown pages and data files")
    spec_arg(p)
    p.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="docs folder to generate into (default: docs)"
    )
    p.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if any generated file is out of date"
    )
    p.add_argument(
        "--no-directory-urls",
        dest="directory_urls",
        action="store_false",
        help="write raw HTML links for a site built with use_directory_urls: false (the offline copy)",
    )
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("schema", help="write roadmap/schemas/<kind>.json from the models")
    spec_arg(p)
    p.add_argument("--check", action="store_true", help="exit 1 if a schema differs from the models")
    p.set_defaults(run=cmd_schema)

    p = sub.add_parser("new", help="append a skeleton topic or paper to the right spec file, in place")
    kinds = p.add_subparsers(dest="kind", required=True, metavar="KIND")
    k = kinds.add_parser("topic", help="a topic in a phase (or in one of its tracks)")
    spec_arg(k)
    k.add_argument("--phase", required=True, help="id of the phase (its file is roadmap/phases/<id>.yml)")
    k.add_argument("--track", help="id of a track in that phase, to add the topic there")
    k.add_argument("--id", required=True, help="new topic id: lowercase letters, digits, single hyphens")
    k.add_argument("--title", required=True, help="topic title")
    k.set_defaults(run=cmd_new)
    k = kinds.add_parser("paper", help="a paper in papers.yml")
    spec_arg(k)
    k.add_argument("--id", required=True, help="new paper id, <first-author>-<year>-<word>")
    k.add_argument("--title", required=True, help="title as published")
    k.add_argument("--year", type=int, help="year of publication (default: the year in the id)")
    k.add_argument("--arxiv", help="arXiv id, like 1706.03762")
    k.set_defaults(run=cmd_new)

    p = sub.add_parser("clean", help="remove the generated folders and files from the docs folder")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="docs folder (default: docs)")
    p.set_defaults(run=cmd_clean)

    p = sub.add_parser(
        "linkcheck", help="check every external link in the spec (and the built site) with lychee"
    )
    spec_arg(p)
    p.add_argument("--site", type=Path, help="also check the external links in this built site folder")
    p.add_argument(
        "--config",
        type=Path,
        action="append",
        metavar="FILE",
        help="lychee's settings: accepted statuses, timeout, retries, requests per host (default: "
        "lychee.toml, which the Links workflow reads too); repeat to add files, later ones win",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="check every address again, without lychee's cache of recent results (.cache/.lycheecache)",
    )
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="RE",
        help="skip addresses matching RE (lychee's regex)",
    )
    p.set_defaults(run=cmd_linkcheck)
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
