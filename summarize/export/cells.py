"""Rows as cells: the column names and values every tabular writer shares."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

Cell = str | int | bool | dt.date | None


def columns(row_type: type[Any]) -> list[str]:
    """The column names of a row dataclass, in field order."""
    return [f.name for f in dataclasses.fields(row_type)]


def cells(row_type: type[Any], rows: Sequence[Any]) -> Iterator[list[Cell]]:
    """Each row's values, in column order."""
    names = columns(row_type)
    for row in rows:
        yield [getattr(row, name) for name in names]
