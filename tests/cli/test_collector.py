"""A command's collector policy is its own: in force while it runs, undone after, even when
it fails, so a program that embeds the CLI keeps its collector as it was."""

from __future__ import annotations

import gc

import pytest

from summarize.cli.collector import frozen_start


def test_what_was_loaded_is_frozen_during_the_command_and_released_after() -> None:
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    with frozen_start(threshold=(50_000, 20, 500)):
        assert gc.get_freeze_count() > frozen
        assert gc.get_threshold() == (50_000, 20, 500)
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == 0


def test_the_policy_is_undone_when_the_command_fails() -> None:
    threshold = gc.get_threshold()
    with pytest.raises(RuntimeError), frozen_start(threshold=(10, 1, 1)):
        raise RuntimeError("the command failed")
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == 0
