"""The roadmap spec's data models: one class per kind of record, one per kind of file.

Every model is strict (no silent type coercion, so YAML's `no` never becomes the
string "False") and forbids unknown fields (so a typo like `titel` is an error).
`roadmap/schemas/*.json` are generated from these classes (`handbook schema`), one per kind of file.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ARXIV_PATTERN = r"^(?:\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$"
SHORTENER_HOSTS = frozenset(
    {
        "bit.ly",
        "t.co",
        "goo.gl",
        "tinyurl.com",
        "ow.ly",
        "buff.ly",
        "is.gd",
        "rebrand.ly",
        "lnkd.in",
        "youtu.be",
    }
)
TRACKING_PARAMS = re.compile(r"(?:^|[?&])(?:utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ref_src)=")

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=80),
    Field(
        description="Stable id: lowercase letters, digits and single hyphens. Never reuse or rename a published id.",
        examples=["linear-algebra"],
    ),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]


def check_url(url: str) -> str:
    """An address a reader can follow: https, no shortener, no tracking parameters, no spaces."""
    if not url.startswith("https://"):
        raise ValueError("links must start with https:// (no http:, javascript: or data: links)")
    host = url[len("https://") :].split("/", 1)[0].split("?", 1)[0].lower()
    if not host or "." not in host or any(c in url for c in " \t\n<>\"'`"):
        raise ValueError("not a well-formed https address")
    if host.removeprefix("www.") in SHORTENER_HOSTS:
        raise ValueError(f"link shortener `{host}`: use the canonical address it points to")
    if TRACKING_PARAMS.search(url.split("?", 1)[1] if "?" in url else ""):
        raise ValueError("remove tracking parameters (utm_*, fbclid, ...) from the address")
    return url


Url = Annotated[
    str,
    StringConstraints(max_length=2000),
    AfterValidator(check_url),
    Field(description="Canonical https address.", examples=["https://arxiv.org/abs/1706.03762"]),
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Weeks(Model):
    """Inclusive week range within the year-long plan."""

    start: int = Field(ge=1, le=104, description="First week of the phase.", examples=[1])
    end: int = Field(ge=1, le=104, description="Last week of the phase (inclusive).", examples=[8])

    @model_validator(mode="after")
    def _ordered(self) -> Weeks:
        if self.end < self.start:
            raise ValueError(f"week range ends (week {self.end}) before it starts (week {self.start})")
        return self


ResourceType = Literal["paper", "book", "course", "video", "article", "docs", "code"]


class Resource(Model):
    """Something to study outside the handbook."""

    title: Line = Field(
        description="Title as the author publishes it.", examples=["Essence of Linear Algebra"]
    )
    url: Url
    type: ResourceType = Field(description="What kind of resource this is.")
    free: bool = Field(description="true when it can be read or watched without paying.")
    by: Line | None = Field(default=None, description="Author or publisher.", examples=["3Blue1Brown"])


REVIEWED_PATTERN = r"^20\d{2}-(?:0[1-9]|1[0-2])$"


class SelfCheck(Model):
    """A question a reader answers before opening the worked answer."""

    question: Line = Field(examples=["Why does the Adam update stay bounded when a gradient is tiny?"])
    answer: Text = Field(
        description="A worked answer that explains why, in the reader's terms, and says where the topic "
        "teaches it. Plain text; separate paragraphs with a blank line."
    )


class Exercise(Model):
    """A practice task or a project to build; a checkbox on its phase page."""

    id: Slug
    task: Line = Field(description="What to do, as an instruction.")
    expect: Text | None = Field(
        default=None,
        description="The result to expect and where that number comes from (a paper, a reference run). "
        "Leave it out rather than guess.",
    )


class Topic(Model):
    """One thing to learn; a checkbox on its phase page."""

    id: Slug
    title: Line = Field(examples=["Linear algebra for deep learning"])
    summary: Line = Field(description="One sentence shown in overviews and search results.")
    explanation: Text = Field(
        description="Why this matters for research work and how it connects to what follows. "
        "Plain text; separate paragraphs with a blank line."
    )
    key_concepts: list[Line] = Field(min_length=1, description="Terms a reader should be able to explain.")
    hours: int | None = Field(default=None, ge=1, le=400, description="Estimated study hours for this topic.")
    prerequisites: list[Slug] = Field(default=[], description="Ids of topics to learn first.")
    papers: list[Slug] = Field(default=[], description="Ids of papers from papers.yml.")
    resources: list[Resource] = Field(default=[])
    questions: list[SelfCheck] = Field(
        default=[], max_length=4, description="Two to four check questions with worked answers."
    )
    reviewed: str | None = Field(
        default=None,
        pattern=REVIEWED_PATTERN,
        description="Year and month of the last expert review of this topic, quoted.",
        examples=["2026-11"],
    )


class Check(Model):
    """One self-check item of a milestone; a checkbox."""

    id: Slug
    text: Line = Field(examples=["I can derive backpropagation for a two-layer network on paper."])


class Milestone(Model):
    summary: Line = Field(description="What a reader can do at the end of the phase.")
    checks: list[Check] = Field(min_length=1)


class Track(Model):
    """One specialization track: a page of its own inside its phase."""

    id: Slug
    title: Line
    summary: Line
    goal: Text
    topics: list[Topic] = Field(min_length=1)
    build: list[Exercise] = Field(default=[], description="Projects to build in this track.")


class Phase(Model):
    """One file in roadmap/phases/: a stage of the year."""

    id: Slug
    title: Line = Field(examples=["Mathematical foundations"])
    summary: Line
    goal: Text
    weeks: Weeks
    hours: int = Field(ge=1, le=2000, description="Estimated study hours for the whole phase.")
    prerequisites: list[Line] = Field(default=[], description="What a reader should know before starting.")
    topics: list[Topic] = Field(default=[])
    tracks: list[Track] = Field(default=[], description="Alternative tracks; the reader picks one.")
    practice: list[Exercise] = Field(default=[])
    build: list[Exercise] = Field(default=[], description="Projects to build in this phase.")
    milestone: Milestone

    @model_validator(mode="after")
    def _has_content(self) -> Phase:
        if not self.topics and not self.tracks:
            raise ValueError("a phase needs at least one topic or track")
        return self

    def all_topics(self) -> list[Topic]:
        return [*self.topics, *(t for track in self.tracks for t in track.topics)]


class NextPath(Model):
    id: Slug
    title: Line
    description: Text


class HandbookFile(Model):
    """roadmap/handbook.yml: the title and the order of the phases."""

    title: Line
    description: Text
    phases: list[Slug] = Field(
        min_length=1, description="Phase ids in reading order; each is phases/<id>.yml."
    )
    next_paths: list[NextPath] = Field(default=[])


class Paper(Model):
    id: Slug = Field(examples=["vaswani-2017-attention"])
    title: Line = Field(description="Title as published.", examples=["Attention Is All You Need"])
    authors: list[Line] = Field(min_length=1, description="Authors in order; list the first few at least.")
    et_al: bool = Field(default=False, description="true when `authors` is not the full list.")
    year: int = Field(ge=1900, le=2100)
    venue: Line = Field(examples=["NeurIPS 2017"])
    arxiv: str | None = Field(
        default=None,
        pattern=ARXIV_PATTERN,
        description="arXiv identifier, quoted (YAML reads 1706.03762 as a number).",
        examples=["1706.03762"],
    )
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$", examples=["10.1038/nature14539"])
    url: Url | None = Field(default=None, description="Canonical address when there is no arXiv id.")
    why: Line = Field(description="One line on why to read it.")

    @field_validator("arxiv")
    @classmethod
    def _not_after_arxiv(cls, arxiv: str | None, info: ValidationInfo) -> str | None:
        """`year` is the first public release, so it cannot come after the year an arXiv id (YYMM.NNNNN)
        was given: the typo is caught, and so is a conference year written where the preprint's belongs."""
        year = info.data.get("year")
        yymm = re.match(r"(\d{2})\d{2}\.", arxiv or "")
        posted = 2000 + int(yymm[1]) if yymm else None
        if posted and year and year > posted:
            raise ValueError(
                f"`year` is {year}, but arXiv `{arxiv}` was posted in {posted}: "
                "give the year the paper first appeared (its arXiv v1), not its venue's"
            )
        return arxiv

    @model_validator(mode="after")
    def _findable(self) -> Paper:
        if not (self.arxiv or self.doi or self.url):
            raise ValueError("a paper needs at least one of `arxiv`, `doi` or `url`")
        return self

    @property
    def link(self) -> str:
        if self.arxiv:
            return f"https://arxiv.org/abs/{self.arxiv}"
        if self.doi:
            return f"https://doi.org/{self.doi}"
        assert self.url
        return self.url


