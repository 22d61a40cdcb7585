"""`make bench`: measure what the handbook costs and compare each figure with its budget.

Prints a table and writes benchmarks/results.json. Nothing here is a test: the numbers are
what this machine measured this time. Budgets are reported as pass or fail; the exit status is
1 when any budget fails, so a regression is visible in CI logs.
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from handbook.generate import generate
from handbook.problems import SpecError
from handbook.render import render
from handbook.validate import read_spec

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def timed(fn: Any, repeat: int = 5) -> float:
    """Median wall time of `repeat` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def generation(spec_dir: Path, repeat: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "docs"

        def run() -> None:
            shutil.rmtree(out, ignore_errors=True)
            generate(spec_dir, out)

        return timed(run, repeat)


def synthetic_spec(folder: Path, topics: int) -> Path:
    """A valid spec with `topics` topics spread over 100 one-week phases, each chained to the one
    before it and citing its phase's paper (so papers.yml stays under the file size bound)."""
    spec = folder / f"synthetic-{topics}"
    (spec / "phases").mkdir(parents=True)
    phases = 100
    per = topics // phases
    words = " ".join(["word"] * 130)
    papers = []
    for p in range(phases):
        papers.append(
            {
                "id": f"paper-{p}",
                "title": f"Paper {p}",
                "authors": ["A Author"],
                "year": 2020,
                "venue": "NeurIPS 2020",
                "arxiv": f"2001.{p:05d}",
                "why": "Read it.",
            }
        )
        items = []
        for t in range(per):
            tid = f"t{p}-{t}"
            prereq = [f"t{p}-{t - 1}"] if t else ([f"t{p - 1}-0"] if p else [])
            items.append(
                {
                    "id": tid,
                    "title": f"Topic {p}.{t}",
                    "summary": "A topic.",
                    "explanation": words,
                    "key_concepts": ["One", "Two", "Three"],
                    "prerequisites": prereq,
                    "papers": [f"paper-{p}"],
                    "resources": [
                        {"title": "Docs", "url": f"https://example.org/{tid}", "type": "docs", "free": True}
                    ],
                }
            )
        phase = {
            "id": f"phase-{p}",
            "title": f"Phase {p}",
            "summary": "A phase.",
            "goal": "Learn.",
            "weeks": {"start": p + 1, "end": p + 1},
            "hours": 10,
            "topics": items,
            "milestone": {"summary": "Done.", "checks": [{"id": f"check-{p}", "text": "I did it."}]},
        }
        (spec / "phases" / f"phase-{p}.yml").write_text(yaml.safe_dump(phase, sort_keys=False))
    handbook = {
        "title": "Synthetic",
        "description": "Benchmark.",
        "phases": [f"phase-{p}" for p in range(phases)],
    }
    (spec / "handbook.yml").write_text(yaml.safe_dump(handbook))
    (spec / "papers.yml").write_text(yaml.safe_dump({"papers": papers}, sort_keys=False))
    return spec


def noop_rewrites() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "docs"
        generate(ROOT / "roadmap", out)
        report = generate(ROOT / "roadmap", out)
        return len(report.changed) + len(report.removed)


def full_build(site: Path) -> tuple[float, float]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "handbook.cli", "build"], cwd=ROOT, check=True, capture_output=True, env=env
    )
    generated = time.perf_counter() - start
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env=env,
    )
    return time.perf_counter() - start, generated


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9))


def page_weight(site: Path, page: str) -> dict[str, int]:
    html_path = site / page / "index.html" if not page.endswith(".html") else site / page
    html = html_path.read_text(encoding="utf-8")
    css = js = 0
    for ref in re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html):
        css += gz((html_path.parent / ref.split("?")[0]).resolve())
    for ref in re.findall(r'<script[^>]+src="([^"]+)"', html):
        js += gz((html_path.parent / ref.split("?")[0]).resolve())
    page_gz = gz(html_path)
    return {"html_gzip": page_gz, "css_gzip": css, "js_gzip": js, "total_gzip": page_gz + css + js}


def own_assets(site: Path) -> int:
    return sum(gz(p) for p in [*site.glob("javascripts/*.js"), *site.glob("stylesheets/*.css")])


