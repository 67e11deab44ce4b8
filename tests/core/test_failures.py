"""Grouping failed articles by cause for the end of a run."""

from __future__ import annotations

from summarize.core.failures import group_failures
from summarize.core.results import ErrorRecord, Stage


def replay_miss(n: int) -> ErrorRecord:
    article = f"{n:03d}_abc-1f2e{n}"
    return ErrorRecord(
        article,
        f"seeds/{n:03d}_abc.txt",
        Stage.REPLAY,
        f"replay miss for article {article} (fixtures/recordings/{article}.json): re-record",
    )


def test_one_cause_for_many_articles_is_one_group_naming_the_first_few() -> None:
    too_long = ErrorRecord("x-1", "x.txt", Stage.SIZE, "x.txt is 51,200 characters, over 50,000")
    failures = group_failures([replay_miss(n) for n in range(7)] + [too_long], files=3)

    assert failures.total == 8
    replay, size = failures.groups
    assert (replay.stage, replay.count, replay.more) == ("replay", 7, 4)
    assert replay.files == ["seeds/000_abc.txt", "seeds/001_abc.txt", "seeds/002_abc.txt"]
    assert replay.cause == replay_miss(0).cause, "the cause as the first article has it"
    assert (size.count, size.files) == (1, ["x.txt"])
    assert failures.not_shown == 0


def test_groups_beyond_those_shown_are_counted() -> None:
    errors = [ErrorRecord(None, f"f{n}.txt", Stage.INGEST, f"reason {'x' * n}") for n in range(8)]
    failures = group_failures(errors, groups=5)
    assert (failures.total, len(failures.groups), failures.not_shown) == (8, 5, 3)


def test_causes_differing_only_in_numbers_are_one_group() -> None:
    errors = [
        ErrorRecord(f"a{n}", f"a{n}.txt", Stage.SIZE, f"is {n}1,234 characters, over 50,000")
        for n in range(3)
    ]
    (group,) = group_failures(errors).groups
    assert group.count == 3
