"""People in the reports: names reduced for comparison, one person's many spellings grouped,
and the side (country) a name or an attribution speaks for."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from summarize.core.names import romanisations, skeleton, spelled_without_vowels
from summarize.memo.folding import fold

# Fuzzy thresholds (rapidfuzz ratio, 0-100).
GIVEN_NAME_SIMILARITY = 80.0
# Surnames shorter than this must match exactly (Rice/Price, Bush/Rush).
MIN_FUZZY_SURNAME = 5
# Consonant classes a name needs before its skeleton alone may match it across scripts.
MIN_SKELETON = 3

# Leading words that are titles, not names ("President Putin", "Secretary of State Kerry").
_HONORIFICS = frozenset(
    {
        "president", "vice", "prime", "minister", "foreign", "secretary", "of", "state",
        "mr", "mrs", "ms", "dr", "sir", "chancellor", "general", "gen", "senator", "sen",
        "ambassador", "us", "russian", "american", "the", "deputy", "national", "security",
        "adviser", "advisor", "special", "envoy", "undersecretary", "under", "assistant",
        "king", "queen", "prince", "premier", "spokesman", "spokeswoman", "press",
    }
)  # fmt: skip
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

# Outlets and readouts name the same side in many ways; these are the common ones.
_AFFILIATION_ALIASES: dict[str, str] = {
    "us": "United States",
    "usa": "United States",
    "united states": "United States",
    "united states of america": "United States",
    "the united states": "United States",
    "america": "United States",
    "american": "United States",
    "american side": "United States",
    "the american side": "United States",
    "us side": "United States",
    "washington": "United States",
    "us government": "United States",
    "white house": "United States",
    "the white house": "United States",
    "russia": "Russia",
    "russian": "Russia",
    "russian federation": "Russia",
    "the russian federation": "Russia",
    "russian side": "Russia",
    "the russian side": "Russia",
    "moscow": "Russia",
    "kremlin": "Russia",
    "the kremlin": "Russia",
    "russian government": "Russia",
}

# Words in an attribution that name a side, checked in order ("a US official", "the Kremlin"):
# countries, their adjectives and capitals, and the seats and services that speak for them.
_SIDE_WORDS: tuple[tuple[str, str], ...] = (
    ("kremlin", "Russia"),
    ("putins office", "Russia"),
    ("tass", "Russia"),
    ("ria novosti", "Russia"),
    ("white house", "United States"),
    ("state department", "United States"),
    ("pentagon", "United States"),
    ("elysee", "France"),
    ("quai dorsay", "France"),
    ("french", "France"),
    ("france", "France"),
    ("planalto", "Brazil"),
    ("itamaraty", "Brazil"),
    ("brazilian", "Brazil"),
    ("brazil", "Brazil"),
    ("xinhua", "China"),
    ("zhongnanhai", "China"),
    ("chinese", "China"),
    ("china", "China"),
    ("beijing", "China"),
    ("kantei", "Japan"),
    ("japanese", "Japan"),
    ("japan", "Japan"),
    ("tokyo", "Japan"),
    ("chancellery", "Germany"),
    ("bundesregierung", "Germany"),
    ("german", "Germany"),
    ("germany", "Germany"),
    ("berlin", "Germany"),
    ("downing street", "United Kingdom"),
    ("british", "United Kingdom"),
    ("ukrainian", "Ukraine"),
    ("ukraine", "Ukraine"),
    ("kyiv", "Ukraine"),
    ("peruvian", "Peru"),
    ("indian", "India"),
    ("portuguese", "Portugal"),
    ("argentine", "Argentina"),
    ("casa rosada", "Argentina"),
    ("european commission", "European Union"),
    ("european union", "European Union"),
    ("african union", "African Union"),
    ("russian", "Russia"),
    ("russia", "Russia"),
    ("moscow", "Russia"),
    ("us", "United States"),
    ("usa", "United States"),
    ("american", "United States"),
    ("washington", "United States"),
)
# Attributions that name no party: the outlet speaking for itself.
_UNATTRIBUTED_WORDS = ("unattributed", "article", "media reports", "correspondent", "reporter")
OUTLET_SIDE = "Reporting outlet"
# Statements made by both parties speak for no one side.
JOINT_SIDE = "Both sides"
_JOINT = re.compile(
    r"^(?:the )?(?:both|two|all) (?:leaders?|sides?|parties|presidents?|countries|"
    r"governments?|heads of state|ministers?|delegations?)\b|^both\b|\bjoint\b|"
    r"^(?:the )?(?:leaders|sides|parties)$|^(?:beide|die beiden)\b|^(?:les )?deux\b|"
    r"^(?:ambos|ambas|os dois|as duas|los dos|las dos)\b|^(?:obe|oba)\b|^storony$|"
    r"\bgemeinsam\w*|\bconjoint\w*|\bconjunt\w*"
)
_HAN_JOINT = (
    "双方",
    "雙方",
    "两国",
    "兩國",
    "両国",
    "両首脳",
    "两国元首",
    "兩國元首",
    "联合",
    "聯合",
)
# Where a person said it ("Donald Trump (Truth Social)", "Trump on X") is not another side.
_PLATFORM = re.compile(
    r"\s*[(\[\uff08][^)\]\uff09]*[)\]\uff09]\s*$|"
    r"\s+(?:on|via|in a post on|in a|per)\s+(?:truth social|x|twitter|telegram|facebook|"
    r"instagram|weibo|social media|a social media post|his social network)\s*$",
    re.IGNORECASE,
)


# --- one name --------------------------------------------------------------------------------


@dataclass(frozen=True, order=True, slots=True)
class PersonKey:
    """A name reduced for comparison: surname plus given names, titles dropped."""

    surname: str
    given: tuple[str, ...] = ()
    # For a name written in a script that does not spell vowels as Latin letters do (Arabic,
    # Korean, kana, Devanagari): the consonant skeletons of its romanisations, by which it
    # is matched with the Latin spelling (بايدن / Biden).
    sounds: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_bare(self) -> bool:
        return not self.given


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Particles that belong to a surname ("von der Leyen", "Rebelo de Sousa", "da Silva").
_PARTICLES = frozenset(
    {
        "von",
        "van",
        "der",
        "den",
        "de",
        "da",
        "do",
        "dos",
        "das",
        "del",
        "la",
        "le",
        "di",
        "du",
        "bin",
        "al",
    }
)


def is_han(name: str) -> bool:
    """Whether the name is written in Chinese characters (kanji included)."""
    return bool(_HAN.search(name))


@lru_cache(maxsize=65536)
def person_key(name: str) -> PersonKey:
    """Normalise a person's name ("President Vladimir V. Putin" -> putin / vladimir v).

    Other scripts are transliterated (Путин -> putin); a name in Chinese characters puts
    the family name first (习近平 -> xi / jinping), as Chinese and Japanese do.
    """
    han = "".join(c for c in name if _HAN.match(c))
    if han and len(han) >= 2 and len(han) == len("".join(name.split())):
        rest = fold(han[1:])
        return PersonKey(surname=fold(han[0]), given=(rest,) if rest else ())
    tokens = fold(name).split()
    while tokens and tokens[-1] in _NAME_SUFFIXES and len(tokens) > 1:
        tokens.pop()
    while len(tokens) > 1 and tokens[0] in _HONORIFICS:
        tokens.pop(0)
    if not tokens:
        return PersonKey(surname=fold(name) or name.strip().lower())
    sounds: tuple[str, ...] = ()
    if spelled_without_vowels(name):
        # Any word may be the family name (기시다 후미오 is Kishida Fumio), or all of them.
        words = (*name.split(), "".join(name.split()))
        found = {skeleton(r) for word in words for r in romanisations(word)}
        sounds = tuple(sorted(s for s in found if len(s) >= MIN_SKELETON))
    return PersonKey(surname=tokens[-1], given=tuple(tokens[:-1]), sounds=sounds)


@lru_cache(maxsize=65536)
def person_keys(name: str, short: str | None = None) -> tuple[PersonKey, ...]:
    """The keys a person can be matched by: their name's, and their short name's when the
    name contains it ("Xi Jinping" called "Xi" -> xi; "Lula da Silva" called "Lula" -> lula).

    The short name's key keeps the given names before it, so "Luiz Inácio Lula da Silva"
    called "Lula" is lula / luiz inacio.
    """
    key = person_key(name)
    if not short or is_han(short):
        return (key,)
    words, short_words = fold(name).split(), fold(short).split()
    n = len(short_words)
    at = next((i for i in range(len(words) - n + 1) if words[i : i + n] == short_words), None)
    if not short_words or at is None:
        return (key,)
    given = tuple(w for w in words[:at] if w not in _HONORIFICS)
    other = PersonKey(surname=short_words[-1], given=given)
    return (key,) if other == key else (key, other)


def short_name(name: str) -> str:
    """The surname as the name spells it ("Vladimir V. Putin" -> "Putin")."""
    surname = person_key(name).surname
    tokens = name.split()
    # The displayed surname keeps its original spelling and case.
    for token in reversed(tokens):
        if re.sub(r"[^0-9a-z]", "", token.lower()) == surname:
            return token.strip(",.")
    return tokens[-1] if tokens else name


# --- two names -------------------------------------------------------------------------------


def _same_surname(a: str, b: str) -> bool:
    if a == b:
        return True
    # Transliterations differ by a letter (Nuland/Nulland, Lavrov/Lavrow); short names and
    # anything that is not a plain word are too risky to match loosely.
    return (
        a[:1] == b[:1]
        and min(len(a), len(b)) >= MIN_FUZZY_SURNAME
        and a.isalpha()
        and b.isalpha()
        and Levenshtein.distance(a, b, score_cutoff=1) <= 1
    )


def _initial(word: str) -> str:
    # German and Polish write w where English writes v (Wladimir / Vladimir).
    return "v" if word[0] == "w" else word[0]


def _given_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b:
        return True
    x, y = a[0], b[0]
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    # Transliterated first names: Sergei/Sergey, Barack/Barak; a given name cut short
    # (高市 / 高市早苗 transliterate to shi / shizaomiao).
    return (
        x == y
        or (_initial(x) == _initial(y) and fuzz.ratio(x, y) >= GIVEN_NAME_SIMILARITY)
        or (min(len(x), len(y)) >= 3 and (x.startswith(y) or y.startswith(x)))
    )


def _exonym(a: PersonKey, b: PersonKey) -> bool:
    """Surnames two letters apart under one full given name: a language's own spelling
    (Putin / Poutine, Putin / Putine)."""
    return (
        bool(a.given)
        and bool(b.given)
        and a.given[0] == b.given[0]
        and len(a.given[0]) > 1
        and a.surname[:1] == b.surname[:1]
        and min(len(a.surname), len(b.surname)) >= MIN_FUZZY_SURNAME
        and Levenshtein.distance(a.surname, b.surname, score_cutoff=2) <= 2
    )


def same_person(a: PersonKey, b: PersonKey) -> bool:
    """Whether two names can denote the same person ("Putin" ~ "Vladimir Putin")."""
    return (
        (_same_surname(a.surname, b.surname) and _given_compatible(a.given, b.given))
        or _exonym(a, b)
        or _sound_alike(a, b)
    )


def _sound_alike(a: PersonKey, b: PersonKey) -> bool:
    """A name in Arabic, Korean, kana or Devanagari and one in Latin letters with the same
    consonant skeleton (بايدن / Biden, 문재인 / Moon Jae-in): see `summarize.core.names`."""
    if bool(a.sounds) == bool(b.sounds):
        return False
    sounded, spelled = (a, b) if a.sounds else (b, a)
    return bool(set(sounded.sounds) & _latin_sounds(spelled))


def _latin_sounds(key: PersonKey) -> frozenset[str]:
    """Skeletons of a Latin-spelled name's surname, and of the whole name written as one
    word (Korean writes 문재인 for Moon Jae-in)."""
    return _name_sounds(key.surname, key.given)


@lru_cache(maxsize=65536)
def _name_sounds(surname: str, given: tuple[str, ...]) -> frozenset[str]:
    found = {skeleton(surname), skeleton("".join((*given, surname)))}
    return frozenset(s for s in found if len(s) >= MIN_SKELETON)


def same_any(a: Sequence[PersonKey], b: Sequence[PersonKey]) -> bool:
    """Whether any key of one person matches any key of the other."""
    return any(same_person(x, y) for x in a for y in b)


@lru_cache(maxsize=65536)
def surname_forms(surname: str) -> frozenset[str]:
    """The surname and, if it may match loosely, its one-letter deletions.

    Surnames one edit apart share a form (a substitution leaves the same string when the
    changed letter is deleted from both; an insertion, the shorter surname itself).
    """
    if len(surname) < MIN_FUZZY_SURNAME or not surname.isalpha():
        return frozenset((surname,))
    return frozenset((surname, *(surname[:k] + surname[k + 1 :] for k in range(len(surname)))))


def _surname_neighbours(surnames: Iterable[str]) -> dict[str, set[str]]:
    """For each surname, the other surnames it may be a variant of (one edit apart).

    Candidates come from shared one-letter deletions, so no surname is compared with
    every other one.
    """
    by_deletion: dict[str, set[str]] = defaultdict(set)
    for surname in surnames:
        if len(surname) >= MIN_FUZZY_SURNAME and surname.isalpha():
            by_deletion[surname].add(surname)
            for k in range(len(surname)):
                by_deletion[surname[:k] + surname[k + 1 :]].add(surname)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for group in by_deletion.values():
        if len(group) > 1:
            for a in group:
                for b in group:
                    if a != b and _same_surname(a, b):
                        neighbours[a].add(b)
    return neighbours


# --- many names ------------------------------------------------------------------------------


class Groups:
    """Union-find over indices; a group is named by its smallest member."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            out[self.find(i)].append(i)
        return sorted(out.values(), key=lambda g: g[0])


