"""The garbage collector's policy for one command's duration, restored after it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def frozen_start(threshold: tuple[int, int, int] | None = None) -> Iterator[None]:
    """What is loaded before the command's work (modules, settings) is left out of garbage
    collection while it runs: each full pass would walk all of it again, for objects that
    live as long as the process (and a forked worker would copy every page it walks).
    `threshold` also spaces the passes. Undone after the command: a caller that embeds the
    CLI keeps its collector as it was."""
    before = gc.get_threshold()
    gc.freeze()
    if threshold is not None:
        gc.set_threshold(*threshold)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
