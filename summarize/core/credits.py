# ruff: noqa: RUF001, RUF002, RUF003  (the datelines of the corpus languages are the point)
"""The outlet a text credits itself to: dateline agency credits and bylines (pure).

Wire copy names its agency at the top, in a few fixed forms per language:

- a dateline with the agency in brackets: "TOKYO, Oct. 2 (Jiji Press) –", "MOSCOW, March 4
  (Reuters) -", "Berlin (AFP)", "MADRID, 4 mar (EFE).-", "Lisboa, 22 abr (Lusa) -";
- Russian agency datelines: "МОСКВА, 4 марта. /ТАСС/.", "МОСКВА, 4 мар — РИА Новости.",
  "KAZAN, October 22. /TASS/.";
- Chinese and Japanese ones: "新华社北京10月2日电", "【ワシントン共同】", "【北京時事】";
- a credit line: "Source: Reuters", "Quelle: dpa", "Fuente: EFE", "Fonte: Lusa",
  "Источник: ТАСС", "来源:新华社", "information fournie par Reuters", "© AFP", or the
  agency alone on the last lines ("dpa/cd", "// Lusa", "共同通信").

Only the first lines are read (a dateline opens the story; a credit line may also close
it), and a bracketed dateline credit counts only when it names an agency this module knows,
so "(CNN)" in a quote or "(R)" after a senator's name is not taken as the outlet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Agencies by the ways the corpus languages write them (folded to lower case): the name
# is given back as the text writes it.
_AGENCIES = (
    "reuters", "afp", "agence france-presse", "ap", "associated press", "dpa", "efe",
    "lusa", "ansa", "xinhua", "kyodo", "kyodo news", "jiji", "jiji press", "tass", "itar-tass",
    "ria novosti", "interfax", "sputnik", "bloomberg", "europa press", "agência brasil",
    "agencia brasil", "anadolu", "yonhap", "pti", "ani", "apa", "kna", "epd", "belga",
    "ukrinform", "unian", "app", "kuna", "wam", "sana", "ptinews", "irna", "bernama",
    "antara", "notimex", "télam", "telam",
    "тасс", "итар-тасс", "риа новости", "интерфакс", "прайм",
    "新华社", "新華社", "中新社", "中新網", "中新网", "共同通信", "共同", "時事通信", "時事",
    "时事", "美联社", "美聯社", "法新社", "路透社", "路透", "塔斯社",
)  # fmt: skip
_KNOWN = frozenset(_AGENCIES)
_HEAD_LINES = 8
_TAIL_LINES = 4
_CREDIT = r"[^\W\d_][\w .&'\u2019/-]{0,38}?"
# "CITY, date (Agency) -" or "City (Agency)": the city in capitals or title case.
_BRACKETED = re.compile(
    r"^\s*[^\W\d_][^\W\d_ .'\u2019-]*(?:[ .'\u2019-]+[^\W\d_]+){0,3}"  # the city
    r"(?:\s*,\s*[^()\n]{1,30}?)?"  # a date
    r"(?:\s*\[[^\]\n]{1,20}\])?"  # "Tokyo [Japan]"
    r"(?:\s*,\s*[^()\n]{1,30}?)?"  # a date after it
    r"\s*\((?P<credit>[^()\n]{2,60})\)",
)
# "МОСКВА, 4 марта. /ТАСС/." and "МОСКВА, 4 мар — РИА Новости."
_RUSSIAN = re.compile(
    r"^\s*[А-ЯЁ][А-ЯЁ -]+,\s*\d{1,2}\s+[а-яё]+\.?\s*"
    r"(?:/(?P<slash>[^/\n]{2,30})/|[—–-]\s*(?P<dash>[А-ЯЁA-Z][^.\n]{1,30}?)\.)"
)
_STORE_DATE = re.compile(r"^\s*date \d{4}-\d\d(?:-\d\d)?\s+")
# "KAZAN, October 22. /TASS/." (TASS in English).
_SLASHED = re.compile(
    r"^\s*[^\W\d_][^\W\d_ .'\u2019-]*(?:[ .'\u2019-]+[^\W\d_]+){0,3},\s*[^/\n]{1,30}?"
    r"/(?P<credit>[^/\n]{2,30})/"
)
_CHINESE = re.compile(r"^\s*(?P<credit>新华社|新華社|中新社|中新网|中新網)\S{0,12}?电")
_JAPANESE = re.compile(r"【[^】]{1,12}?(?P<credit>共同|時事)】")
_LINE = re.compile(
    r"^\s*(?:source|sources|quelle|fuente|fonte|источник|出典|来源|來源|credits?)\s*[:：]\s*"
    rf"(?P<credit>{_CREDIT})\s*[.)]?\s*$",
    re.IGNORECASE,
)
_PROVIDED = re.compile(
    rf"(?:information fournie par|informação fornecida por|provided by|©|\(c\))\s*"
    rf"(?P<credit>{_CREDIT})(?=\s|$|[.,;)])",
    re.IGNORECASE,
)
# A credit alone on a line, at the end of the copy: "dpa/cd", "// Lusa", "共同通信", "(AFP)".
_ALONE = re.compile(rf"^\s*(?://\s*)?\(?(?P<credit>{_CREDIT})\)?\s*(?:/\s*[a-z]{{1,4}})?\s*$")
# Names the two Japanese agencies are credited by in a dateline bracket.
_JAPANESE_NAMES = {"共同": "共同通信", "時事": "時事通信"}


@dataclass(frozen=True, slots=True)
class Credit:
    """The agency a text credits, as written, and the form that credits it."""

    outlet: str
    found_in: str  # "dateline" or "byline"


def _known(name: str) -> str | None:
    name = name.strip(" .-–—:")
    return name if name.casefold() in _KNOWN else None


def outlet_credit(text: str) -> Credit | None:
    """The agency the text's dateline or credit line names, if any."""
    lines = [line for line in text.split("\n") if line.strip()]
    head = lines[:_HEAD_LINES]
    for line in head:
        found = _dateline(line)
        if found is not None:
            return Credit(found, "dateline")
    for line in [*head, *lines[-_TAIL_LINES:]]:
        m = _LINE.match(line) or _PROVIDED.search(line) or _ALONE.match(line)
        if m is not None and (name := _known(m.group("credit"))):
            return Credit(name, "byline")
    return None


def _dateline(line: str) -> str | None:
    # A capture from the pages store may open with its " date 2024-10-22" line.
    line = _STORE_DATE.sub("", line)
    m = _BRACKETED.match(line)
    if m is not None:
        # "(Reuters)", "(UrduPoint News / Sputnik - 28th June, 2019)", "(ANI/Sputnik)".
        for part in re.split(r"\s*[/,;]\s*|\s+-\s+", m.group("credit")):
            if name := _known(part):
                return name
    m = _RUSSIAN.match(line)
    if m is not None and (name := _known(m.group("slash") or m.group("dash") or "")):
        return name
    m = _SLASHED.match(line)
    if m is not None and (name := _known(m.group("credit"))):
        return name
    m = _CHINESE.match(line)
    if m is not None:
        return m.group("credit")
    m = _JAPANESE.search(line[:40])
    if m is not None:
        return _JAPANESE_NAMES[m.group("credit")]
    return None
