"""`handbook linkcheck`, offline: a local server on 127.0.0.1 answers 200, 404, 301, 403, 405 and too slowly.

The spec's models accept only https addresses, so the fixture spec points at `https://127.0.0.1:PORT/...`
and the checker's `rewrite` hook (an internal override, not a command-line option) sends those
requests to the plain-http test server.
"""

from __future__ import annotations

import io
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from handbook import linkcheck as lc
from handbook.load import load

TIMEOUT = 0.2


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.log: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.active = 0
        self.peak = 0
        self.starts: list[float] = []

    def handle_error(self, request, client_address) -> None:  # a client that gave up on /slow
        pass


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, *args) -> None:
        pass

    def answer(self) -> None:
        srv = self.server
        with srv.lock:
            srv.log.append((self.command, self.path))
            srv.active += 1
            srv.peak = max(srv.peak, srv.active)
            srv.starts.append(time.monotonic())
        try:
            path = self.path
            if path == "/slow":
                time.sleep(TIMEOUT * 4)
            if path.startswith("/busy/"):
                time.sleep(0.05)
            if path == "/moved":
                self.send_response(301)
                self.send_header("Location", "/ok")
            elif path == "/found":
                self.send_response(302)
                self.send_header("Location", "/ok")
            elif path == "/missing":
                self.send_response(404)
            elif path == "/forbidden":
                self.send_response(403)
            elif path == "/get-only" and self.command == "HEAD":
                self.send_response(405)
            else:
                self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
        finally:
            with srv.lock:
                srv.active -= 1

    do_HEAD = answer
    do_GET = answer


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    thread = threading.Thread(target=srv.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def base(srv: Server) -> str:
    return f"https://127.0.0.1:{srv.server_address[1]}"


def to_http(url: str) -> str:
    return url.replace("https://127.0.0.1:", "http://127.0.0.1:", 1)


def check(srv: Server, path: str) -> lc.Result:
    return lc.check_url(base(srv) + path, timeout=TIMEOUT, gate=lc.HostGate(2, 0), rewrite=to_http)


def test_statuses(server):
    ok = check(server, "/ok")
    assert (ok.ok, ok.status, ok.note) == (True, 200, None)

    missing = check(server, "/missing")
    assert (missing.ok, missing.why) == (False, "HTTP 404")

    moved = check(server, "/moved")
    assert moved.ok and moved.status == 200
    port = server.server_address[1]
    assert moved.note == f"permanently redirects (301) to http://127.0.0.1:{port}/ok; link the final address"

    found = check(server, "/found")  # a temporary redirect is followed silently
    assert (found.ok, found.note) == (True, None)

    slow = check(server, "/slow")
    assert (slow.ok, slow.why) == (False, f"timed out after {TIMEOUT:g} s")

    forbidden = check(server, "/forbidden")
    assert forbidden.ok and forbidden.status == 403 and "check it by hand" in (forbidden.note or "")


def test_head_then_get_and_redirects_keep_head(server):
    assert check(server, "/get-only").ok
    assert check(server, "/moved").ok
    assert server.log == [("HEAD", "/get-only"), ("GET", "/get-only"), ("HEAD", "/moved"), ("HEAD", "/ok")]


def test_connection_refused(server):
    port = server.server_address[1]
    server.shutdown()
    server.server_close()
    result = lc.check_url(f"https://127.0.0.1:{port}/ok", timeout=TIMEOUT, rewrite=to_http)
    assert (result.ok, result.why) == (False, "connection refused")


def test_polite_per_host_rate(server):
    urls = [f"{base(server)}/busy/{i}" for i in range(8)]
    began = time.monotonic()
    results = lc.check_all(urls, timeout=2, per_host=2, delay=0.02, workers=8, rewrite=to_http)
    assert all(r.ok for r in results.values())
    assert server.peak <= 2  # never more than two requests in flight to one host
    assert time.monotonic() - began >= 7 * 0.02  # eight starts, each at least the delay after the last


def test_host_gate_spaces_starts_per_host_only():
    gate = lc.HostGate(per_host=4, delay=0.03)
    starts: dict[str, list[float]] = {"a": [], "b": []}

    def enter(host: str) -> None:
        with gate.slot(host):
            starts[host].append(time.monotonic())

    threads = [threading.Thread(target=enter, args=(h,)) for h in "aaaabbbb"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for host in "ab":
        times = sorted(starts[host])
        assert min(b - a for a, b in itertools.pairwise(times)) >= 0.029
    assert abs(min(starts["a"]) - min(starts["b"])) < 0.03  # another host does not wait its turn


def test_each_address_is_checked_once(server):
    url = base(server) + "/ok"
    results = lc.check_all([url, url, url], timeout=TIMEOUT, delay=0, rewrite=to_http)
    assert list(results) == [url]
    assert server.log == [("HEAD", "/ok")]


# --- the command on a fixture spec ----------------------------------------------------------------


def point_at(srv: Server, spec_dir: Path) -> None:
    """Aim the fixture spec's resource and tool links at the test server."""
    b = base(srv)
    basics = spec_dir / "phases" / "basics.yml"
    text = basics.read_text(encoding="utf-8")
    text = text.replace(
        "        url: https://example.org/vectors\n",
        f"        url: {b}/missing\n",
    ).replace(
        "        by: Example University\n",
        "        by: Example University\n"
        f"      - title: Moved\n        url: {b}/moved\n        type: article\n        free: true\n"
        f"      - title: Slow\n        url: {b}/slow\n        type: video\n        free: true\n",
    )
    basics.write_text(text, encoding="utf-8")
    tools = spec_dir / "tools.yml"
    tools.write_text(
        tools.read_text(encoding="utf-8").replace("https://pytorch.org/", f"{b}/ok"), encoding="utf-8"
    )
    # Text mentioning an address is checked too (trailing punctuation is not part of it).
    glossary = spec_dir / "glossary.yml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace(
            "definition: Gradient descent on mini-batches.",
            f"definition: Gradient descent on mini-batches, see {b}/get-only.",
        ),
        encoding="utf-8",
    )


