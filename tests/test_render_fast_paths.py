"""The generator's fast path gives exactly what the plain version gives: `render.relpath` stands in
for `posixpath.relpath` (benchmarks/run.py measures why)."""

from __future__ import annotations

import posixpath

from hypothesis import given, settings
from hypothesis import strategies as st

from handbook.render import relpath

part = st.sampled_from(["phases", "a", "b", "index.md", "x.md", ".", "", "..", "a.b"])
path = st.lists(part, max_size=5).map("/".join)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(path, path)
def test_relpath_is_posixpath_relpath(to: str, frm: str):
    to = to or "."
    frm = frm or "."
    assert relpath(to, frm) == posixpath.relpath(to, frm)
