"""Test double of llama-cpp-python's `Llama` (see ../README.md): tokens come one by one from
`generate`, a little slowly, so that a heartbeat has something to report."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from typing import Any

# Seconds between written tokens: an answer of ~200 tokens takes a second or two.
TOKEN_SECONDS = 0.005
# With LLAMA_DOUBLE_WAIT=1 an article request waits, after this many tokens, until the
# progress route has shown it writing (see server/app.py), so that a test sees "tokens so far"
# without racing a clock.
WAIT = os.environ.get("LLAMA_DOUBLE_WAIT") == "1"
PAUSE_AFTER = 5
PAUSE_LIMIT = 30.0
seen_writing = threading.Event()


class Llama:
    """Writes `self.planned` tokens for whatever prompt it is given."""

    def __init__(self) -> None:
        self.n_tokens = 0
        self.planned = 1
        self.wait_for_progress = False

    def generate(self, tokens: Any, *args: Any, **kwargs: Any) -> Iterator[int]:
        for i in range(self.planned):
            time.sleep(TOKEN_SECONDS)
            yield i
            if WAIT and self.wait_for_progress and i + 1 == PAUSE_AFTER:
                seen_writing.wait(PAUSE_LIMIT)
                seen_writing.clear()