def cluster_people(keys: Sequence[PersonKey]) -> list[list[int]]:
    """Group indices of `keys` that denote one person.

    Full names are grouped with each other; a bare surname joins a group only when exactly
    one group can claim it ("Bush" stays apart when both George and Jeb Bush are present).
    """
    groups = Groups(len(keys))
    # same_person looks at the surname and the first given name only: equal pairs are one
    # person outright, and only distinct pairs need comparing.
    first_of: dict[tuple[str, str], int] = {}
    bare: list[int] = []
    for i, key in enumerate(keys):
        if key.is_bare:
            bare.append(i)
            continue
        pair = (key.surname, key.given[0])
        if pair in first_of:
            groups.union(i, first_of[pair])
        else:
            first_of[pair] = i
    given_by_surname: dict[str, list[str]] = defaultdict(list)
    for surname, given in first_of:
        given_by_surname[surname].append(given)
    neighbours = _surname_neighbours({*given_by_surname, *(keys[i].surname for i in bare)})
    for (surname, given), i in first_of.items():
        for other in (surname, *sorted(neighbours.get(surname, ()))):
            for other_given in given_by_surname.get(other, ()):
                if (other, other_given) != (surname, given) and _given_compatible(
                    (given,), (other_given,)
                ):
                    groups.union(i, first_of[(other, other_given)])
    _join_exonyms(first_of, groups)
    _join_bare_surnames(keys, bare, first_of, given_by_surname, neighbours, groups)
    _join_across_scripts(keys, groups)
    return groups.groups()


