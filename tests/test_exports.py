"""The BibTeX a reader copies from the reading list is the entry papers.bib holds for that paper."""

from __future__ import annotations

import re
import textwrap

import pytest

from handbook import layout
from handbook.render import render
from handbook.validate import read_spec
from helpers import FIXTURES, ROOT

SPECS = {"handbook": ROOT / "roadmap", "minimal": FIXTURES / "minimal", "hostile": FIXTURES / "hostile"}

# A paper's heading, then (before the next heading) its collapsed BibTeX block: a fenced code block
# indented under `??? note "BibTeX"`.
PAPER = re.compile(
    r'^### .* \{ #(?P<id>[^ ]+) \}\n(?:(?!#).*\n|\n)*?\?\?\? note "BibTeX"\n\n    ```text\n(?P<code>(?:    .*\n|\n)*?)    ```\n',
    re.M,
)


def bib_entries(text: str) -> dict[str, str]:
    """papers.bib split into its entries by key: each runs from its `@kind{key,` line to the next."""
    entries = re.split(r"\n(?=@)", text.split("\n\n", 1)[1])
    return {re.match(r"@\w+\{([^,]+),", e)[1]: e.rstrip("\n") + "\n" for e in entries}


@pytest.mark.parametrize("name", SPECS)
def test_each_papers_bibtex_on_the_reading_list_is_its_papers_bib_entry(name):
    spec = read_spec(SPECS[name])
    pages = render(spec)
    on_page = {m["id"]: textwrap.dedent(m["code"]) for m in PAPER.finditer(pages[layout.PAPERS_PAGE])}
    in_file = bib_entries(pages[layout.BIBTEX_FILE])
    cited = {
        pid for topic in (t for p in spec.roadmap.phases for t in p.all_topics()) for pid in topic.papers
    }
    assert cited and set(on_page) == cited  # every paper on the page has its block
    assert set(in_file) == {p.id for p in spec.roadmap.papers}
    for pid, code in on_page.items():
        assert code == in_file[pid], pid