OFFLINE = [r"^https://(?!127\.0\.0\.1:)"]  # the fixture's arxiv.org and doi.org links stay unchecked


def run(spec_dir: Path, cache: Path | None, **kwargs) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    options = {"timeout": TIMEOUT, "delay": 0, "exclude": OFFLINE, "rewrite": to_http, **kwargs}
    code = lc.run(spec_dir, cache_path=cache, out=out, err=err, **options)
    return code, out.getvalue(), err.getvalue()


def test_dead_links_are_located_in_the_spec(server, spec, monkeypatch):
    root = spec("minimal")
    point_at(server, root)
    monkeypatch.chdir(root.parent)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code, out, err = run(Path("roadmap"), None)
    b = base(server)
    assert code == 1
    assert err.splitlines() == [
        f"roadmap/phases/basics.yml:22:14: dead link {b}/missing (HTTP 404)",
        f"roadmap/phases/basics.yml:31:14: dead link {b}/slow (timed out after {TIMEOUT:g} s)",
    ]
    port = server.server_address[1]
    assert f"roadmap/phases/basics.yml:27:14: note: {b}/moved permanently redirects (301) to " in out
    assert f"http://127.0.0.1:{port}/ok; link the final address" in out
    assert out.splitlines()[-1] == "checked 5 links (5 distinct, 0 from the cache): 2 dead, 1 note(s)."
    # The reported lines really hold those addresses.
    lines = (root / "phases" / "basics.yml").read_text(encoding="utf-8").splitlines()
    assert lines[21][13:] == f"{b}/missing" and lines[30][13:] == f"{b}/slow"


def test_github_annotations(server, spec, monkeypatch):
    root = spec("minimal")
    point_at(server, root)
    monkeypatch.chdir(root.parent)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out, _ = run(Path("roadmap"), None)
    assert (
        f"::error file=roadmap/phases/basics.yml,line=22,col=14::dead link {base(server)}/missing (HTTP 404)"
        in out
    )


