"""`handbook check --stale MONTHS`: topics not reviewed within MONTHS months, located, as warnings."""

from __future__ import annotations

import pytest

from handbook.freshness import months_between


def stale(handbook, root, *extra: str):
    return handbook("check", "--spec", "roadmap", "--stale", *extra, cwd=root.parent)


def test_topics_never_reviewed_are_listed_at_their_id_and_do_not_fail(spec, handbook):
    result = stale(handbook, spec("minimal"), "12", "--today", "2026-11")
    assert result.code == 0
    assert result.err.splitlines() == [
        "roadmap/phases/basics.yml:13:9: topic `vectors` has no `reviewed` month (warning)",
        "roadmap/phases/basics.yml:26:9: topic `gradients` has no `reviewed` month (warning)",
        "roadmap/phases/models.yml:13:13: topic `convolutions` has no `reviewed` month (warning)",
        "3 topic(s) not reviewed within 12 months of 2026-11.",
    ]


def test_an_old_review_is_located_at_its_reviewed_field(spec, handbook):
    result = stale(handbook, spec("minimal"), "12", "--today", "2028-01")
    assert (
        "roadmap/phases/models.yml:31:19: topic `tokens` was last reviewed 2026-11, 14 months ago "
        "(more than 12) (warning)" in result.err.splitlines()
    )
    assert result.code == 0


def test_a_review_exactly_months_old_is_still_fresh(spec, handbook):
    result = stale(handbook, spec("minimal"), "14", "--today", "2028-01")
    assert "`tokens`" not in result.err


def test_fail_on_stale_turns_the_warning_into_a_failure(spec, handbook):
    result = stale(handbook, spec("minimal"), "12", "--today", "2026-11", "--fail-on-stale")
    assert result.code == 1
    assert "(warning)" not in result.err
    assert "roadmap/phases/basics.yml:13:9: topic `vectors` has no `reviewed` month" in result.err


@pytest.mark.parametrize("bad", ["twelve", "-1"])
def test_months_must_be_a_whole_number(spec, handbook, bad):
    with pytest.raises(SystemExit) as exit_:
        stale(handbook, spec("minimal"), bad)
    assert exit_.value.code == 2


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [("2025-11", "2026-11", 12), ("2025-12", "2026-01", 1), ("2026-11", "2026-11", 0)],
)
def test_months_between(earlier, later, months):
    assert months_between(earlier, later) == months
