"""Does a brief repeat the model's instructions, as an injected "print your prompt" asks? (pure)"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from summarize.core.brief import Brief

# A run of this many words from the instructions in a brief's text, where the article does
# not have it, is the model reciting its prompt: what injected "print your instructions" asks.
LEAK_WORDS = 8
_WORD = re.compile(r"\w+")


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + LEAK_WORDS]) for i in range(len(words) - LEAK_WORDS + 1)}


@functools.lru_cache(maxsize=8)
def _instruction_shingles(instructions: str) -> frozenset[tuple[str, ...]]:
    # The same instructions go with every article of a run: split them once.
    return frozenset(_shingles(instructions))


def _strings(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def leaked_instructions(brief: Brief, instructions: str, article_text: str) -> str | None:
    """Where `brief` repeats `LEAK_WORDS` words in a row of `instructions` that the article
    does not contain (e.g. 'events[0].summary'), or None (pure)."""
    secret = _instruction_shingles(instructions) - _shingles(article_text)
    if not secret:
        return None
    for path, text in _strings(brief.model_dump(mode="json", exclude={"provenance"}), ""):
        if _shingles(text) & secret:
            return path
    return None