def test_cache_reuses_live_results_and_rechecks_dead_ones(server, spec, monkeypatch, tmp_path):
    root = spec("minimal")
    point_at(server, root)
    monkeypatch.chdir(root.parent)
    cache = tmp_path / "cache" / "linkcheck.json"
    run(Path("roadmap"), cache)
    saved = json.loads(cache.read_text(encoding="utf-8"))
    assert saved["version"] == 1
    assert sorted(saved["entries"]) == sorted(base(server) + p for p in ("/get-only", "/moved", "/ok"))

    server.log.clear()
    code, out, _ = run(Path("roadmap"), cache)
    assert code == 1
    assert "(5 distinct, 3 from the cache)" in out
    assert "permanently redirects (301)" in out  # notes survive the cache
    assert sorted(path for _, path in server.log) == ["/missing", "/missing", "/slow"]  # HEAD+GET, HEAD

    server.log.clear()
    run(Path("roadmap"), cache, max_age_hours=0)  # expired: everything is checked again
    assert {path for _, path in server.log} >= {"/ok", "/moved", "/get-only"}


def test_damaged_cache_is_ignored(server, spec, monkeypatch, tmp_path):
    root = spec("minimal")
    point_at(server, root)
    monkeypatch.chdir(root.parent)
    cache = tmp_path / "linkcheck.json"
    cache.write_text("{not json", encoding="utf-8")
    code, out, _ = run(Path("roadmap"), cache)
    assert code == 1 and "0 from the cache" in out
    assert json.loads(cache.read_text(encoding="utf-8"))["version"] == 1


def test_cli_uses_the_cache_and_needs_no_network(spec, handbook, tmp_path):
    """`handbook linkcheck` end to end: every address is fresh in the cache, so nothing is fetched."""
    root = spec("minimal")
    sources = [load(p)[0] for p in sorted(root.rglob("*.yml"))]
    urls = {link.url for source in sources for link in lc.source_links(source)}
    assert "https://arxiv.org/abs/2001.00001" in urls and "https://doi.org/10.1000/example.1" in urls
    cache = tmp_path / "c.json"
    entries = {url: {"checked": time.time(), "status": 200, "note": None} for url in urls}
    cache.write_text(json.dumps({"version": 1, "entries": entries}), encoding="utf-8")
    result = handbook("linkcheck", "--spec", "roadmap", "--cache", str(cache), cwd=root.parent)
    assert result.code == 0, result.err
    assert result.out.strip().endswith(
        f"({len(urls)} distinct, {len(urls)} from the cache): 0 dead, 0 note(s)."
    )


def test_site_links(tmp_path):
    page = tmp_path / "site" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<html><head><link rel="canonical" href="https://example.org/canonical/">\n'
        '<script src="/local.js"></script></head>\n'
        '<body><p>Read <a href="https://example.org/paper">this</a> and\n'
        '  <img alt="" src="https://example.org/figure.png"></p></body></html>\n',
        encoding="utf-8",
    )
    links = lc.site_links(tmp_path / "site")
    assert [(k.url, k.line, k.col) for k in links] == [
        ("https://example.org/paper", 3, 15),
        ("https://example.org/figure.png", 4, 3),
    ]


def test_addresses_in_text_and_fields(spec):
    root = spec("minimal")
    source = load(root / "papers.yml")[0]
    links: list[lc.Link] = lc.source_links(source)
    assert [(k.url, k.line, k.col) for k in links] == [
        ("https://arxiv.org/abs/2001.00001", 8, 12),
        ("https://doi.org/10.1000/example.1", 15, 10),
    ]
    found: Callable[[str], list[str]] = lambda text: list(lc._text_urls(text))  # noqa: E731
    assert found("See https://example.org/a, and (https://example.org/b).") == [
        "https://example.org/a",
        "https://example.org/b",
    ]