class PapersFile(Model):
    papers: list[Paper] = Field(min_length=1)


class Term(Model):
    id: Slug
    term: Line = Field(examples=["Kullback-Leibler divergence"])
    abbr: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,15}$",
        description="Abbreviation shown with a tooltip wherever it appears.",
        examples=["KL"],
    )
    definition: Text
    related: list[Slug] = Field(default=[], description="Ids of related glossary terms.")
    topics: list[Slug] = Field(default=[], description="Ids of topics that teach this term.")
    general: bool = Field(
        default=False,
        description="true for a term kept for readers' reference although no page of the handbook uses it.",
    )


class GlossaryFile(Model):
    terms: list[Term] = Field(min_length=1)


class Skill(Model):
    id: Slug
    name: Line
    level: Literal["must-have", "important", "nice-to-have"]
    description: Line
    topics: list[Slug] = Field(min_length=1, description="Ids of topics that teach this skill.")


class SkillsFile(Model):
    skills: list[Skill] = Field(min_length=1)


class Project(Model):
    id: Slug
    title: Line
    level: Literal["beginner", "intermediate", "advanced"]
    phase: Slug = Field(description="Id of the phase this project belongs to.")
    skills: list[Line] = Field(min_length=1, description="What building it exercises.")
    description: Text


class ProjectsFile(Model):
    projects: list[Project] = Field(min_length=1)


class Tool(Model):
    id: Slug
    name: Line
    url: Url
    description: Line


class ToolCategory(Model):
    id: Slug
    title: Line
    tools: list[Tool] = Field(min_length=1)


class ToolsFile(Model):
    categories: list[ToolCategory] = Field(min_length=1)


class Question(Model):
    id: Slug
    question: Line
    topics: list[Slug] = Field(min_length=1, description="Ids of topics that answer it.")
    hint: Text = Field(description="What a good answer covers.")
    answer: Text | None = Field(
        default=None, description="A model answer, written to teach: the reasoning, not only the result."
    )


class InterviewFile(Model):
    questions: list[Question] = Field(min_length=1)


class Roadmap(Model):
    """The whole spec, after every file has been read and validated on its own."""

    handbook: HandbookFile
    phases: list[Phase]
    papers: list[Paper]
    glossary: list[Term]
    skills: list[Skill]
    projects: list[Project]
    tools: list[ToolCategory]
    questions: list[Question]
