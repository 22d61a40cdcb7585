"""Freshness as data: which topics have not been reviewed within a number of months."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from .problems import Problem
from .validate import Spec, topic_places


def months_between(earlier: str, later: str) -> int:
    """Whole months from one `YYYY-MM` to another."""
    (y1, m1), (y2, m2) = (map(int, s.split("-")) for s in (earlier, later))
    return (y2 - y1) * 12 + (m2 - m1)


def this_month(today: dt.date | None = None) -> str:
    today = today or dt.datetime.now(dt.UTC).date()
    return f"{today.year:04d}-{today.month:02d}"


def stale_topics(spec: Spec, months: int, now: str) -> Iterator[Problem]:
    """One located line per topic last reviewed more than `months` months before `now`, or never."""
    for _, topic, where in topic_places(spec):
        if topic.reviewed is None:
            yield where.problem(f"topic `{topic.id}` has no `reviewed` month", "id")
            continue
        age = months_between(topic.reviewed, now)
        if age > months:
            yield where.problem(
                f"topic `{topic.id}` was last reviewed {topic.reviewed}, {age} months ago "
                f"(more than {months})",
                "reviewed",
            )
