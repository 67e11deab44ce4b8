"""From file bytes to article text: decoding, telling text from binary data, repairing
mis-decoded text, and metadata as one clean line.

Which encoding a file is in and whether it holds text at all is charset-normalizer's
judgement; mojibake (UTF-8 read as Windows-1252, "MÃ¼ller") is ftfy's.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter

import ftfy
from charset_normalizer import from_bytes

from summarize.core.article import normalize_text
from summarize.sources.parsed import Unusable

# How long an example of repaired text a note quotes, at most.
_EXAMPLE_CHARS = 40
# What breaks a line for a reader or a model (str.splitlines' set), and other control
# characters. The tab is left: it breaks nothing.
_LINE_BREAKS = re.compile(r"\s*[\n\v\f\r\x00-\x08\x0e-\x1f\x7f-\x9f\u2028\u2029]+\s*")


# What charset-normalizer may guess for text that declares no charset. Western guesses are
# left to cp1252 as before (a short Latin text reads alike in all of them, and detection
# among them is a coin toss); a Cyrillic, Greek or East Asian one is taken.
_WESTERN = frozenset(
    {"ascii", "utf_8", "cp1252", "latin_1", "iso8859_15", "mac_roman", "cp850", "cp437"}
)


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode file bytes: UTF-16 with BOM, UTF-8 (BOM or not), a declared charset, a
    detected one, cp1252, then latin-1, which cannot fail."""
    return decoded(data, declared)[0]


def decoded(data: bytes, declared: str | None = None) -> tuple[str, str | None]:
    """The text of file bytes, and a note when its charset was guessed, not declared."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return normalize_text(data.decode("utf-16")), None
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", declared):
        if encoding is None:
            continue
        try:
            return normalize_text(data.decode(encoding)), None
        except (UnicodeDecodeError, LookupError):
            continue
    guessed = _detected(data)
    if guessed is not None:
        return normalize_text(data.decode(guessed)), (
            f"no charset declared (or the declared one does not fit); read as {guessed} by "
            "detection: save the file as UTF-8, or declare its charset, if the text looks wrong"
        )
    try:
        return normalize_text(data.decode("cp1252")), None
    except UnicodeDecodeError:
        return normalize_text(data.decode("latin-1")), None


# A guess is taken only when the text it gives is plainly in one other script: this many
# non-ASCII letters at least, and nearly all of one script (a stray byte in a Latin text
# would otherwise make it Arabic or Cyrillic).
_MIN_SCRIPT_LETTERS, _SCRIPT_SHARE = 8, 0.9


def _detected(data: bytes) -> str | None:
    """The charset charset-normalizer finds for undeclared non-UTF-8 text, when the text
    it gives is plainly in a non-Latin script (Cyrillic, Greek, Arabic, Asian); else None."""
    best = from_bytes(data).best()
    if best is None or best.encoding in _WESTERN:
        return None
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    scripts = Counter(_script(c) for c in text if ord(c) > 0x7F and c.isalpha())
    letters = sum(scripts.values())
    if letters < _MIN_SCRIPT_LETTERS:
        return None
    script, count = scripts.most_common(1)[0]
    if script == "LATIN" or count < _SCRIPT_SHARE * letters:
        return None
    return str(best.encoding)


def _script(char: str) -> str:
    """The script a letter belongs to, by its Unicode name ("CYRILLIC SMALL LETTER A");
    Japanese and Korean writing, which mix scripts, count as one with Chinese."""
    script = unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]
    return "CJK" if script in _EAST_ASIAN else script


_EAST_ASIAN = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH", "HANGUL"})


def not_text(data: bytes) -> str | None:
    """Why `data` is not text (so it looks binary), or None when it is text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            data.decode("utf-16")
        except UnicodeDecodeError:
            return "it starts like UTF-16 but is not"
        return None
    if b"\x00" in data:
        return "it contains NUL bytes"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8, which random bytes almost never are. Some other encoding may read it as
        # text; only if none does is it refused.
        if from_bytes(data).best() is None:
            return "it is not UTF-8, and no other encoding reads it as text"
    return None


def text_of(data: bytes, declared: str | None = None) -> str:
    """The text in a text file's bytes, or `Unusable` saying why there is none."""
    return noted_text(data, declared)[0]


def noted_text(data: bytes, declared: str | None = None) -> tuple[str, str | None]:
    """`text_of`, and a note when the charset was guessed."""
    why = not_text(data)
    if why is not None:
        raise Unusable(
            f"looks binary ({why}), not text; convert it to UTF-8 text or remove it from the folder"
        )
    text, note = decoded(data, declared)
    if not text.strip():
        raise Unusable("is empty (or only whitespace); add the article text or remove the file")
    return text, note


def repair(text: str) -> tuple[str, str | None]:
    """`text` with mojibake repaired (UTF-8 that was read as Windows-1252 or Latin-1, in
    all of the text or in parts), and a note saying so, or None when nothing was."""
    fixed = ftfy.fix_encoding(text)
    if fixed == text:
        return text, None
    was, now = _first_change(text, fixed)
    return fixed, (
        f"mis-decoded text was repaired (such as {was!r}, now {now!r}); the brief quotes "
        "the repaired text: save the file as UTF-8 to have it read as it is"
    )


def _first_change(before: str, after: str) -> tuple[str, str]:
    """The first word that differs, as it was and as it is now."""
    same = 0
    for a, b in zip(before, after, strict=False):
        if a != b:
            break
        same += 1
    start = max(before.rfind(" ", 0, same), before.rfind("\n", 0, same)) + 1
    return _word(before, start), _word(after, start)


def _word(text: str, start: int) -> str:
    word = text[start:].split(maxsplit=1)
    return word[0][:_EXAMPLE_CHARS] if word else ""


def one_line(value: str | None) -> str | None:
    """Metadata as one line: no line breaks or control characters to forge prompt lines
    with (each run of them, with the spaces around it, becomes one space)."""
    if value is None:
        return None
    return _LINE_BREAKS.sub(" ", value).strip() or None
