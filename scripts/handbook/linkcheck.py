"""`handbook linkcheck`: find dead external links in the spec (and, optionally, in the built site).

Every https address in the spec (resource and tool `url`s, papers' arXiv ids, DOIs and `url`s, and
addresses written in text) is checked once, however often it appears, concurrently but politely:
at most `per_host` requests at a time to one host, `delay` seconds apart. Each check sends HEAD and
falls back to GET when the server refuses HEAD; redirects are followed, and a permanent one (301,
308) is reported as a note so the spec can point at the final address. Results that were alive are
cached in `.cache/linkcheck.json` for `max_age` hours, so running it again is quick; dead links are
always checked again.

A dead link is reported as `path:line:col: dead link URL (why)` at the spec line that holds it.
Only the standard library is used (urllib, concurrent.futures), so there is nothing to install.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar, TextIO
from urllib.parse import urlsplit

from .load import Path_, Source
from .problems import Problem, display_path
from .write import atomic_write

DEFAULT_CACHE = Path(".cache/linkcheck.json")
USER_AGENT = "handbook-linkcheck/1.0 (+https://github.com/ai-research-engineer-handbook/handbook)"
_URL_IN_TEXT = re.compile(r"https://[^\s<>\"'`)\]}]+")
_TRAILING = ".,;:!?"
# Statuses that say "not for robots" or "slow down" rather than "gone": reported, never counted as dead.
UNVERIFIABLE = frozenset({401, 403, 429})
PERMANENT = frozenset({301, 308})


@dataclass(frozen=True)
class Link:
    url: str
    path: str
    line: int
    col: int


@dataclass(frozen=True)
class Result:
    url: str
    ok: bool
    status: int | None = None
    error: str | None = None
    note: str | None = None
    cached: bool = False

    @property
    def why(self) -> str:
        return self.error or f"HTTP {self.status}"


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
        "img": "src",
        "script": "src",
        "iframe": "src",
        "source": "src",
        "video": "src",
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


# --- checking -------------------------------------------------------------------------------------


class HostGate:
    """At most `per_host` requests in flight to one host, their starts at least `delay` seconds apart."""

    def __init__(self, per_host: int = 2, delay: float = 0.2):
        self.per_host, self.delay = max(1, per_host), max(0.0, delay)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._lock:
            sem = self._slots.setdefault(host, threading.BoundedSemaphore(self.per_host))
        with sem:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next.get(host, 0.0))
                self._next[host] = start + self.delay
            if start > now:
                time.sleep(start - now)
            yield


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects keeping the method (HEAD stays HEAD) and records each hop."""

    def __init__(self) -> None:
        self.hops: list[tuple[int, str]] = []

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.method = req.get_method()
            self.hops.append((code, new.full_url))
        return new


def _request(url: str, method: str, timeout: float) -> tuple[int, list[tuple[int, str]]]:
    """Status of one request after redirects, and the redirects taken. Raises on network errors."""
    redirects = _Redirects()
    opener = urllib.request.build_opener(redirects)
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with opener.open(request, timeout=timeout) as response:
            if method == "GET":
                response.read(1024)
            return response.status, redirects.hops
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, redirects.hops


def _error_text(exc: BaseException, timeout: float) -> str:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return "host not found"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    return f"{type(reason).__name__}: {reason}".strip()


def check_url(
    url: str,
    *,
    timeout: float = 10.0,
    gate: HostGate | None = None,
    rewrite: Callable[[str], str] | None = None,
) -> Result:
    """Check one address: HEAD, then GET when HEAD is refused; follow redirects.

    `rewrite` maps the address before it is fetched (the tests use it to send https links in a
    fixture spec to a plain-http server on 127.0.0.1); the result keeps the original address.
    """
    target = rewrite(url) if rewrite else url
    gate = gate or HostGate()
    host = urlsplit(target).netloc.lower()
    hops: list[tuple[int, str]] = []
    try:
        with gate.slot(host):
            status, hops = _request(target, "HEAD", timeout)
        if status >= 400:  # many servers refuse or mishandle HEAD: ask again with GET
            with gate.slot(host):
                status, hops = _request(target, "GET", timeout)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return Result(url, False, error=_error_text(exc, timeout))
    except Exception as exc:  # http.client protocol errors and the like
        return Result(url, False, error=f"{type(exc).__name__}: {exc}")
    note = None
    if hops and hops[0][0] in PERMANENT:
        note = f"permanently redirects ({hops[0][0]}) to {hops[-1][1]}; link the final address"
    if 200 <= status < 300:
        return Result(url, True, status, note=note)
    if status in UNVERIFIABLE:
        return Result(url, True, status, note=f"HTTP {status}: the server refuses robots; check it by hand")
    return Result(url, False, status)


