"""Crawl the built site: every internal link and anchor resolves."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if a.get("name") and tag == "a":
            self.ids.add(a["name"] or "")
        for attr in ("href", "src", "xlink:href"):
            value = a.get(attr)
            if value and tag in {"a", "link", "script", "img", "source"}:
                self.links.append(value)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


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
