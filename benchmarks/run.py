"""`make bench`: measure what the handbook costs and compare each figure with its budget.

The generator is measured once; the site is built, weighed, searched and audited with each engine
(MkDocs + Material, and Zensical) in the same run, and the table shows them side by side.
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
    return timed_cpu(fn, repeat)[0]


def timed_cpu(fn: Any, repeat: int = 5) -> tuple[float, float]:
    """Median wall time and median CPU time of this process over `repeat` calls, in seconds. On a
    busy machine the wall time grows with the other work; the CPU time much less."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def generation(spec_dir: Path, repeat: int) -> tuple[float, float]:
    """Wall and CPU seconds of `handbook build` into an empty folder (median of `repeat`)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "docs"

        def run() -> None:
            shutil.rmtree(out, ignore_errors=True)
            generate(spec_dir, out)

        return timed_cpu(run, repeat)


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


ENGINES = ("mkdocs", "zensical")
# Zensical builds only inside its project folder, so it builds a copy of the project (made before the
# clock starts, as a clone would be) without these.
NOT_COPIED = (".git", ".venv", ".cache", "site", "site-*", "node_modules", "*.zip", ".*_cache", ".hypothesis")


def full_build(engine: str, work: Path) -> tuple[float, float, Path]:
    """`handbook build` then a strict, cold build with `engine`, as `make build ENGINE=...` runs them.
    Returns total seconds, the generator's seconds and the built site's folder."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if engine == "zensical":
        project = work / "project"
        shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(*NOT_COPIED))
        command = [sys.executable, "-m", "zensical", "build", "--strict", "--clean", "-f", "mkdocs.yml"]
        site = project / "site"
    else:
        project = ROOT
        site = work / "site"
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "handbook.cli", "build"], cwd=project, check=True, capture_output=True, env=env
    )
    generated = time.perf_counter() - start
    subprocess.run(command, cwd=project, check=True, capture_output=True, env=env)
    return time.perf_counter() - start, generated, site


def search_index(engine: str, site: Path) -> Path:
    return site / "search.json" if engine == "zensical" else site / "search" / "search_index.json"


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


def search_ms(engine: str, base: str, queries: list[str], *, settle_s: float, whole: bool) -> float:
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
            # Each engine's dialog through its own markup: Material's input is in the header;
            # Zensical's header button opens a dialog (in a shadow root) with a combobox.
            if engine == "zensical":
                page.locator("button.md-search__button").click()
                page.get_by_role("combobox", name="Search").wait_for()
                result = page.get_by_role("listbox", name="Search results").get_by_role("option").first
            else:
                page.locator("input.md-search__input").click()
                result = page.locator(".md-search-result__item").first
            if whole:
                page.keyboard.type(query[:-1], delay=80)
                page.wait_for_timeout(80)
            start = page.evaluate("performance.now()")
            page.keyboard.type(query[-1] if whole else query[0])
            result.wait_for()
            times.append(page.evaluate("performance.now()") - start)
            page.close()
        browser.close()
    return statistics.median(times)


# The metrics behind Lighthouse's performance score (v10+ weights: TBT 30, LCP 25, CLS 25, FCP 10, SI 10),
# recorded per run so a low score can be explained.
LIGHTHOUSE_METRICS = {
    "fcp_ms": "first-contentful-paint",
    "lcp_ms": "largest-contentful-paint",
    "tbt_ms": "total-blocking-time",
    "cls": "cumulative-layout-shift",
    "speed_index_ms": "speed-index",
}
LIGHTHOUSE_RUNS = 5