class GzipHandler(SimpleHTTPRequestHandler):
    """Serves files gzip-compressed when the browser accepts it, as a real host would."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        from io import BytesIO

        return BytesIO(body)


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def search_ms(base: str, queries: list[str], *, settle_s: float, whole: bool) -> float:
    """Median milliseconds until the first search result shows, `settle_s` seconds after load.

    whole=False: from the first keystroke (the query's first character) to the first result.
    whole=True: the full query typed at 80 ms a key, timed from the last keystroke to the results.
    """
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for query in queries:
            page = browser.new_page()
            page.goto(base)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(settle_s * 1000)
            page.locator("input.md-search__input").click()
            if whole:
                page.keyboard.type(query[:-1], delay=80)
                page.wait_for_timeout(80)
            start = page.evaluate("performance.now()")
            page.keyboard.type(query[-1] if whole else query[0])
            page.wait_for_selector(".md-search-result__item")
            times.append(page.evaluate("performance.now()") - start)
            page.close()
        browser.close()
    return statistics.median(times)


def lighthouse(url: str) -> dict[str, int] | None:
    binary = ROOT / "benchmarks" / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=ROOT / "benchmarks", check=False
        )
    if not binary.exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        proc = subprocess.run(
            [
                str(binary),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                "--form-factor=mobile",
                "--only-categories=performance,accessibility,best-practices,seo",
                "--chrome-flags=--headless=new " + " ".join(ARGS),
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if proc.returncode != 0 or not report.exists():
            print(proc.stderr[-2000:], file=sys.stderr)
            return None
        data = json.loads(report.read_text())
    return {k: round(v["score"] * 100) for k, v in data["categories"].items()}


def main() -> int:
    try:
        return measure()
    except SpecError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1


def measure() -> int:
    spec = read_spec(ROOT / "roadmap")
    rows: list[tuple[str, str, str, bool | None]] = []
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    }

    def row(name: str, value: Any, shown: str, budget: str = "", ok: bool | None = None) -> None:
        results[name] = value
        rows.append((name, shown, budget, ok))

    real = generation(ROOT / "roadmap", 7)
    row("generate_real_s", real, f"{real:.3f} s", "< 0.3 s", real < 0.3)
    render_only = timed(lambda: render(spec), 7)
    row("render_only_real_s", render_only, f"{render_only:.3f} s")
    with tempfile.TemporaryDirectory() as tmp:
        t1k = generation(synthetic_spec(Path(tmp), 1000), 3)
        t10k = generation(synthetic_spec(Path(tmp), 10000), 1)
    row("generate_1k_topics_s", t1k, f"{t1k:.2f} s")
    row("generate_10k_topics_s", t10k, f"{t10k:.2f} s", "< 5 s", t10k < 5)
    row("scaling_10k_over_1k", t10k / t1k, f"{t10k / t1k:.1f}x", "<= 11x", t10k / t1k <= 11)
    rewrites = noop_rewrites()
    row("noop_rewrites", rewrites, str(rewrites), "0 files", rewrites == 0)

    site = Path(tempfile.mkdtemp()) / "site"
    total, gen = full_build(site)
    row("full_build_s", total, f"{total:.1f} s")
    row("generator_share", gen / total, f"{gen / total:.0%} ({gen:.2f} s)")
    assets = own_assets(site)
    row("own_js_css_gzip_bytes", assets, f"{assets / 1024:.1f} KB", "< 15 KB", assets < 15 * 1024)
    phase = spec.roadmap.phases[1]
    kinds = {
        "home": "",
        "phase": f"phases/{phase.id}/",
        "reading list": "reference/papers/",
        "glossary": "reference/glossary/",
    }
    for kind, page in kinds.items():
        weight = page_weight(site, page)
        budget_ok = weight["total_gzip"] < 120 * 1024 if kind == "phase" else None
        row(
            f"page_{kind.replace(' ', '_')}",
            weight,
            f"html {weight['html_gzip'] / 1024:.1f} + css {weight['css_gzip'] / 1024:.1f} + js {weight['js_gzip'] / 1024:.1f}"
            f" = {weight['total_gzip'] / 1024:.1f} KB gz",
            "< 120 KB" if kind == "phase" else "",
            budget_ok,
        )
    index = site / "search" / "search_index.json"
    row(
        "search_index_bytes",
        index.stat().st_size,
        f"{index.stat().st_size / 1024:.0f} KB ({gz(index) / 1024:.0f} KB gz)",
    )

    httpd, base = serve(site)
    try:
        if Path(CHROMIUM).exists():
            queries = [t.title for p in spec.roadmap.phases for t in p.all_topics()[:1]]
            # Cold: the first keystroke the moment the page has loaded, while Material's search worker
            # may still be building its index. Ready: the same, three seconds after load.
            cold = search_ms(base, queries, settle_s=0, whole=False)
            row("first_search_cold_ms", cold, f"{cold:.0f} ms", "< 300 ms", cold < 300)
            ready = search_ms(base, queries, settle_s=3, whole=False)
            row("first_search_ready_ms", ready, f"{ready:.0f} ms", "< 300 ms", ready < 300)
            typed = search_ms(base, queries, settle_s=3, whole=True)
            row("search_after_last_key_ms", typed, f"{typed:.0f} ms")
            budgets = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
            for name, path in (("home", ""), ("phase", f"phases/{phase.id}/")):
                # Lighthouse varies from run to run on a shared machine: report the median of three.
                runs = [lighthouse(base + path) for _ in range(3)]
                if any(r is None for r in runs):
                    row(f"lighthouse_{name}", None, "not run (lighthouse unavailable)", "", False)
                    continue
                scores = {k: int(statistics.median(r[k] for r in runs)) for k in budgets}
                ok = all(scores.get(k, 0) >= v for k, v in budgets.items())
                row(
                    f"lighthouse_{name}",
                    scores,
                    " / ".join(f"{k} {scores[k]}" for k in budgets),
                    "98/100/100/100",
                    ok,
                )
        else:
            row("browser", None, f"{CHROMIUM} missing: search and Lighthouse not measured", "", False)
    finally:
        httpd.shutdown()
        shutil.rmtree(site.parent, ignore_errors=True)

    width = max(len(r[0]) for r in rows)
    print(f"Machine: {results['machine']}")
    for name, shown, budget, ok in rows:
        verdict = "" if ok is None else ("pass" if ok else "FAIL")
        print(f"{name:<{width}}  {shown:<52} {budget:<16} {verdict}")
    results["budgets_failed"] = [r[0] for r in rows if r[3] is False]
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    return 1 if results["budgets_failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
