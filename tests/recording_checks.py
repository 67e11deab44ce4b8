"""Test-only checks on recordings: key-like strings in files, and the replay miss behind an
error. Moved out of the package, which never called them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from summarize.model.cassettes import ReplayMissError

_SECRET_PATTERNS: Final = (
    ("openai-style key", re.compile(r"(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{16,}")),
    ("bearer token", re.compile(r"\bBearer\s+[A-Za-z0-9._~+/=-]{8,}")),
    (
        "credential key",
        re.compile(r"""(?i)["'](?:authorization|api[-_]?key|x-api-key)["']\s*:"""),
    ),
    ("authorization header", re.compile(r"(?im)^\s*authorization\s*:")),
)


def scan_for_secrets(root: Path) -> list[str]:
    """Key-like strings in files under `root`, as 'path:line: kind' (the secret itself omitted)."""
    findings: list[str] = []
    for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as err:
            findings.append(f"{path}: unreadable ({err.strerror})")
            continue
        for lineno, line in enumerate(text.splitlines(), start=1):
            for kind, pattern in _SECRET_PATTERNS:
                if pattern.search(line):
                    findings.append(f"{path}:{lineno}: {kind}")
    return findings


def find_replay_miss(error: BaseException) -> ReplayMissError | None:
    """The ReplayMissError behind `error` (instructor wraps it as __cause__), if any."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, ReplayMissError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