def _join_across_scripts(keys: Sequence[PersonKey], groups: Groups) -> None:
    """A name written in Arabic, Korean, kana or Devanagari joins the one person spelled in
    Latin letters whose skeleton it shares; with two candidates it stays apart."""
    sounded = [i for i, key in enumerate(keys) if key.sounds]
    if not sounded:
        return
    # Each sound's Latin spellings by their group as it stands now: a key's group later is
    # the later group of its group now, so the few groups stand for the many keys.
    by_sound: dict[str, set[int]] = defaultdict(set)
    for i, key in enumerate(keys):
        if not key.sounds:
            for sound in _latin_sounds(key):
                by_sound[sound].add(groups.find(i))
    for i in sounded:
        roots = {groups.find(j) for sound in keys[i].sounds for j in by_sound.get(sound, ())}
        if len(roots) == 1:
            groups.union(i, roots.pop())


def _join_exonyms(first_of: dict[tuple[str, str], int], groups: Groups) -> None:
    """Full names with one given name and surnames two letters apart (Putin / Poutine);
    compared only within a given name, so the work stays small."""
    by_given: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (surname, given), i in first_of.items():
        by_given[given].append((surname, i))
    for given, members in by_given.items():
        if len(members) < 2 or len(given) < 2:
            continue
        for n, (a, i) in enumerate(members):
            for b, j in members[n + 1 :]:
                if _exonym(PersonKey(a, (given,)), PersonKey(b, (given,))):
                    groups.union(i, j)


