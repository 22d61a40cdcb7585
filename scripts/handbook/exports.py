"""Machine-readable exports: `papers.bib` (BibTeX) and `roadmap.json`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from . import models as m

ROADMAP_JSON_VERSION = 1
_JOURNAL = re.compile(
    r"journal|transactions|jmlr|nature|science|neural computation|proceedings of the ieee", re.I
)
_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _bib(text: str) -> str:
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in " ".join(text.split()))


def bib_entry(paper: m.Paper) -> str:
    authors = " and ".join(_bib(a) for a in paper.authors) + (" and others" if paper.et_al else "")
    fields: list[tuple[str, str]] = [
        ("title", "{" + _bib(paper.title) + "}"),
        ("author", authors),
        ("year", str(paper.year)),
    ]
    if "arxiv" in paper.venue.lower() and paper.arxiv:
        kind = "misc"
        fields += [("howpublished", _bib(paper.venue))]
    elif _JOURNAL.search(paper.venue):
        kind = "article"
        fields += [("journal", _bib(paper.venue))]
    else:
        kind = "inproceedings"
        fields += [("booktitle", _bib(paper.venue))]
    if paper.arxiv:
        fields += [("eprint", paper.arxiv), ("archiveprefix", "arXiv")]
    if paper.doi:
        fields += [("doi", _bib(paper.doi))]
    fields += [("url", paper.link.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C"))]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{paper.id},\n{body}\n}}\n"


def bibtex(rm: m.Roadmap) -> str:
    # No spec text in the comment: BibTeX starts an entry at any `@`, even in a comment line.
    header = "% Reading list of the AI Research Engineer Handbook, generated from roadmap/papers.yml.\n"
    header += "% Each key is the paper's id in the handbook.\n\n"
    return header + "\n".join(bib_entry(p) for p in rm.papers)


def roadmap_json(rm: m.Roadmap, site_url: Callable[[str, str], str]) -> str:
    """The documented shape (see CONTRIBUTING.md): phases with topics, papers, glossary.
    `site_url(kind, id)` is a record's address relative to the site root."""
    data = {
        "version": ROADMAP_JSON_VERSION,
        "title": rm.handbook.title,
        "phases": [
            {
                "id": phase.id,
                "title": phase.title,
                "weeks": [phase.weeks.start, phase.weeks.end],
                "hours": phase.hours,
                "url": site_url("phase", phase.id),
                "topics": [
                    {
                        "id": topic.id,
                        "title": topic.title,
                        "url": site_url("topic", topic.id),
                        "prerequisites": list(topic.prerequisites),
                        "papers": list(topic.papers),
                        "reviewed": topic.reviewed,
                        "questions": [
                            {"question": q.question, "answer": " ".join(q.answer.split())}
                            for q in topic.questions
                        ],
                    }
                    for topic in phase.all_topics()
                ],
                "milestone": [check.id for check in phase.milestone.checks],
            }
            for phase in rm.phases
        ],
        "papers": [
            {
                "id": p.id,
                "title": p.title,
                "authors": list(p.authors),
                "year": p.year,
                "venue": p.venue,
                "arxiv": p.arxiv,
                "url": p.link,
            }
            for p in rm.papers
        ],
        "glossary": [
            {"term": t.term, "abbr": t.abbr, "definition": " ".join(t.definition.split())}
            for t in rm.glossary
        ],
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"
