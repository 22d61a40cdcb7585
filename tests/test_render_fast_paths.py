"""The generator's fast paths give exactly what the plain versions give.

`render.relpath` stands in for `posixpath.relpath`, and `LearningPaths` fills the reading-order data
into each page from one prepared text instead of building it per page (benchmarks/run.py measures
why). Both are checked here against the plain code on the fixtures, in both URL styles, from every
kind of folder a page can sit in, including folders inside a topic's or phase's own address.
"""

from __future__ import annotations

import posixpath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbook import layout
from handbook.render import LearningPaths, Links, learning_path, relpath
from handbook.validate import read_spec
from helpers import FIXTURES

part = st.sampled_from(["phases", "a", "b", "index.md", "x.md", ".", "", "..", "a.b"])
path = st.lists(part, max_size=5).map("/".join)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(path, path)
def test_relpath_is_posixpath_relpath(to: str, frm: str):
    to = to or "."
    frm = frm or "."
    assert relpath(to, frm) == posixpath.relpath(to, frm)


@pytest.mark.parametrize("name", ["minimal", "hostile"])
@pytest.mark.parametrize("directory_urls", [True, False])
def test_learning_paths_match_learning_path_on_every_page_folder(name: str, directory_urls: bool):
    spec = read_spec(FIXTURES / name)
    rm = spec.roadmap
    links = Links(spec, directory_urls=directory_urls)
    fast = LearningPaths(rm, links)
    assert fast.ok
    folders = {"", layout.PHASES_DIR}
    for phase in rm.phases:
        folders.add(posixpath.dirname(layout.phase_page(phase.id)))
        for topic in phase.all_topics():
            # A folder named like a topic's own address: there the address is "./" or "..".
            folders.add(posixpath.join(posixpath.dirname(links.targets["topic", topic.id].page), topic.id))
        for track in phase.tracks:
            folders.add(posixpath.dirname(layout.track_page(phase.id, track.id)))
    for folder in sorted(folders):
        expected = learning_path(rm, lambda kind, ident, d=folder: links.url_from(kind, ident, d))
        assert fast.html(folder) == expected, folder