# Lists of people up to this long (one event's) are grouped through a cache.
_MAX_CACHED_ROWS = 256
# A key as matching sees it: `PersonKey` compares without its sounds, and matching uses them.
_KeyParts = tuple[str, tuple[str, ...], tuple[str, ...]]


def _parts(key: PersonKey) -> _KeyParts:
    return (key.surname, key.given, key.sounds)


def cluster_rows(rows: Sequence[Sequence[PersonKey]]) -> list[list[int]]:
    """Group rows (each a person's keys, see `person_keys`) that denote one person."""
    if len(rows) > _MAX_CACHED_ROWS:
        return _cluster_rows(rows)  # a whole folder's people: grouped once anyway
    # A folder names the same people in event after event: each distinct list of names is
    # grouped once.
    found = _cluster_parts(tuple(tuple(_parts(k) for k in keys) for keys in rows))
    return [list(group) for group in found]


@lru_cache(maxsize=4096)
def _cluster_parts(rows: tuple[tuple[_KeyParts, ...], ...]) -> tuple[tuple[int, ...], ...]:
    keys = [[PersonKey(*parts) for parts in row] for row in rows]
    return tuple(tuple(group) for group in _cluster_rows(keys))


def _cluster_rows(rows: Sequence[Sequence[PersonKey]]) -> list[list[int]]:
    flat = [key for keys in rows for key in keys]
    owner = [r for r, keys in enumerate(rows) for _ in keys]
    groups = Groups(len(rows))
    for group in cluster_people(flat):
        for i in group[1:]:
            groups.union(owner[group[0]], owner[i])
    return groups.groups()


