"""Bad citations a model writes, and what the tolerant reading makes of each (for seed 001,
14 sentences): shared by the reading's unit tests and the client's end-to-end ones."""

from __future__ import annotations

from typing import Any

# (evidence as given, the numbers kept or None when the item is dropped, warning kind)
CITATION_PROBES: list[tuple[Any, list[int] | None, str]] = [
    ([0], None, "dropped"),
    ([-1], None, "dropped"),
    ([-7, 0], None, "dropped"),
    (None, None, "dropped"),
    ([], None, "dropped"),
    ([99], None, "dropped"),
    ([15], None, "dropped"),
    ([None], None, "dropped"),
    (["four"], None, "dropped"),
    ("four", None, "dropped"),
    ([True], None, "dropped"),
    (True, None, "dropped"),
    ({"n": 4}, None, "dropped"),
    ([[4]], None, "dropped"),
    ([4.5], None, "dropped"),
    ([""], None, "dropped"),
    ("", None, "dropped"),
    ("4", [4], "normalised"),
    (4.0, [4], "normalised"),
    (4, [4], "normalised"),
    ([4.0], [4], "normalised"),
    (["4"], [4], "normalised"),
    (["[4]"], [4], "normalised"),
    ([" 4 "], [4], "normalised"),
    (["4", 5.0], [4, 5], "normalised"),
    ([4, 5, 6, 7], [4, 5, 6], "normalised"),
    ([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3], "normalised"),
    ([4, 99], [4], "normalised"),
    ([0, 4], [4], "normalised"),
    ([-1, 4], [4], "normalised"),
    ([None, 4], [4], "normalised"),
    ([4, "x", 0, 99, 5, 6, 7], [4, 5, 6], "normalised"),
    ([14], [14], ""),
    ([4, 4], [4], ""),
]
