"""The handbook's content: every phase complete, the counts the brief asks for, every citation
resolving, every abbreviation explained, every address canonical."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handbook.freshness import this_month
from handbook.models import SHORTENER_HOSTS, SLUG_PATTERN, TRACKING_PARAMS
from handbook.validate import read_spec
from helpers import ROOT

SPEC = read_spec(ROOT / "roadmap")
RM = SPEC.roadmap
TOPICS = [t for p in RM.phases for t in p.all_topics()]
SLUG = re.compile(SLUG_PATTERN)
ABBREVIATION = re.compile(r"\b(?:[a-z]-)?[A-Z](?:[A-Za-z0-9]|-(?=[A-Z]))*[A-Z][A-Z0-9]*\b")
CAPS = re.compile(r"^[A-Z][A-Za-z0-9]*[A-Z][A-Z0-9]*$")
# Capitalised tokens that are names, not abbreviations a reader needs expanded.
NOT_ABBREVIATIONS = {
    line.strip()
    for line in (Path(__file__).parent / "content_names.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}
# Titles and author names are quoted as published, so they are not held to the glossary rule.
AS_PUBLISHED = re.compile(r"(papers\.yml\.papers\[\d+\]\.(title|authors)|\.resources\[\d+\]\.(title|by))")


def all_text() -> list[tuple[str, str]]:
    """(where, text) for every free-text value in the spec and every hand-written page."""
    out: list[tuple[str, str]] = []

    def walk(where: str, value: object) -> None:
        if isinstance(value, str):
            if not value.startswith("https://"):
                out.append((where, value))
        elif isinstance(value, dict):
            for k, v in value.items():
                if k not in {"id", "url", "arxiv", "doi", "abbr", "type", "level", "phase"}:
                    walk(f"{where}.{k}", v)
        elif isinstance(value, list) and not all(isinstance(v, str) and SLUG.match(v) for v in value):
            for i, v in enumerate(value):
                walk(f"{where}[{i}]", v)

    for name, source in SPEC.sources.items():
        if name != "glossary.yml":
            walk(name, source.data)
    for page in sorted((ROOT / "docs").rglob("*.md")):
        rel = page.relative_to(ROOT / "docs").parts[0]
        if rel not in {"phases", "reference", "snippets"}:
            out.append((str(page.relative_to(ROOT)), page.read_text(encoding="utf-8")))
    return out


TEXT = all_text()


def test_seven_phases_in_order_with_four_specialization_tracks():
    assert [p.id for p in RM.phases] == [
        "mathematical-foundations",
        "deep-learning",
        "nlp-transformers",
        "generative-ai-llms",
        "research-methodology",
        "specialization",
        "contributing",
    ]
    spec = next(p for p in RM.phases if p.id == "specialization")
    assert [t.id for t in spec.tracks] == [
        "llm-alignment",
        "efficient-training-inference",
        "multimodal",
        "reasoning-agents",
    ]


@pytest.mark.parametrize("phase", RM.phases, ids=lambda p: p.id)
def test_every_phase_has_every_part(phase):
    assert len(phase.goal.split()) >= 25
    assert phase.prerequisites, "prerequisites"
    assert phase.practice, "practice exercises"
    assert phase.build or all(t.build for t in phase.tracks), "build projects"
    assert len(phase.milestone.checks) >= 3, "milestone self-check items"
    assert phase.all_topics()


def test_counts_the_brief_asks_for():
    assert len(TOPICS) >= 100
    assert len(RM.papers) >= 80
    assert len(RM.glossary) >= 80


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.id)
def test_every_topic_is_a_complete_lesson(topic):
    assert len(topic.explanation.split()) >= 120, f"{len(topic.explanation.split())} words"
    assert len(topic.key_concepts) >= 3
    assert len(topic.resources) >= 2
    urls = [r.url for r in topic.resources]
    assert len(urls) == len(set(urls)), "a resource URL repeats within the topic"


def test_the_essential_papers_are_on_the_reading_list():
    arxiv = {p.arxiv for p in RM.papers}
    essential = {
        "1706.03762",
        "1810.04805",
        "2005.14165",
        "2106.09685",
        "2203.02155",
        "2305.18290",
        "2307.09288",
        "1406.2661",
        "2011.13456",
        "2303.01469",
        "2404.16767",
        "2211.17192",
        "2305.13673",
        "2001.08361",
        # Named in the text and relied on (issue 10): GQA, RMSNorm, how BatchNorm helps optimization,
        # latent diffusion, classifier-free guidance, YaRN, induction heads, DeepSeek-R1, Ziegler 2019.
        "2305.13245",
        "1910.07467",
        "1805.11604",
        "2112.10752",
        "2207.12598",
        "2309.00071",
        "2209.11895",
        "2501.12948",
        "1909.08593",
    }
    assert essential <= arxiv, essential - arxiv


# What a 2026 research engineer must know that the 2023 edition lacked (issue 10): each a full lesson.
NEW_IN_2026 = [
    "classical-ml-and-evaluation-metrics",
    "mixed-precision-numerics",
    "self-supervised-learning",
    "rl-foundations",
    "policy-gradients",
    "state-space-models",
    "pretraining-data",
    "pretraining-recipe",
    "modern-attention-and-moe",
    "flow-matching-and-guidance",
    "frontier-evaluation",
    "rl-for-reasoning",
    "post-training-beyond-dpo",
    "compilers-and-low-precision-training",
]
BY_ID = {t.id: t for t in TOPICS}


@pytest.mark.parametrize("topic_id", NEW_IN_2026)
def test_the_2026_topics_are_full_lessons(topic_id):
    topic = BY_ID.get(topic_id)
    assert topic is not None, f"topic `{topic_id}` is missing"
    assert len(topic.explanation.split()) >= 200, f"{len(topic.explanation.split())} words"
    assert len(topic.resources) >= 2
    assert topic.papers, "cites the papers it relies on"


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.id)
def test_every_topic_has_check_questions_with_worked_answers(topic):
    assert 2 <= len(topic.questions) <= 4
    asked = [q.question for q in topic.questions]
    assert len(asked) == len(set(asked)), "a question repeats"
    for q in topic.questions:
        # A worked answer explains; a one-line confirmation ("Yes, because X.") does not teach.
        assert len(q.answer.split()) >= 30, f"answer to {q.question!r} has {len(q.answer.split())} words"
        assert q.answer.strip() != q.question.strip()


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.id)
def test_every_topic_records_when_it_was_last_reviewed(topic):
    assert topic.reviewed is not None
    assert topic.reviewed <= this_month(), "a review month in the future"


@pytest.mark.parametrize("question", RM.questions, ids=lambda q: q.id)
def test_every_interview_question_has_a_model_answer(question):
    assert question.answer is not None
    assert len(question.answer.split()) >= 80, f"{len(question.answer.split())} words"


@pytest.mark.parametrize("phase", RM.phases, ids=lambda p: p.id)
def test_phase_hours_are_the_sum_of_its_topics(phase):
    """A phase's hours are what its topics add up to; with tracks, the shared topics plus the
    longest track (a reader takes one)."""
    assert all(t.hours for t in phase.all_topics()), "every topic has an estimate"
    shared = sum(t.hours or 0 for t in phase.topics)
    longest_track = max((sum(t.hours or 0 for t in track.topics) for track in phase.tracks), default=0)
    assert phase.hours == shared + longest_track


def test_every_paper_is_cited_and_every_citation_resolves():
    cited = {pid for t in TOPICS for pid in t.papers}
    ids = {p.id for p in RM.papers}
    assert cited == ids


def names(term) -> list[str]:
    """How the text may write a term: "Eigenvalue and eigenvector (linear algebra)" counts as either word."""
    base = re.sub(r"\s*\([^)]*\)", "", term.term).lower()
    return [term.term.lower(), base, *base.split(" and ")] + ([term.abbr.lower()] if term.abbr else [])


def test_every_glossary_term_is_used_or_marked_general():
    corpus = "\n".join(text for _, text in TEXT).lower()
    unused = [
        t.id
        for t in RM.glossary
        if not t.general and not any(re.search(rf"\b{re.escape(n)}", corpus) for n in names(t))
    ]
    assert unused == []


def test_every_abbreviation_in_the_text_is_in_the_glossary():
    defined = {t.abbr for t in RM.glossary if t.abbr}
    compounds = re.compile(
        "|".join(rf"\b{re.escape(a)}\b" for a in sorted(defined, key=len, reverse=True) if "-" in a)
    )
    missing: dict[str, str] = {}
    for where, text in TEXT:
        if AS_PUBLISHED.search(where):
            continue
        text = re.sub(r"`[^`]*`|https://\S+|\]\([^)]*\)|<[^>]+>", " ", text)  # code, addresses and markup
        text = compounds.sub(
            " ", text
        )  # defined abbreviations such as "SWE-bench" that the pattern would split
        for token in ABBREVIATION.findall(text):
            # A compound such as "Megatron-LM" or "ROUGE-L" is covered when it, or each abbreviation in it, is.
            parts = [token] if token in defined else [p for p in token.split("-") if CAPS.match(p)]
            for part in parts:
                if part not in defined and part not in NOT_ABBREVIATIONS:
                    missing.setdefault(part, where)
    assert missing == {}


def test_every_address_is_https_and_canonical():
    urls = [r.url for t in TOPICS for r in t.resources] + [tool.url for c in RM.tools for tool in c.tools]
    urls += [p.link for p in RM.papers]
    for url in urls:
        assert url.startswith("https://"), url
        host = url.split("/")[2].removeprefix("www.")
        assert host not in SHORTENER_HOSTS, url
        assert not TRACKING_PARAMS.search(url.partition("?")[2]), url


def test_orientation_pages_exist():
    for name in ("what-research-engineers-do", "kinds-of-research", "why-research-matters", "how-to-use"):
        page: Path = ROOT / "docs" / "start" / f"{name}.md"
        assert len(page.read_text(encoding="utf-8").split()) >= 300, name


def test_the_reading_list_bibtex_parses_and_is_plain_ascii():
    import bibtexparser

    from handbook.exports import bibtex

    text = bibtex(RM)
    assert text.isascii(), sorted({ch for ch in text if not ch.isascii()})
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert len(library.entries) == len(RM.papers)
    kinds = {e.key: e.entry_type for e in library.entries}
    journals = {
        p.id for p in RM.papers if re.match(r"(Psychometrika|Annals|SIAM Review|Journal of)", p.venue)
    }
    assert journals and all(kinds[pid] == "article" for pid in journals)


def test_every_paper_lists_all_its_authors():
    # `et_al: true` exports "and others"; each shipped entry was completed from the paper's own
    # author list (arXiv, proceedings or the authors' citation block), so none may be left truncated.
    from handbook.exports import bibtex

    assert [p.id for p in RM.papers if p.et_al] == []
    assert " and others" not in bibtex(RM)
