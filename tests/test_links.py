"""Crawl the built site: every internal link and anchor resolves."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from helpers import HtmlPage, parse_html


def parse(path: Path) -> HtmlPage:
    return parse_html(path.read_text(encoding="utf-8"))


def resolve(site: Path, url: str) -> Path:
    path = unquote(urlsplit(url).path).lstrip("/")
    target = site / path
    return target / "index.html" if path == "" or path.endswith("/") or target.is_dir() else target


def test_no_broken_internal_links_or_anchors(site):
    base = "http://site.invalid/"
    pages = {p: parse(p) for p in site.rglob("*.html")}
    broken: list[str] = []
    for path, page in pages.items():
        here = base + path.relative_to(site).as_posix()
        for link in page.links:
            url = urljoin(here, link)
            if not url.startswith(base) or path.name == "404.html":
                continue  # external (checked by `make linkcheck`), or the 404 page's site_url links
            target = resolve(site, url[len(base) - 1 :])
            if not target.exists():
                broken.append(f"{path.relative_to(site)}: {link} (no file {target.relative_to(site)})")
                continue
            fragment = urlsplit(url).fragment
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(fragment) not in ids:
                    broken.append(f"{path.relative_to(site)}: {link} (no anchor #{fragment})")
    assert broken == []
    assert len(pages) > 20
