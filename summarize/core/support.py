"""Whether an outcome's or a follow-up's cited sentences bear on it at all (pure).

A sentence number proves the sentence exists, not that it says what the item says. This
check is as cheap as the participant check and just as blunt: the item and its cited text
must share an *anchor*, something specific enough that sharing it is unlikely by chance:

- a number ("2,000 troops" and "2000"), digits compared after Unicode folding (full-width);
- a party the item names (a participant, the one it is attributed to, a responsible
  party), found in the cited text across case, diacritics and script (see
  `grounding.supports`: Путина supports Putin, 習近平 supports Xi; a letter apart: Трамп
  supports Trump);
- a country the item names, or the country of a participant it names, as the corpus
  languages write it ("the US side" and 美方, "visit to Japan" and 訪日, Trump and
  "O americano");
- a place or name the item writes with a capital (Taiwan, Beijing), transliterated
  (台灣 is "taiwan", Украина begins like Ukraine);
- a distinctive word, compared by its first letters so inflections still meet ("sanctions"
  / "sanction", "санкции" / "санкций"), but only when the item is written in the cited
  text's script: an English statement about a Chinese sentence shares no words with it,
  and transliterated syllables would match by chance.

What it cannot do: tell whether the shared anchor is used to say the same thing (an item
citing a sentence that names the same people but says something else passes), read numbers
written as words or in Chinese numerals, or match a translation that shares no name or
number (an English statement over a Japanese sentence that names the parties in katakana).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from summarize.core.brief import Evidence
from summarize.core.grounding import supports
from summarize.core.names import name_parts

# Words shorter than this carry no subject ("the", "on", "и", "de").
_MIN_WORD = 4
# Words are compared by their first letters, so inflected forms still meet.
_STEM = 5
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,\u00a0 ]\d{3})*(?:[.,]\d+)?")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# "US", "U.S.", "USA" written in capitals: "us" is also a pronoun.
_US = re.compile(r"\bU\.?S\.?(?:A\b|\b|(?=\W))")
# Words this long may differ by a letter and be one name (Trump / Трамп -> tramp, Syria /
# Siria): transliterations and the corpus languages' spellings.
_FUZZY_NAME = 5


@dataclass(frozen=True, slots=True)
class _Side:
    """How the corpus languages name a country: word beginnings (ASCII-folded, so Russian
    is covered transliterated), whole words, and Chinese or Japanese forms."""

    prefixes: tuple[str, ...]
    words: tuple[str, ...] = ()
    cjk: tuple[str, ...] = ()


# The parties the corpus talks about, as an item or its cited sentence may name them: "the
# US side" is 美方, "visit to Japan" 訪日, "O americano" the American.
_SIDES: dict[str, _Side] = {
    "United States": _Side(
        ("americ", "amerik", "estadounid", "norteameric"),
        ("ssha", "eeuu", "eua"),
        ("美方", "美国", "美國", "美总统", "美總統", "美媒", "米国", "米大統領", "米側", "訪米",
         "日米", "米中", "中美", "アメリカ", "米政府"),
    ),
    "Russia": _Side(
        ("russ", "rossi", "rusi"), ("rf",), ("俄", "ロシア", "日露", "訪露", "露大統領")
    ),
    "China": _Side(
        ("china", "chines", "chinoi", "chino", "kitai", "kitay"),
        (),
        ("中方", "中国", "中國", "訪中", "中美", "米中", "日中", "中共", "北京"),
    ),
    "Japan": _Side(
        ("japan", "japon", "japao", "yapon"), (), ("日本", "日方", "訪日", "日米", "日中")
    ),
    "Germany": _Side(
        ("german", "deutsch", "allemand", "alemania", "alema"), (), ("德国", "德國", "ドイツ")
    ),
    "France": _Side(("franc", "frants", "franz"), (), ("法国", "法國", "フランス")),
    "Brazil": _Side(("brazil", "brasil"), (), ("巴西", "ブラジル")),
    "Ukraine": _Side(
        ("ukrain", "ucrani", "ukrai", "ucran"), (), ("乌克兰", "烏克蘭", "ウクライナ")
    ),
    "North Korea": _Side(("korea", "corea", "coree", "koreya", "kndr"), (), ("朝鮮", "朝鲜")),
}  # fmt: skip
# Words of the item that say what kind of statement it is, or who speaks, in the languages
# of the corpus: they appear in most outcomes and so anchor nothing.
_GENERIC = frozenset(
    (
        "about", "after", "again", "agree", "agreed", "agreement", "agrees", "also", "among",
        "another", "because", "been", "before", "being", "between", "both", "call", "called",
        "calls", "conversation", "could", "countries", "country", "discuss", "discussed",
        "discussion", "during", "each", "either", "further", "have", "held", "hold", "into",
        "issue", "issues", "just", "leader", "leaders", "like", "made", "make", "meet", "meeting",
        "minister", "more", "most", "next", "other", "over", "phone", "president", "prime", "said",
        "same", "says", "side", "sides", "spoke", "state", "states", "statement", "such", "talk",
        "talked", "talks", "than", "that", "their", "them", "then", "there", "these", "they",
        "this", "those", "through", "told", "under", "until", "upon", "very", "want", "were",
        "what", "when", "where", "which", "while", "will", "with", "would", "your", "deny",
        "denied", "denies", "denial", "disagree", "disagreed", "disagreement", "reject",
        "rejected", "rejects", "refused", "refuses", "failed", "reached", "reach", "confirm",
        "confirmed", "also", "para", "pela", "pelo", "como", "sobre", "entre", "mais", "pode",
        "seus", "suas", "esta", "este", "isso", "dass", "sich", "nach", "nicht", "auch", "eine",
        "einer", "einem", "einen", "oder", "wird", "wurde", "sind", "sowie", "avec", "dans",
        "pour", "sont", "leurs", "cette", "tous", "plus", "entre", "aussi", "para", "como",
        "sobre", "entre", "este", "esta", "estos", "pero", "tambien", "storony", "storona",
        "strany", "stran", "prezident", "prezidenta", "lidery", "obsudili", "zayavil",
        "soobshchil", "takzhe", "kotorye", "kotoryi", "seite", "seiten", "beiden", "beide",
        "prasident", "sagte", "erklarte", "parties", "deux", "entretien", "president", "dijo",
        "ambos", "partes", "disse", "lados", "presidente",
    )
)  # fmt: skip


def _fold(text: str) -> str:
    from anyascii import anyascii  # only needed when checking support: not at start-up

    return anyascii(text).lower()


def script_of(text: str) -> str:
    """The script most of the text's letters are written in: "latin", "cyrillic", "han"
    (Chinese characters and Japanese kana), or another Unicode script name's first word."""
    counts: dict[str, int] = {}
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        first = name.split(" ", 1)[0].lower()
        if first in {"cjk", "hiragana", "katakana", "halfwidth", "fullwidth"}:
            first = "han"
        counts[first] = counts.get(first, 0) + 1
    return max(counts, key=lambda s: counts[s]) if counts else ""