def _join_bare_surnames(
    keys: Sequence[PersonKey],
    bare: Sequence[int],
    first_of: dict[tuple[str, str], int],
    given_by_surname: dict[str, list[str]],
    neighbours: dict[str, set[str]],
    groups: Groups,
) -> None:
    """A bare surname joins the one person who can claim it; unclaimed ones join each other."""
    # The first bare key of each surname (the one unclaimed ones join), found once.
    first_bare: dict[str, int] = {}
    for i in bare:
        first_bare.setdefault(keys[i].surname, i)
    for i in bare:
        surname = keys[i].surname
        roots = {
            groups.find(first_of[(other, given)])
            for other in (surname, *neighbours.get(surname, ()))
            for given in given_by_surname.get(other, ())
        }
        if len(roots) == 1:
            groups.union(i, roots.pop())
        else:
            # Bare surnames with no unique owner still group with each other.
            same = first_bare[surname]
            if same < i and not roots:
                groups.union(i, same)


# --- sides -----------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def canonical_affiliation(affiliation: str | None) -> str | None:
    """Map the common spellings of a side to one name ("US", "U.S." -> "United States")."""
    if affiliation is None or not affiliation.strip():
        return None
    return _AFFILIATION_ALIASES.get(fold(affiliation.replace(".", "")), affiliation.strip())


def side_of(
    stated_by: str,
    people: Sequence[tuple[PersonKey, str | None]] = (),
    outlets: Iterable[str] = (),
) -> tuple[str, bool]:
    """The side an attribution speaks for, and whether that side is a party to the contact.

    A named person counts for their affiliation ("TASS quoting Putin" -> Russia), an
    institution for its country ("Kremlin press office" -> Russia); the outlet's own
    unattributed reporting is no party's account.
    """
    # Reports of a folder repeat attributions among the same people: each is worked out once.
    return _side_of(stated_by, tuple((_parts(k), a) for k, a in people), tuple(outlets))


@lru_cache(maxsize=16384)
def _side_of(
    stated_by: str,
    named: tuple[tuple[_KeyParts, str | None], ...],
    outlets: tuple[str, ...],
) -> tuple[str, bool]:
    people = [(PersonKey(*parts), affiliation) for parts, affiliation in named]
    folded = fold(stated_by.replace(".", ""))
    if not folded or any(w in folded for w in _UNATTRIBUTED_WORDS):
        return OUTLET_SIDE, False
    stated_by = _PLATFORM.sub("", stated_by).strip() or stated_by
    folded = fold(stated_by.replace(".", ""))
    if _JOINT.search(folded) or any(w in stated_by for w in _HAN_JOINT):
        return JOINT_SIDE, False
    if any(o and fold(o) == folded for o in outlets):
        return OUTLET_SIDE, False
    # "Lula's aides" speaks for Lula: the possessive's s goes.
    tokens = {*folded.split(), *(t[:-1] for t in folded.split() if t.endswith("s"))}
    for key, affiliation in people:
        # A name in Chinese characters folds to one word (特朗普 -> telangpu).
        # A transliteration a letter apart (Трамп -> tramp, written Trump) is one name.
        if (
            key.surname in tokens
            or key.surname + "".join(key.given) in tokens
            or any(_same_surname(key.surname, t) for t in tokens if len(t) >= MIN_FUZZY_SURNAME)
        ):
            side = canonical_affiliation(affiliation)
            if side:
                return side, True
    padded = f" {folded} "
    # A side named in full ("the African Union Commission" speaks for the African Union).
    for _, affiliation in people:
        side = canonical_affiliation(affiliation)
        if side and len(fold(side)) > 3 and f" {fold(side)} " in padded:
            return side, True
    for phrase, side in _SIDE_WORDS:
        if f" {phrase} " in padded:
            return side, True
    cleaned = re.sub(r"^(the|a|an)\s+", "", stated_by.strip(), flags=re.IGNORECASE)
    return cleaned[:1].upper() + cleaned[1:], True
