"""Search as learners type it (issue 13): hyphenated terms, an ampersand in a product name and a
plain-English task, each landing on the topic that teaches it. Written before the search was tuned."""

from __future__ import annotations

import pytest

from handbook.render import Links
from handbook.validate import read_spec
from helpers import ROOT

pytestmark = pytest.mark.browser

SPEC = read_spec(ROOT / "roadmap")
LINKS = Links(SPEC)

# What a learner types, and the topic (roadmap/phases/*.yml) that teaches it.
LEARNER_QUERIES = {
    "top-p sampling": "autoregressive-decoding",
    "chain-of-thought": "chain-of-thought",
    "Weights & Biases": "experiment-tracking",
    "reproduce a paper": "reproducing-results",
}

# Measured failures, per engine (strict: the mark must go the day the query lands). Before tuning,
# "reproduce a paper" failed on both engines (MkDocs expanded "a" as a prefix of every word starting
# with a); the search separator now drops stop words, and it lands third on MkDocs. Zensical ignores
# search boosts: "reproduce a paper" ranks the interview question "a paper you reproduced", the home
# page and two topics' paper lists first, and "top-p sampling" the glossary's nucleus and min-p entries.
EXPECTED_MISSES: dict[str, set[str]] = {
    "mkdocs": set(),
    "zensical": {"reproduce a paper", "top-p sampling"},
}


@pytest.mark.parametrize(("query", "topic"), LEARNER_QUERIES.items(), ids=LEARNER_QUERIES.keys())
def test_learner_query_lands_on_the_topic_that_teaches_it(reader_search, request, query, topic):
    if query in EXPECTED_MISSES[reader_search.visit.engine]:
        request.applymarker(pytest.mark.xfail(strict=True, reason="measured: ranks below the third result"))
    target = LINKS.site_url("topic", topic)
    results = reader_search.run(query)
    # The topic's page (or one of its sections) among the first three results, shown without scrolling.
    first = [link for group in results[:3] for link, seen in group if seen]
    assert any(link.split("#")[0].endswith(target) for link in first), results[:3]
