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
        r"tags?(: .{0,100})?|advertisement|sponsored( content)?|banner",
        # The same blocks in the other languages we read.
        r"читайте также|читать также|по теме|реклама|комментарии|подписывайтесь.{0,80}",
        r"lesen sie (auch|mehr)|mehr zum thema|das könnte sie auch interessieren|anzeige"
        r"|kommentare",
        r"(à )?lire aussi|sur le même sujet|vous aimerez aussi|publicité|commentaires",
        r"lee también|lea también|(también )?te puede interesar|(temas|noticias) relacionad[oa]s"
        r"(: ?.{0,200})?|sobre la firma|publicidad|comentarios|newsletter .{0,40}",
        r"leia (também|mais)|veja também|saiba mais|notícias relacionadas|publicidade"
        r"|comentários",
        r"関連記事|関連ニュース|あわせて読みたい|おすすめ(記事)?|広告|コメント",
        r"(相关|相關|推荐|推薦|延伸)(阅读|閱讀|新闻|新聞)|更多新闻|更多新聞|广告|廣告"
        r"|(责任|責任)(编辑|編輯).{0,20}",
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
    r"|by subscribing|unsubscribe at any time|may not be (reproduced|republished)"
    # "in your inbox" as Spanish, Portuguese, French, German and Russian sign-ups say it
    r"|en tu (email|correo)|no seu e-?mail|dans votre (boîte|messagerie)|in ihr postfach"
    r"|на (вашу )?почту",
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


# --- the leading block ----------------------------------------------------------------------

# A capture's header: " date 2021-02-23", "Date: 2016-07-15", "Published: 3 May 2016" at the
# start of a line. Only its prefix is cut when the article goes on in the same line.
_HEADER = re.compile(
    r"[ \t]*(?:date|published|posted|datum|fecha|publicado|publi[ée]|опубликовано|дата)"
    r"[ \t]*:?[ \t]*\d{4}-\d\d(?:-\d\d)?(?:[T ]\d\d:\d\d(?::\d\d)?(?:Z|[+-]\d\d:?\d\d)?)?"
    r"(?=\s|$)[ \t]*",
    re.IGNORECASE,
)
# Whole lines that are page furniture above an article, in the languages we read.
_LEADING: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        # site navigation words standing alone
        r"(skip|jump) to (main )?content|zum inhalt( springen)?|ir al contenido"
        r"|aller au contenu|ir para o conteúdo|перейти к содержанию",
        r"menu|menü|menú|search|suche|buscar|rechercher|pesquisar|поиск|home|startseite"
        r"|inicio|accueil|início|главная|sign in|log ?in|anmelden|iniciar sesión"
        r"|se connecter|entrar|войти|メニュー|検索|ホーム|首页|首頁|搜索|搜尋|登录|登入",
        # the buttons of a cookie notice
        r"ok|(i )?agree|(accept|akzeptieren|accepter|aceptar|aceitar|принять)( all| alle"
        r"| tout| todo| todos| все)?|alle akzeptieren|tout accepter|zustimmen|同意(する)?",
        # a language switcher: "English简体繁體", "English | Español | Français"
        r"((english|español|français|deutsch|português|italiano|русский|中文|简体|繁體|繁体"
        r"|日本語|한국어|العربية)[\s|/·•]*){2,}",
        # "Hot topics: ...", "【热点话题】: ...": a topics bar
        r"[【\[]?\s*(hot topics|trending( now)?|topics|themen|temas|sujets|tópicos|темы"
        r"|热点话题|熱門話題|热门话题|トピックス|話題)\s*[】\]]?\s*[:\uff1a].{0,200}",
        # "Recommended", "Most read" standing alone: the list below it goes too
        r"(recommended|most read|most popular|trending|читайте также|lesen sie auch"
        r"|à lire aussi|lee también|leia também|関連記事|推荐阅读|推薦閱讀)( for you)?",
    )
)
# A navigation bar: four or more short items between separators.
_NAV_ITEM = re.compile(r"[^|·•/>»\t]{1,30}")
_NAV_SEPARATORS = re.compile(r"\s*[|·•>»]\s*|\t+|\s/\s")
# A stock ticker: two or more signed percentages or index moves on one short line.
_TICKER = re.compile(r"[+\-\u2212]\s?\d+(?:[.,]\d+)?\s?%")
_COOKIES = re.compile(r"cookie|куки|クッキー", re.IGNORECASE)
_MIN_NAV_ITEMS = 4
_MIN_TICKS = 2
# Lines listed under a "Recommended" opener are headlines: short, no full stop at the end.
_LIST_LINE = 120


def _leading_kind(line: str) -> bool:
    """Whether `line` (not blank) is page furniture that may stand above an article."""
    stripped = line.strip()
    core = stripped.strip(_TRIM)
    if _URL_ONLY.fullmatch(stripped) or _HEADER.fullmatch(line):
        return True
    if core and any(p.fullmatch(core) for p in _LEADING):
        return True
    if _COOKIES.search(stripped):
        return True
    if len(stripped) <= _SHORT_LINE * 2 and len(_TICKER.findall(stripped)) >= _MIN_TICKS:
        return True
    items = [i for i in _NAV_SEPARATORS.split(stripped) if i.strip()]
    return (
        len(items) >= _MIN_NAV_ITEMS
        and all(_NAV_ITEM.fullmatch(i.strip()) for i in items)
        and not _SENTENCE_END.search(stripped)
    )


def _opens_a_list(line: str) -> bool:
    core = line.strip().strip(_TRIM)
    return bool(core) and _LEADING[-1].fullmatch(core) is not None


def article_start(text: str) -> int:
    """Offset where the article begins after leading page furniture, or 0 if none is found.

    Only a run of furniture lines at the very start goes: a capture's URL and header lines,
    navigation and language bars, topic bars, tickers, cookie notices, and a "Recommended"
    list down to the first blank line. The headline and everything after the first line
    that is not furniture stay. A header that opens a line of article text (" date
    2021-02-23 Pakistani Prime Minister ...") is cut up to the text.
    """
    start = 0
    cut = False
    in_list = False
    for offset, line in _lines(text):
        if not line.strip():
            in_list = False
            continue
        header = _HEADER.match(line)
        if header and header.end() < len(line) and not _HEADER.fullmatch(line):
            return offset + header.end()
        if in_list and len(line.strip()) <= _LIST_LINE and not _SENTENCE_END.search(line):
            cut = True
            continue
        if not _leading_kind(line):
            return offset if cut else start
        in_list = _opens_a_list(line)
        cut = True
    # Nothing but furniture: there is no article to point at, so keep it all.
    return start
