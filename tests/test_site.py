"""The real handbook: the spec is valid, the strict MkDocs build passes, and the built pages are
in phase order with previous/next links and edit links into roadmap/."""

from __future__ import annotations

import os
import re

import pytest

from handbook.generate import generate
from handbook.render import Links as SiteLinks
from handbook.validate import read_spec
from helpers import ROOT, changes, parse_html, snapshot, xdist_group


@pytest.fixture(scope="session")
def real_spec():
    return read_spec(ROOT / "roadmap")


def anchors(html: str) -> list[dict[str, str | None]]:
    return parse_html(html).anchors


def page_url(spec, phase) -> str:
    return f"phases/{phase.id}/"


def reading_order(spec) -> list[str]:
    """Page titles in the order a reader follows them: each phase's index, its shared topics, then
    each track's index and topics."""
    order: list[str] = []
    for phase in spec.roadmap.phases:
        order += [phase.title, *(t.title for t in phase.topics)]
        for track in phase.tracks:
            order += [track.title, *(t.title for t in track.topics)]
    return order


def test_every_phase_is_built_in_order_with_previous_and_next(site, real_spec):
    order = reading_order(real_spec)
    for phase in real_spec.roadmap.phases:
        html = (site / page_url(real_spec, phase) / "index.html").read_text(encoding="utf-8")
        links = anchors(html)
        prev = next(a for a in links if "md-footer__link--prev" in (a.get("class") or ""))
        nxt = next(a for a in links if "md-footer__link--next" in (a.get("class") or ""))
        at = order.index(phase.title)
        if at > 0:
            # The page before a phase is the last topic of the previous phase (or of its last track).
            assert prev["aria-label"] == f"Previous: {order[at - 1]}"
        # The page after a phase's index is its first topic (or its first track).
        assert nxt["aria-label"] == f"Next: {order[at + 1]}"


def test_every_topic_has_a_page_between_its_neighbours(site, real_spec):
    order = reading_order(real_spec)
    links = SiteLinks(real_spec)
    for phase in real_spec.roadmap.phases:
        for topic in phase.all_topics():
            html = (site / links.site_url("topic", topic.id) / "index.html").read_text(encoding="utf-8")
            footer = {
                a.get("class"): a.get("aria-label")
                for a in anchors(html)
                if "md-footer__link" in (a.get("class") or "")
            }
            at = order.index(topic.title)
            assert footer["md-footer__link md-footer__link--prev"] == f"Previous: {order[at - 1]}", topic.id
            if at + 1 < len(order):
                assert footer["md-footer__link md-footer__link--next"] == f"Next: {order[at + 1]}", topic.id


def test_navigation_lists_phases_in_spec_order(site, real_spec):
    html = (site / "phases" / "index.html").read_text(encoding="utf-8")
    nav_titles = re.findall(r'<span class="md-ellipsis">\s*([^<]+?)\s*</span>', html)
    positions = [nav_titles.index(p.title) for p in real_spec.roadmap.phases]
    assert positions == sorted(positions)


def test_edit_links_open_the_yaml_the_page_came_from(site, real_spec):
    for phase in real_spec.roadmap.phases:
        html = (site / page_url(real_spec, phase) / "index.html").read_text(encoding="utf-8")
        edit = next(a for a in anchors(html) if a.get("rel") == "edit")
        assert edit["href"].endswith(f"/edit/main/roadmap/phases/{phase.id}.yml")
    papers = (site / "reference" / "papers" / "index.html").read_text(encoding="utf-8")
    assert next(a for a in anchors(papers) if a.get("rel") == "edit")["href"].endswith(
        "/edit/main/roadmap/papers.yml"
    )
    home = (site / "index.html").read_text(encoding="utf-8")
    assert next(a for a in anchors(home) if a.get("rel") == "edit")["href"].endswith(
        "/edit/main/docs/index.md"
    )