def lighthouse(url: str) -> dict[str, Any] | None:
    """One Lighthouse run with its standard mobile settings (simulated throttling: 150 ms RTT,
    1.6 Mbit/s, CPU slowed 4x). Returns the category scores, the metrics behind the performance
    score, and the host's benchmarkIndex (Lighthouse warns that a host under 1000 is slower than
    its throttling assumes, which lowers the score)."""
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
    result: dict[str, Any] = {k: round(v["score"] * 100) for k, v in data["categories"].items()}
    for name, audit in LIGHTHOUSE_METRICS.items():
        value = data["audits"][audit]["numericValue"]
        result[name] = round(value, 3) if name == "cls" else round(value)
    result["benchmark_index"] = round(data["environment"]["benchmarkIndex"])
    result["load_average"] = round(os.getloadavg()[0], 1)  # other work on the machine during the run
    return result


def main() -> int:
    try:
        return measure()
    except SpecError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1


def measure_engine(engine: str, spec: Any, row: Any) -> None:
    """Build, weigh, search and audit the site built by `engine`; `row(name, value, shown, budget, ok)`."""
    work = Path(tempfile.mkdtemp(prefix=f"bench-{engine}-"))
    try:
        total, gen, site = full_build(engine, work)
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
                f"{weight['html_gzip'] / 1024:.0f} + {weight['css_gzip'] / 1024:.0f} + {weight['js_gzip'] / 1024:.0f}"
                f" = {weight['total_gzip'] / 1024:.0f} KB",
                "< 120 KB" if kind == "phase" else "",
                budget_ok,
            )
        index = search_index(engine, site)
        row(
            "search_index_bytes",
            index.stat().st_size,
            f"{index.stat().st_size / 1024:.0f} KB ({gz(index) / 1024:.0f} KB gz)",
        )

        httpd, base = serve(site)
        try:
            if not Path(CHROMIUM).exists():
                row("browser", None, f"{CHROMIUM} missing", "", False)
                return
            queries = [t.title for p in spec.roadmap.phases for t in p.all_topics()[:1]]
            # Cold: the first keystroke the moment the page has loaded, while the search worker may
            # still be building its index. Ready: the same, three seconds after load.
            cold = search_ms(engine, base, queries, settle_s=0, whole=False)
            row("first_search_cold_ms", cold, f"{cold:.0f} ms", "< 300 ms", cold < 300)
            ready = search_ms(engine, base, queries, settle_s=3, whole=False)
            row("first_search_ready_ms", ready, f"{ready:.0f} ms", "< 300 ms", ready < 300)
            typed = search_ms(engine, base, queries, settle_s=3, whole=True)
            row("search_after_last_key_ms", typed, f"{typed:.0f} ms")
            budgets = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
            for name, path in (("home", ""), ("phase", f"phases/{phase.id}/")):
                # Lighthouse varies from run to run on a shared machine: report the median of five,
                # with every run's metrics so the median can be explained.
                runs = [lighthouse(base + path) for _ in range(LIGHTHOUSE_RUNS)]
                if any(r is None for r in runs):
                    row(f"lighthouse_{name}", None, "not run (lighthouse unavailable)", "", False)
                    continue
                scores = {k: int(statistics.median(r[k] for r in runs)) for k in budgets}
                ok = all(scores.get(k, 0) >= v for k, v in budgets.items())
                row(
                    f"lighthouse_{name}",
                    scores,
                    " / ".join(str(scores[k]) for k in budgets),
                    "98/100/100/100",
                    ok,
                )
                keys = [*LIGHTHOUSE_METRICS, "benchmark_index", "load_average"]
                median = {k: statistics.median(r[k] for r in runs) for k in keys}
                row(
                    f"lighthouse_{name}_metrics",
                    {
                        "median": median,
                        "runs": [{"performance": r["performance"]} | {k: r[k] for k in keys} for r in runs],
                    },
                    f"FCP {median['fcp_ms'] / 1000:.1f} s, LCP {median['lcp_ms'] / 1000:.1f} s, TBT {median['tbt_ms']:.0f} ms,"
                    f" CLS {median['cls']:.3f}, SI {median['speed_index_ms'] / 1000:.1f} s, host index {median['benchmark_index']:.0f}",
                )
        finally:
            httpd.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure() -> int:
    spec = read_spec(ROOT / "roadmap")
    common: list[tuple[str, str, str, bool | None]] = []
    per_engine: dict[str, dict[str, tuple[str, str, bool | None]]] = {e: {} for e in ENGINES}
    order: list[str] = []
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "engines": {e: {"version": engine_version(e)} for e in ENGINES},
    }

    def row(name: str, value: Any, shown: str, budget: str = "", ok: bool | None = None) -> None:
        results[name] = value
        common.append((name, shown, budget, ok))

    load = os.getloadavg()[0]
    row("load_average_at_start", load, f"{load:.1f} (other work on the machine; {os.cpu_count()} cores)")
    real, real_cpu = generation(ROOT / "roadmap", 7)
    row("generate_real_s", real, f"{real:.3f} s", "< 0.3 s", real < 0.3)
    row("generate_real_cpu_s", real_cpu, f"{real_cpu:.3f} s")
    render_only = timed(lambda: render(spec), 7)
    row("render_only_real_s", render_only, f"{render_only:.3f} s")
    with tempfile.TemporaryDirectory() as tmp:
        t1k, t1k_cpu = generation(synthetic_spec(Path(tmp), 1000), 3)
        t10k, t10k_cpu = generation(synthetic_spec(Path(tmp), 10000), 1)
    row("generate_1k_topics_s", t1k, f"{t1k:.2f} s")
    row("generate_10k_topics_s", t10k, f"{t10k:.2f} s", "< 5 s", t10k < 5)
    row("generate_1k_10k_topics_cpu_s", [t1k_cpu, t10k_cpu], f"{t1k_cpu:.2f} s / {t10k_cpu:.2f} s")
    row("scaling_10k_over_1k", t10k / t1k, f"{t10k / t1k:.1f}x", "<= 11x", t10k / t1k <= 11)
    rewrites = noop_rewrites()
    row("noop_rewrites", rewrites, str(rewrites), "0 files", rewrites == 0)

    for engine in ENGINES:

        def engine_row(
            name: str, value: Any, shown: str, budget: str = "", ok: bool | None = None, engine: str = engine
        ) -> None:
            results["engines"][engine][name] = value
            per_engine[engine][name] = (shown, budget, ok)
            if name not in order:
                order.append(name)

        measure_engine(engine, spec, engine_row)
    generate(ROOT / "roadmap", ROOT / "docs")  # leave the working tree's pages as `handbook build` makes them

    failed = [f"{name}" for name, _, _, ok in common if ok is False]
    failed += [
        f"{engine}.{name}"
        for engine in ENGINES
        for name, (_, _, ok) in per_engine[engine].items()
        if ok is False
    ]
    results["budgets_failed"] = failed

    def verdict(ok: bool | None) -> str:
        return "" if ok is None else ("pass" if ok else "FAIL")

    width = max(len(name) for name in [r[0] for r in common] + order)
    print(f"Machine: {results['machine']}")
    for name, shown, budget, ok in common:
        print(f"{name:<{width}}  {shown:<30} {budget:<16} {verdict(ok)}")
    print()
    versions = {e: f"{e} {results['engines'][e]['version']}" for e in ENGINES}
    print(f"{'':<{width}}  {versions['mkdocs']:<30} {versions['zensical']:<30} {'budget':<16}")
    print("(page_*: html + css + js, gzip)")
    for name in order:
        cells = [per_engine[e].get(name, ("-", "", None)) for e in ENGINES]
        shown = [f"{c[0]} {verdict(c[2])}".strip() for c in cells]
        budget = next((c[1] for c in cells if c[1]), "")
        print(f"{name:<{width}}  {shown[0]:<30} {shown[1]:<30} {budget:<16}")
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    return 1 if failed else 0


def engine_version(engine: str) -> str:
    from importlib.metadata import version

    return (
        version("mkdocs") + " + material " + version("mkdocs-material")
        if engine == "mkdocs"
        else version("zensical")
    )


if __name__ == "__main__":
    sys.exit(main())
