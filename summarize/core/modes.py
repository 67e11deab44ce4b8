"""The two modes a user picks by name: how answers are structured, and whether exchanges are
recorded. Plain enums, so that the command line can offer them without loading settings."""

from __future__ import annotations

from enum import StrEnum


class RecordingMode(StrEnum):
    LIVE = "live"
    RECORD = "record"
    RECORD_MISSING = "record-missing"
    REPLAY = "replay"


class InstructorMode(StrEnum):
    AUTO = "auto"
    TOOLS = "tools"
    JSON_SCHEMA = "json_schema"
    JSON = "json"