def _numbers(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKC", text)
    out = set()
    for m in _NUMBER.finditer(folded):
        digits = re.sub(r"[.,\u00a0 ]", "", m.group(0))
        out.add(digits.lstrip("0") or "0")
    return out


def _words(text: str) -> list[str]:
    return [w for w in (_fold(x) for x in _WORD.findall(text)) if w]


def _stem(word: str) -> str:
    return word[:_STEM]


def _distinctive(text: str) -> set[str]:
    return {
        _stem(w)
        for w in _words(text)
        if len(w) >= _MIN_WORD and w not in _GENERIC and w.isascii() and w.isalpha()
    }


def _capitalised(text: str) -> set[str]:
    """Words written with a capital in the item, not at its start: names of places and
    bodies ("Taiwan", "NATO"), folded."""
    words = _WORD.findall(text)
    return {
        _fold(w)
        for n, w in enumerate(words)
        if n and w[:1].isupper() and len(w) >= _MIN_WORD and _fold(w) not in _GENERIC
    }


def _han_syllables(text: str) -> set[str]:
    """Runs of two to four transliterated Chinese characters ("tai" + "wan" = "taiwan")."""
    chars = [_fold(c) for c in text if _HAN.match(c)]
    runs = set()
    for n in range(2, 5):
        for i in range(len(chars) - n + 1):
            runs.add("".join(chars[i : i + n]))
    return runs


def _close(a: str, b: str) -> bool:
    """One word, or one name a letter apart (Trump / tramp, Syria / Siria)."""
    if a == b:
        return True
    return (
        min(len(a), len(b)) >= _FUZZY_NAME
        and a[:1] == b[:1]
        and Levenshtein.distance(a, b, score_cutoff=1) <= 1
    )


def _proper(name: str) -> str:
    """The name's proper words: capitalised or in a script without case, not generic
    ("Ladies and gentlemen of the world" is "Ladies"; "Kremlin press office" is
    "Kremlin")."""
    words = [
        w
        for w in name.split()
        if (w[:1].isupper() or not w[:1].isascii()) and _fold(w).strip(".,;:()") not in _GENERIC
    ]
    return " ".join(words)


def _parts(name: str) -> set[str]:
    parts = set(name_parts(name))
    han = "".join(c for c in name if _HAN.match(c))
    if han and len(han) == len("".join(name.split())):
        # A Chinese name is called by its family name: 習近平 is "Xi".
        parts.add(_fold(han[0]))
    return parts


def _names_in(statement: str, name: str) -> bool:
    """Whether the statement names this party: a part of the name as a whole word, or the
    name as written ("習近平" in a statement in Chinese)."""
    if name in statement:
        return True
    words = set(_words(statement))
    return any(_close(p, w) for p in _parts(name) for w in words)


def _party_cited(quotes: str, evidence: Evidence, name: str) -> bool:
    """The cited text names the party: as `grounding.supports` does, or a part of the name
    a letter apart from a cited word (Trump / Трамп)."""
    if supports(evidence, name):
        return True
    words = set(_words(quotes))
    return any(_close(p, w) for p in _parts(name) if len(p) >= _FUZZY_NAME for w in words)


def _sides_in(text: str) -> set[str]:
    """The countries the text names, in any of the corpus languages."""
    words = _words(text)
    folded = " ".join(words)
    found = set()
    for side, forms in _SIDES.items():
        if (
            any(w.startswith(forms.prefixes) for w in words)
            or any(w in forms.words for w in words)
            or any(c in text for c in forms.cjk)
            or (side == "United States" and ("united states" in folded or _US.search(text)))
        ):
            found.add(side)
    return found


@dataclass(frozen=True, slots=True)
class Support:
    """The result of the check: `anchor` is what the item and its sentences share."""

    supported: bool
    anchor: str | None = None


def check_support(
    statement: str,
    evidence: Evidence,
    parties: Iterable[str | None],
    affiliations: Mapping[str, str | None] | None = None,
) -> Support:
    """Whether the cited text shares an anchor with the item (see the module's note).

    `statement` is what the item says (an outcome's statement, a follow-up's action);
    `parties` are the names it may mention: the event's participants, who stated it, who is
    responsible; `affiliations` their countries, so "Trump" is supported by "O americano".
    """
    quotes = " ".join(span.quote for span in evidence.spans())
    shared_numbers = _numbers(statement) & _numbers(quotes)
    if shared_numbers:
        return Support(True, min(shared_numbers))
    for party in dict.fromkeys(_proper(p) for p in parties if p and p.strip()):
        if party and _names_in(statement, party) and _party_cited(quotes, evidence, party):
            return Support(True, party)
    named_sides = _sides_in(statement)
    for party, affiliation in (affiliations or {}).items():
        if affiliation and _proper(party) and _names_in(statement, _proper(party)):
            named_sides |= _sides_in(affiliation)
    shared_sides = named_sides & _sides_in(quotes)
    if shared_sides:
        return Support(True, min(shared_sides))
    folded_quote = set(_words(quotes))
    quote_stems = {_stem(w) for w in folded_quote if len(w) >= _MIN_WORD}
    han = _han_syllables(quotes)
    for word in sorted(_capitalised(statement)):
        if _stem(word) in quote_stems or word in han:
            return Support(True, word)
        if any(_close(word, w) for w in folded_quote):
            return Support(True, word)
    if script_of(statement) == script_of(quotes):
        shared = _distinctive(statement) & quote_stems
        if shared:
            return Support(True, min(shared))
    return Support(False)


def subject_stems(text: str) -> frozenset[str]:
    """What a statement is about, as the stems of its distinctive words (see the module's
    note): two statements about one subject share most of them."""
    return frozenset(_distinctive(text))
