"""Machine-readable exports: `papers.bib` (BibTeX) and `roadmap.json`."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable

from . import models as m

ROADMAP_JSON_VERSION = 1
# Venues that are journals (BibTeX @article): the name, then optionally volume, (number) and year.
_JOURNAL = re.compile(
    r"^(?P<journal>(?:[A-Z][\w&*.,:-]* ?)*?(?:Journal|Transactions|Review|Annals|Psychometrika|Nature|Science"
    r"|Neural Computation|Proceedings of the (?:IEEE|National Academy of Sciences)|Machine Learning"
    r"|Computational Linguistics|PLOS[\w ]*|Neurocomputing|Computing Surveys|Distill|Theory of Probability"
    r"|Communications of the ACM"
    r"|Bell System Technical Journal)[\w&*.,: -]*?)"
    r"(?: (?P<volume>\d{1,3})(?!\d)(?:\((?P<number>[\w-]+)\))?)?(?:,? \(?\d{4}\)?)?(?: \(.*\))?(?:, published as .*)?$"
)
_BOOK_PUBLISHER = re.compile(r"^(?P<publisher>[\w ]*Press)$")
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


# Accents as LaTeX commands, so that papers.bib is plain ASCII and reads the same in every tool
# and browser, whatever character set a server announces.
_ACCENTS = {
    "\u0301": "'",
    "\u0300": "`",
    "\u0302": "^",
    "\u0308": '"',
    "\u0303": "~",
    "\u0304": "=",
    "\u0307": ".",
    "\u0327": "c",
    "\u030c": "v",
    "\u0306": "u",
    "\u030a": "r",
    "\u0328": "k",
    "\u030b": "H",
}
_LETTERS = {
    "ø": r"{\o}",
    "Ø": r"{\O}",
    "ß": r"{\ss}",
    "æ": r"{\ae}",
    "Æ": r"{\AE}",
    "œ": r"{\oe}",
    "Œ": r"{\OE}",
    "ł": r"{\l}",
    "Ł": r"{\L}",
    "ı": r"{\i}",
    "đ": r"{\dj}",
    "–": "--",
    "—": "---",
    "‘": "`",
    "’": "'",
    "“": "``",
    "”": "''",
    "μ": r"$\mu$",
    "×": r"$\times$",
}


def _ascii(ch: str) -> str:
    if ch.isascii():
        return _BIB_SPECIAL.get(ch, ch)
    if ch in _LETTERS:
        return _LETTERS[ch]
    base, *marks = unicodedata.normalize("NFD", ch)
    if base.isascii() and marks and all(mark in _ACCENTS for mark in marks):
        out = base
        for mark in marks:
            out = f"\\{_ACCENTS[mark]}{{{out}}}" if _ACCENTS[mark].isalpha() else f"\\{_ACCENTS[mark]}{out}"
        return "{" + out + "}"
    return f"\\char{ord(ch)}{{}}" if ord(ch) < 256 else ch


def _bib(text: str) -> str:
    return "".join(_ascii(ch) for ch in unicodedata.normalize("NFC", " ".join(text.split())))


def bib_entry(paper: m.Paper) -> str:
    authors = " and ".join(_bib(a) for a in paper.authors) + (" and others" if paper.et_al else "")
    fields: list[tuple[str, str]] = [
        ("title", "{" + _bib(paper.title) + "}"),
        ("author", authors),
        ("year", str(paper.year)),
    ]
    journal = _JOURNAL.match(paper.venue)
    book = _BOOK_PUBLISHER.match(paper.venue)
    if "arxiv" in paper.venue.lower() and paper.arxiv:
        kind = "misc"
        fields += [("howpublished", _bib(paper.venue))]
    elif journal:
        kind = "article"
        fields += [("journal", _bib(journal["journal"].strip(" ,")))]
        fields += [(name, journal[name]) for name in ("volume", "number") if journal[name]]
    elif book:
        kind = "book"
        fields += [("publisher", _bib(book["publisher"]))]
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