class Cache:
    """Recent results that were alive, by address, in a JSON file; entries expire after `max_age` seconds."""

    VERSION = 1

    def __init__(self, path: Path, max_age: float):
        self.path, self.max_age = path, max_age
        self.entries: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if (
                isinstance(data, dict)
                and data.get("version") == self.VERSION
                and isinstance(data.get("entries"), dict)
            ):
                self.entries = {k: v for k, v in data["entries"].items() if isinstance(v, dict)}
        except (OSError, ValueError):
            pass  # no cache yet, or a damaged one: start afresh

    def get(self, url: str, now: float | None = None) -> Result | None:
        entry = self.entries.get(url)
        now = time.time() if now is None else now
        checked = entry.get("checked") if entry else None
        if not entry or not isinstance(checked, int | float) or now - checked > self.max_age:
            return None
        return Result(url, True, entry.get("status"), note=entry.get("note"), cached=True)

    def put(self, result: Result, now: float | None = None) -> None:
        with self._lock:
            if result.ok:
                self.entries[result.url] = {
                    "checked": time.time() if now is None else now,
                    "status": result.status,
                    "note": result.note,
                }
            else:
                self.entries.pop(result.url, None)

    def save(self, now: float | None = None) -> None:
        now = time.time() if now is None else now
        fresh = {k: v for k, v in self.entries.items() if now - float(v.get("checked", 0)) <= self.max_age}
        data = {"version": self.VERSION, "entries": dict(sorted(fresh.items()))}
        atomic_write(self.path, (json.dumps(data, indent=1) + "\n").encode("utf-8"))


def check_all(
    urls: Iterable[str],
    *,
    timeout: float = 10.0,
    per_host: int = 2,
    delay: float = 0.2,
    workers: int = 16,
    cache: Cache | None = None,
    rewrite: Callable[[str], str] | None = None,
) -> dict[str, Result]:
    """Check each distinct address once, concurrently; fresh cached results are reused."""
    unique = list(dict.fromkeys(urls))
    results: dict[str, Result] = {}
    todo: list[str] = []
    for url in unique:
        hit = cache.get(url) if cache else None
        if hit:
            results[url] = hit
        else:
            todo.append(url)
    gate = HostGate(per_host, delay)
    if todo:
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo)))) as pool:
            for result in pool.map(lambda u: check_url(u, timeout=timeout, gate=gate, rewrite=rewrite), todo):
                results[result.url] = result
                if cache:
                    cache.put(result)
    return results


# --- the command ----------------------------------------------------------------------------------


def run(
    spec_dir: Path,
    site_dir: Path | None = None,
    *,
    timeout: float = 10.0,
    per_host: int = 2,
    delay: float = 0.2,
    workers: int = 16,
    cache_path: Path | None = DEFAULT_CACHE,
    max_age_hours: float = 24.0,
    exclude: Iterable[str] = (),
    rewrite: Callable[[str], str] | None = None,
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
    skip = [re.compile(pattern) for pattern in exclude]
    links = [link for link in links if not any(p.search(link.url) for p in skip)]

    cache = Cache(cache_path, max_age_hours * 3600) if cache_path is not None else None
    results = check_all(
        (link.url for link in links),
        timeout=timeout,
        per_host=per_host,
        delay=delay,
        workers=workers,
        cache=cache,
        rewrite=rewrite,
    )
    if cache:
        cache.save()

    dead = sorted(
        {
            Problem(k.path, k.line, k.col, f"dead link {k.url} ({results[k.url].why})")
            for k in links
            if not results[k.url].ok
        }
    )
    notes = sorted(
        {
            Problem(k.path, k.line, k.col, f"note: {k.url} {results[k.url].note}")
            for k in links
            if results[k.url].note
        }
    )
    for note in notes:
        print(note, file=out)
    for problem in dead:
        print(problem, file=err)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in dead:
            print(problem.github_annotation(), file=out)
    cached = sum(r.cached for r in results.values())
    print(
        f"checked {len(links)} links ({len(results)} distinct, {cached} from the cache): "
        f"{len(dead)} dead, {len(notes)} note(s).",
        file=out,
    )
    return 1 if dead else 0