def test_generated_files_are_up_to_date_after_build(site, site_sources):
    report = generate(site_sources / "roadmap", site_sources / "docs", dry_run=True)
    assert report.changed == [] and report.removed == []


def test_custom_404_page(site):
    html = (site / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in html


def test_no_script_holds_up_the_first_paint(site):
    """Every script file, the theme's included, is deferred: the browser paints the page's text first
    (the theme's script ran before the text's first paint in most loads of a phase page, which made
    Lighthouse count the search index it starts fetching in the page's largest paint)."""
    for page in ("index.html", "phases/deep-learning/index.html", "reference/papers/index.html"):
        scripts = parse_html((site / page).read_text(encoding="utf-8")).scripts
        assert any("bundle" in (s["src"] or "") for s in scripts), page  # the theme's own is among them
        assert [s["src"] for s in scripts if "defer" not in s] == [], page


def test_site_loads_nothing_from_other_hosts(site):
    """No fonts, scripts or styles from a CDN: every src/href that loads something is local."""
    loaders = re.compile(
        r'<(?:script|img|iframe|source)[^>]+src="(https?:)?//|<link[^>]+rel="(?:stylesheet|preconnect|preload|icon)"[^>]+href="(https?:)?//'
    )
    for page in site.rglob("*.html"):
        assert not loaders.search(page.read_text(encoding="utf-8")), page


def test_checkout_snapshot_sees_every_kind_of_change(tmp_path):
    """The end-of-run check (conftest.pytest_sessionfinish) compares two snapshots of the checkout:
    a rewrite with the same bytes, an edit, a new file and a deleted file each show up."""
    docs = tmp_path / "docs"
    (docs / "phases").mkdir(parents=True)
    page, other = docs / "phases" / "a.md", docs / "index.md"
    page.write_text("# A\n", encoding="utf-8")
    other.write_text("# Home\n", encoding="utf-8")
    before = snapshot(tmp_path, ("docs", "site"))
    assert changes(before, snapshot(tmp_path, ("docs", "site"))) == []

    os.utime(page, ns=(0, 0))  # same bytes, written again
    assert changes(before, snapshot(tmp_path, ("docs", "site"))) == ["changed: docs/phases/a.md"]
    other.write_text("# Home, edited\n", encoding="utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<p>built</p>\n", encoding="utf-8")
    page.unlink()
    assert changes(before, snapshot(tmp_path, ("docs", "site"))) == [
        "added: site",
        "added: site/index.html",
        "changed: docs/index.md",
        "changed: docs/phases",
        "removed: docs/phases/a.md",
    ]


@pytest.mark.parametrize(
    ("engines", "expected"),
    [
        # Both engines: a worker takes every test of one engine's site and builds only that site.
        (
            "mkdocs,zensical",
            ["site-mkdocs", "site-mkdocs", "site-zensical", "tests/browser/test_offline.py", None],
        ),
        # One engine: each module of it is a group of its own, so the modules share the workers.
        (
            "mkdocs",
            [
                "tests/browser/test_reader.py[mkdocs]",
                "tests/browser/test_accessibility.py[mkdocs]",
                "tests/browser/test_reader.py[zensical]",
                "tests/browser/test_offline.py",
                None,
            ],
        ),
    ],
    ids=["both engines", "one engine"],
)
def test_tests_are_grouped_so_each_worker_builds_a_site_once(monkeypatch, engines, expected):
    monkeypatch.setenv("HANDBOOK_ENGINES", engines)
    nodeids = [
        "tests/browser/test_reader.py::test_not_found_page[mkdocs]",
        "tests/browser/test_accessibility.py::test_no_serious_violations[mkdocs-home]",
        "tests/browser/test_reader.py::test_not_found_page[zensical]",
        "tests/browser/test_offline.py::test_offline_copy_works_from_disk",
        "tests/test_validate.py::test_minimal_spec_is_valid",
    ]
    assert [xdist_group(n) for n in nodeids] == expected
