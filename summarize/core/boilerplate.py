"""Where an article's text ends and the page's trailing boilerplate begins (pure).

Saved web pages end in share buttons, comment forms, newsletter and app promotions, view
counters and legal notices. Sending those to the model costs tokens and invites made-up
"facts"; cutting article prose would lose real ones. So the cut is conservative: only a
trailing block, only at a line that is itself a known marker, and only when everything
after it looks like page furniture.
"""

from __future__ import annotations

import re
from enum import Enum

# Lines that can open the trailing block. Each must match the whole line (after trimming
# bullets, pipes and a trailing colon), so prose that merely mentions "share" never does.
_OPENERS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"article online",
        r"(original|source) (article|url|link)",
        r"editorial office( and responsibility)?",
        r"exemption from liability",
        r"legal notice|imprint|impressum|disclaimer",
        r"(add|post|leave|write|show|view|read|see)( a| new| your| all)? comments?( \(\d*\))?",
        r"comments?( ?\(\d*\))?|\d+ comments?|no comments( yet)?",
        r"share( this| it| now| article| story| page| post)?"
        r"( on [\w +]{1,30}| via [\w +]{1,30}| with (your )?(family and )?friends)?",
        r"share this (article|story|page|post)"
        r"( on [\w +]{1,30}| with (your )?(family and )?friends)?",
        r"поделиться|compartir|teilen|partager|condividi|udostępnij",
        r"print( this( article| story| page)?)?|e-?mail( this( article| story| page)?)?",
        r"download (our|the) ([\w ]{1,20} )?apps?\b.{0,80}",
        r"sign up (now|here|today|for|to)\b.{0,100}",
        r"subscribe( now| today| here| to [\w ]{1,40})?",
        r"(get|join)( our| the)? [\w ]{0,30}newsletter.{0,60}",
        r"[\d.,\s]*\d (views?|reads?|просмотр\w*)|(views?|просмотры): ?[\d.,]+",
        r"\d+ min(ute)?s? read",
        r"(related|recommended|more|trending|popular)( articles| stories| news| content| posts"
        r"| for you| on this (topic|story)| from [\w ]{1,30})?",
        r"read more|you (may|might) also (like|be interested in)|most (read|popular|viewed)",
        r"tags?(: .{0,100})?|advertisement|sponsored( content)?",
        r"follow us( on [\w ,&]{1,60})?",
        r"(listen to|subscribe to) our podcasts?",
        r"(copyright|©|\(c\)) .{0,120}|all rights reserved.{0,80}",
    )
)

# Phrases that mark a line of page furniture anywhere in the trailing block, even a long one
# (legal text, spam checks). Specific enough not to occur in reporting.
_LEGAL_MARKERS = re.compile(
    r"assume no liability|liability for the content|terms of (service|use)|privacy policy"
    r"|cookie policy|use of cookies|all rights reserved|automated spam|human visitor"
    r"|by subscribing|unsubscribe at any time|may not be (reproduced|republished)",
    re.IGNORECASE,
)
# Softer furniture words: enough to mark a short line in a block that an opener started.
_FURNITURE_MARKERS = re.compile(
    r"https?://|www\.|\(at\)|\S+@\S+\.\w+|\bshare\b|\bprint\b|\bcomments?\b|\bsubscrib"
    r"|\bnewsletter|\binbox\b|\bpodcasts?\b|\bapps?\b|\bapp store\b|\bgoogle play\b"
    r"|\bdownload\b|\bsign up\b|\bfollow us\b|\bwatch on\b|\blisten\b|\bpublished\b"
    r"|\bsource:|\bviews\b|\bmin read\b|\bcharacters shown\b|\bcaptcha\b|\breg\. no\b"
    r"|\bcopyright\b|©|\bv\.i\.s\.d\.p\b|\bpublisher\b",
    re.IGNORECASE,
)
_URL_ONLY = re.compile(r"<?https?://\S+>?")
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)]?$")
_TRIM = " \t\u00a0\u200b\u2022\u00b7|*>#:-\u2013\u2014"

# An unmarked line longer than this is article prose: the trailing block stops there.
_SHORT_LINE = 100
# A short unmarked line with this many words ending like a sentence may be prose.
_SENTENCE_WORDS = 8


class _Kind(Enum):
    BLANK = "blank"
    OPENER = "opener"
    MARKED = "marked"
    SHORT = "short"
    SENTENCE = "sentence"
    PROSE = "prose"


def _kind(line: str) -> _Kind:
    stripped = line.strip()
    if not stripped:
        return _Kind.BLANK
    core = stripped.strip(_TRIM)
    if core and any(p.fullmatch(core) for p in _OPENERS):
        return _Kind.OPENER
    if _LEGAL_MARKERS.search(stripped) or _URL_ONLY.fullmatch(stripped):
        return _Kind.MARKED
    if len(stripped) > _SHORT_LINE:
        return _Kind.PROSE
    if _FURNITURE_MARKERS.search(stripped):
        return _Kind.MARKED
    if len(stripped.split()) >= _SENTENCE_WORDS and _SENTENCE_END.search(stripped):
        return _Kind.SENTENCE
    return _Kind.SHORT


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line without its newline) for every line of `text`."""
    out: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end == -1:
            end = len(text)
        out.append((start, text[start:end]))
        start = end + 1
    return out


def article_end(text: str) -> int:
    """Offset where trailing web boilerplate begins in `text`, or len(text) if none is found.

    The cut lies at a line boundary, after the last line of the article proper (so blank
    lines before the boilerplate go with it).
    """
    lines = _lines(text)
    kinds = [_kind(line) for _, line in lines]
    # The trailing block: the longest run of lines at the end with no prose paragraph.
    first = len(lines)
    while first > 0 and kinds[first - 1] is not _Kind.PROSE:
        first -= 1
    for i in range(first, len(lines)):
        if kinds[i] is not _Kind.OPENER:
            continue
        tail = kinds[i:]
        marked = sum(k in (_Kind.OPENER, _Kind.MARKED) for k in tail)
        sentences = tail.count(_Kind.SENTENCE)
        # A lone marker followed by sentences may be an inline button above the last
        # paragraph; sentences are tolerated only among plenty of furniture.
        if sentences and (marked < 2 or marked < 2 * sentences):
            continue
        last_kept = i - 1
        while last_kept >= 0 and kinds[last_kept] is _Kind.BLANK:
            last_kept -= 1
        if last_kept < 0:
            # Nothing before the marker: no article to keep, so cut nothing.
            return len(text)
        start, line = lines[last_kept]
        return min(start + len(line) + 1, len(text))
    return len(text)
