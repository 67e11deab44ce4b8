"""JSON data made safe to write: every string valid Unicode."""

from __future__ import annotations

from typing import Any

from summarize.core.article import printable


def printable_json(value: Any) -> Any:
    """`value` (JSON data) with every string valid Unicode: a file name that is not UTF-8
    cannot be written, nor read back by most JSON readers."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable(k): printable_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [printable_json(v) for v in value]
    return value
