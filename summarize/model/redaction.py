"""Credentials kept out of what summarize writes: recordings, the ledger, errors and logs.

Responses reach the SDK and the parser exactly as the server sent them; secrets are taken out
only where text is stored or shown. Only values long enough to be real secrets are replaced
inside text: a placeholder key such as `x`, `null` or `EMPTY` would otherwise rewrite every
answer that happens to contain it. Headers are never stored, so they need no redaction.
"""

from __future__ import annotations

import base64
import binascii
import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from pydantic import BaseModel

from summarize.settings import Settings, url_credentials

# Shorter values are placeholders, not credentials: servers that need no key are given one
# anyway ("x", "EMPTY", "null", "not-set"), and they occur in ordinary text.
MIN_SECRET_CHARS: Final = 8
MASK: Final = "***"
M = TypeVar("M", bound=BaseModel)


def _basic_parts(user: str, password: str) -> list[str]:
    """What a Basic credential can be echoed as: encoded, decoded, or the password alone."""
    pair = f"{user}:{password}"
    return [base64.b64encode(pair.encode("utf-8")).decode("ascii"), pair, password]


@dataclass(frozen=True)
class Secrets:
    """Secret values to mask in text, longest first (so a longer one is never left half
    masked by a shorter one it contains)."""

    values: tuple[str, ...] = ()

    @classmethod
    def of(cls, candidates: Iterable[str | None]) -> Secrets:
        kept = {c for c in candidates if c and len(c) >= MIN_SECRET_CHARS}
        return cls(tuple(sorted(kept, key=lambda v: (-len(v), v))))

    @classmethod
    def of_settings(cls, settings: Settings) -> Secrets:
        """The API key and the credentials in the base URL."""
        candidates = [settings.api_key.get_secret_value() if settings.api_key else None]
        credentials = url_credentials(settings.base_url)
        if credentials is not None:
            candidates += _basic_parts(*credentials)
        return cls.of(candidates)

    @classmethod
    def sent_in(cls, headers: Mapping[str, str]) -> Secrets:
        """The credentials a request carries: a bearer token, an api-key, Basic user:password."""
        candidates: list[str] = []
        for name in ("authorization", "api-key"):
            scheme, _, value = headers.get(name, "").strip().rpartition(" ")
            candidates.append(value.strip())
            if scheme.lower() == "basic":
                try:
                    pair = base64.b64decode(value, validate=True).decode("utf-8")
                except (binascii.Error, UnicodeDecodeError):
                    continue
                user, _, password = pair.partition(":")
                candidates += _basic_parts(user, password)
        return cls.of(candidates)

    def __or__(self, other: Secrets) -> Secrets:
        return Secrets.of([*self.values, *other.values])

    def redact(self, text: str) -> str:
        for value in self.values:
            text = text.replace(value, MASK)
        return text

    def masked(self, answer: M) -> M:
        """A parsed answer with every secret in its text masked: what is stored (a brief, a
        memo's synthesis). The answer was parsed as the server sent it; only the kept copy
        changes, and only when a secret was echoed into it."""
        dumped = answer.model_dump_json()
        masked = self.redact(dumped)
        return answer if masked == dumped else type(answer).model_validate_json(masked)

    def redact_bytes(self, content: bytes) -> bytes:
        for value in self.values:
            content = content.replace(value.encode("utf-8"), MASK.encode("utf-8"))
        return content


# -- logs ------------------------------------------------------------------------------------------

_logged_secrets = Secrets()
_lock = threading.Lock()
_make_record: Any = None  # the record factory ours wraps, once installed


def keep_out_of_logs(secrets: Secrets) -> None:
    """Mask `secrets` in every log record made from now on in this process, by any library.

    Libraries log what the endpoint answered (instructor quotes each failed attempt's error,
    body included), and a server may echo the credentials there. Records are masked as they
    are made, so whatever handler a program or a test attaches writes no secret.
    """
    global _logged_secrets, _make_record
    if not secrets.values:
        return
    with _lock:
        _logged_secrets = _logged_secrets | secrets
        if _make_record is None:
            _make_record = logging.getLogRecordFactory()
            logging.setLogRecordFactory(_masked_record)


def _masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record: logging.LogRecord = _make_record(*args, **kwargs)
    secrets = _logged_secrets
    try:
        message = record.getMessage()
    except Exception:  # a library's malformed log call: its own handler reports it
        return record
    masked = secrets.redact(message)
    if masked != message:
        record.msg, record.args = masked, None
    if record.exc_info and record.exc_info[1] is not None:
        # Formatters use exc_text when it is set: the traceback is written masked.
        text = logging.Formatter().formatException(record.exc_info)
        if secrets.redact(text) != text:
            record.exc_text = secrets.redact(text)
    return record
