# ruff: noqa: E501  (the texts are quoted whole, as the pages give them)
"""Hand-annotated cases for divergence (issue 24): real news excerpts, unedited, with their
URLs, and briefs written by hand from them (provenance: hand_annotation).

Each excerpt was returned by the `pages` search over stored public news pages (the search
tool of the sessions working on this project) and is copied here verbatim: a contiguous
part of what the search gave, nothing added or reworded. The briefs are a reading of those
texts by hand: statements and stated_by are the annotator's English, quotes are the texts'.

`CASES` names, for each case, the divergent fields a careful reader finds in the texts:
empty for sides that say different but compatible things.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from memo_briefs import Article

from summarize.core.brief import Brief, EventStatus, EventType, OutcomeKind

ANNOTATOR = "Claude (AI helper session on branch issue-24), by hand from the excerpt text"


def _hand(brief: Brief) -> Brief:
    provenance = brief.provenance.model_copy(
        update={"annotator": ANNOTATOR, "annotated_on": dt.date(2026, 12, 7)}
    )
    return brief.model_copy(update={"provenance": provenance})


# --- Putin-Xi call of 8 Feb 2024: two outlets, two sides, compatible ---------------------------

GLOBE_URL = "https://arc-dev.theglobeandmail.com/world/article-putin-and-xi-reject-us-interference-praise-their-own-ties-and-trad"
GLOBE = """Russian President Vladimir Putin and Chinese President Xi Jinping spoke by phone on Thursday and both rejected what they called U.S. interference in the affairs of other countries, the Kremlin said.
Kremlin aide Yury Ushakov gave details of the call in a briefing to journalists, saying the two leaders had spoken of creating a “multipolar, fairer world order” in the face of U.S.-led efforts to contain both of Washington’s biggest adversaries.
Putin and Xi would continue to have “close personal interaction” but there were no plans for reciprocal visits right now, Ushakov said.
China and Russia have grown closer and expanded trade ties in recent years as the United States and its allies imposed sanctions against both countries, particularly Moscow after its invasion of Ukraine in 2022.
Putin and Xi met twice last year as China-Russia trade hit $218.2 billion during January-November, according to Chinese customs data, achieving a goal set by the two countries in 2019 a year ahead of schedule.
Russia meanwhile leapfrogged Saudi Arabia to become China’s top crude oil supplier in 2023, Chinese data showed last month.
The two countries would press on with joint energy projects in 2024, Ushakov said.
Putin and Xi also discussed the situation in Ukraine and conflict resolution in the Middle East and see eye to eye on those conflicts, he said, without elaborating. Russia supported China’s policy on Taiwan, he said.
Moscow and Beijing have increasingly carried out trade in roubles and yuan as they phase out trade in U.S. dollars. Putin and Xi stressed on their call that it was important to build “financial infrastructure that ensures reliability of payments”, Ushakov said.
Chinese state media said Xi told Putin the two countries should pursue close strategic coordination and defend the sovereignty, security and development interests of their respective countries. Xi said both sides should resolutely oppose interference in their internal affairs by external for"""

PRAVDA_URL = "https://news-pravda.com/world/2024/02/08/308442-amp.html"
PRAVDA = """We have collected statements by the assistant to the head of the Russian state Yuri Ushakov following the conversation between Putin and Xi Jinping:

The conversation between Putin and Xi Jinping was warm and friendly, lasted exactly an hour;

Putin and Xi Jinping discussed joint Russian and Chinese energy projects;

Xi Jinping confirmed to Putin that Chinese athletes will take part in sports tournaments held by Russia, including the Games of the Future;

Putin and Xi Jinping declared their rejection of the US policy of interference in the internal affairs of other countries, political and military pressure;

Russia and China support each other on key issues affecting the interests of both countries;

Putin and Chinese President Xi Jinping stressed the importance of creating a joint reliable financial infrastructure;"""


def globe() -> Brief:
    a = Article("globe_putin_xi_2024", GLOBE)
    return _hand(
        a.brief(
            [
                a.event(
                    1,
                    EventType.PHONE_CALL,
                    None,
                    [
                        a.who(
                            "Vladimir Putin",
                            "Russian President Vladimir Putin",
                            "President",
                            "Russia",
                        ),
                        a.who("Xi Jinping", "Chinese President Xi Jinping", "President", "China"),
                    ],
                    ["US interference", "energy projects", "Ukraine", "financial infrastructure"],
                    date_text="on Thursday",
                    outcomes=[
                        a.said(
                            OutcomeKind.CLAIMED,
                            "Both leaders rejected US interference in the affairs of other countries.",
                            "Kremlin",
                            "both rejected what they called U.S. interference in the affairs of other countries, the Kremlin said",
                        ),
                        a.said(
                            OutcomeKind.CLAIMED,
                            "There are no plans for reciprocal visits right now.",
                            "Kremlin aide Yury Ushakov",
                            "there were no plans for reciprocal visits right now, Ushakov said",
                        ),
                        a.said(
                            OutcomeKind.DECIDED,
                            "Russia and China will press on with joint energy projects in 2024.",
                            "Kremlin aide Yury Ushakov",
                            "The two countries would press on with joint energy projects in 2024, Ushakov said.",
                        ),
                        a.said(
                            OutcomeKind.CLAIMED,
                            "Xi told Putin the two countries should pursue close strategic coordination.",
                            "Chinese state media",
                            "Chinese state media said Xi told Putin the two countries should pursue close strategic coordination",
                        ),
                    ],
                    summary="Putin and Xi spoke by phone; the Kremlin stressed energy and payments, Chinese media strategic coordination.",
                )
            ],
            outlet="The Globe and Mail (Reuters)",
            headline=None,
            # Neither the excerpt nor its URL dates it.
            published=None,
            url=GLOBE_URL,
        )
    )


def pravda() -> Brief:
    a = Article("pravda_putin_xi_2024", PRAVDA)
    return _hand(
        a.brief(
            [
                a.event(
                    1,
                    EventType.PHONE_CALL,
                    None,
                    [
                        a.who(
                            "Vladimir Putin",
                            "the conversation between Putin and Xi Jinping",
                            "President",
                            "Russia",
                        ),
                        a.who(
                            "Xi Jinping",
                            "the conversation between Putin and Xi Jinping",
                            "President",
                            "China",
                        ),
                    ],
                    ["energy projects", "US interference", "financial infrastructure"],
                    outcomes=[
                        a.said(
                            OutcomeKind.CLAIMED,
                            "Putin and Xi discussed joint Russian and Chinese energy projects.",
                            "Yuri Ushakov",
                            "Putin and Xi Jinping discussed joint Russian and Chinese energy projects;",
                        ),
                        a.said(
                            OutcomeKind.CLAIMED,
                            "Putin and Xi declared their rejection of US interference in other countries' internal affairs.",
                            "Yuri Ushakov",
                            "Putin and Xi Jinping declared their rejection of the US policy of interference in the internal affairs of other countries",
                        ),
                        a.said(
                            OutcomeKind.CLAIMED,
                            "Xi confirmed Chinese athletes will take part in the Games of the Future.",
                            "Yuri Ushakov",
                            "Xi Jinping confirmed to Putin that Chinese athletes will take part in sports tournaments held by Russia, including the Games of the Future;",
                        ),
                    ],
                    summary="Ushakov's account of the Putin-Xi call.",
                )
            ],
            outlet="News-Pravda",
            headline=None,
            # The URL's date (/2024/02/08/).
            published=dt.date(2024, 2, 8),
            url=PRAVDA_URL,
        )
    )


# --- Putin-Xi video call of 21 Jan 2025: joint pledge, two readouts ------------------------------

VIDEO_URL = "https://bbcgossip.com/news/us/putin-and-xi-commit-to-strengthen-alliance-following-trumps-return-to-the-white-house"
VIDEO = """Chinese President Xi Jinping and Russian President Vladimir Putin on Tuesday pledged to “deepen strategic coordination” in a video call less than a day after President Donald Trump re-entered the White House.
A transcript of the call posted to the Kremlin’s website showed that both Putin and Xi referred to one another as “friends” and vowed to back one another’s strategic interests, no matter the “current global situation.”
“This year, I am ready, together with you, to elevate Chinese-Russian relations to a new level, to counter external uncertainties by preserving stability and resilience of Chinese-Russian relations,” Xi said while addressing Putin.
Neither readouts of the call issued by China or Russia directly mentioned Ukraine, though Russia highlighted that Beijing has remained a major supporter of Moscow’s economy as it is the largest consumer of Russian energy resources – a major earner for Putin’s war effort.
“Five years ago, we launched the Power of Siberia gas pipeline together, and today, Russia has become the leading supplier of natural gas to China,” the Kremlin said in a readout.
Though according to Beijing, Moscow did directly address China’s interests in Taiwan and, according to the readout issued by the Chinese Communist Party, “Russia firmly supports Taiwan as an integral part of China’s territory and firmly opposes any form of ‘Taiwan independence.'”"""


def video_call() -> Brief:
    a = Article("video_putin_xi_2025", VIDEO)
    return _hand(
        a.brief(
            [
                a.event(
                    1,
                    EventType.TALKS,
                    None,
                    [
                        a.who("Xi Jinping", "Chinese President Xi Jinping", "President", "China"),
                        a.who(
                            "Vladimir Putin",
                            "Russian President Vladimir Putin",
                            "President",
                            "Russia",
                        ),
                    ],
                    ["strategic coordination", "energy", "Taiwan"],
                    date_text="on Tuesday",
                    outcomes=[
                        a.said(
                            OutcomeKind.AGREED,
                            "Xi and Putin pledged to deepen strategic coordination.",
                            "Both leaders",
                            "Chinese President Xi Jinping and Russian President Vladimir Putin on Tuesday pledged to “deepen strategic coordination”",
                        ),
                        a.said(
                            OutcomeKind.CLAIMED,
                            "Russia has become the leading supplier of natural gas to China.",
                            "Kremlin readout",
                            "“Five years ago, we launched the Power of Siberia gas pipeline together, and today, Russia has become the leading supplier of natural gas to China,” the Kremlin said in a readout.",
                        ),
                        a.said(
                            OutcomeKind.CLAIMED,
                            "Russia firmly supports Taiwan as part of China's territory.",
                            "Chinese Communist Party readout",
                            "according to the readout issued by the Chinese Communist Party, “Russia firmly supports Taiwan as an integral part of China’s territory",
                        ),
                    ],
                    summary="Xi and Putin held a video call and pledged deeper strategic coordination.",
                )
            ],
            outlet="bbcgossip.com",
            headline=None,
            published=None,
            url=VIDEO_URL,
        )
    )


# --- Trump-Xi call of 24 Nov 2025: Truth Social and Xinhua; who called -------------------------

WION_URL = "https://www.wionews.com/world/trump-xi-jinping-discuss-taiwan-russia-ukraine-war-over-very-good-telephone-call-here-s-all-about-it-1764011813033"
WION = """ date 2025-11-25 US President Donald Trump said on Monday (Nov 24) that he had a “very good telephone call” with Chinese President Xi Jinping during which he discussed Ukraine and Russia. “I just had a very good telephone call with President Xi, of China. We discussed many topics including Ukraine/Russia, Fentanyl, Soybeans and other Farm Products, etc,” the American president wrote on Truth Social.

“Our relationship with China is extremely strong!” the president posted, adding, “We agreed that it is important that we communicate often, which I look forward to doing,\" he added.

Meanwhile, the Chinese media reported that Xi Jinping also discussed the ongoing Taiwan issue with the US president. The Chinese president said Taiwan's \"return to China\" is a key part of the post-war international order, state news agency Xinhua reported."""

XINHUA_URL = "http://namibiadailynews.info/atmosphere-of-xi-trump-phone-call-positive-friendly-constructive-chinese-foreign-ministry/"
XINHUA = """November 25, 2025

BEIJING, Nov. 25 — The atmosphere of the phone call between Chinese President Xi Jinping and U.S. President Donald Trump on Monday was “positive, friendly and constructive,” said Chinese foreign ministry spokesperson Mao Ning on Tuesday.

Mao told a regular press briefing that this phone call was initiated by the U.S. side.

She said that since President Trump’s second term, the Chinese and U.S. heads of state have maintained frequent interactions."""

TRIBUNE_URL = "https://worldtribune.com/?p=151575"
TRIBUNE = """FPI / December 1, 2025
By Richard Fisher
China has a habit of not returning American phone calls, but on Nov. 24, 2025, Chinese Communist Party leader Xi Jinping called United States President Donald Trump.

The rarity of Xi deciding to call Trump has to be noted."""

CALL_2025 = dt.date(2025, 11, 24)


def wion() -> Brief:
    a = Article("wion_trump_xi_2025", WION)
    return _hand(
        a.brief(
            [
                a.event(
                    1,
                    EventType.PHONE_CALL,
                    CALL_2025,
                    [
                        a.who(
                            "Donald Trump",
                            "US President Donald Trump",
                            "President",
                            "United States",
                        ),
                        a.who("Xi Jinping", "Chinese President Xi Jinping", "President", "China"),
                    ],
                    ["Ukraine", "fentanyl", "soybeans", "Taiwan"],
                    date_text="on Monday (Nov 24)",
                    outcomes=[
                        a.said(
                            OutcomeKind.AGREED,
                            "Trump and Xi agreed it is important to communicate often.",
                            "Donald Trump (Truth Social)",
                            '“We agreed that it is important that we communicate often, which I look forward to doing," he added.',
                        ),
                        a.said(
                            OutcomeKind.CLAIMED,
                            "Trump called it a very good telephone call.",
                            "Donald Trump",
                            "“I just had a very good telephone call with President Xi, of China.",
                        ),
                        a.said(
                            OutcomeKind.CLAIMED,
                            "Xi said Taiwan's return to China is a key part of the post-war international order.",
                            "Xinhua",
                            'The Chinese president said Taiwan\'s "return to China" is a key part of the post-war international order, state news agency Xinhua reported.',
                        ),
                    ],
                    summary="Trump and Xi spoke by phone about Ukraine, fentanyl, soybeans and Taiwan.",
                )
            ],
            outlet="WION",
            headline=None,
            published=dt.date(2025, 11, 25),
            url=WION_URL,
        )
    )


def xinhua() -> Brief:
    a = Article("xinhua_xi_trump_2025", XINHUA)
    return _hand(
        a.brief(
            [
                a.event(
                    1,
                    EventType.PHONE_CALL,
                    CALL_2025,
                    [
                        a.who("Xi Jinping", "Chinese President Xi Jinping", "President", "China"),
                        a.who(
                            "Donald Trump",
                            "U.S. President Donald Trump",
                            "President",
                            "United States",
                        ),
                    ],
                    ["China-US relations"],
                    date_text="on Monday",
                    initiator=a.initiated(
                        "United States", "this phone call was initiated by the U.S. side"
                    ),
                    outcomes=[
                        a.said(
                            OutcomeKind.CLAIMED,
                            "The atmosphere of the call was positive, friendly and constructive.",
                            "Chinese foreign ministry spokesperson Mao Ning",
                            "was “positive, friendly and constructive,” said Chinese foreign ministry spokesperson Mao Ning on Tuesday",
                        ),
                    ],
                    summary="China's foreign ministry described the Xi-Trump call and said the US initiated it.",
                )
            ],
            outlet="Namibia Daily News (Xinhua)",
            headline=None,
            published=dt.date(2025, 11, 25),
            url=XINHUA_URL,
        )
    )


def tribune() -> Brief:
    a = Article("tribune_xi_trump_2025", TRIBUNE)
    return _hand(
        a.brief(
            [
                a.event(
                    1,
                    EventType.PHONE_CALL,
                    CALL_2025,
                    [
                        a.who(
                            "Xi Jinping",
                            "Chinese Communist Party leader Xi Jinping",
                            "leader",
                            "China",
                        ),
                        a.who(
                            "Donald Trump",
                            "United States President Donald Trump",
                            "President",
                            "United States",
                        ),
                    ],
                    ["China-US relations"],
                    date_text="on Nov. 24, 2025",
                    initiator=a.initiated(
                        "Xi Jinping", "Xi Jinping called United States President Donald Trump"
                    ),
                    summary="Xi called Trump.",
                )
            ],
            outlet="World Tribune",
            headline=None,
            published=dt.date(2025, 12, 1),
            url=TRIBUNE_URL,
        )
    )


# --- Trump-Putin call reported by the Washington Post, denied by the Kremlin (Nov 2024) ---------

ANTIWAR_URL = "https://news.antiwar.com/2024/11/11/kremlin-denies-report-of-trump-putin-call-says-its-pure-fiction/"
ANTIWAR = """Kremlin Denies Report of Trump-Putin Call, Says It’s ‘Pure Fiction’

A Trump spokesman wouldn't comment on the report

The Kremlin on Monday denied a report that Russian President Vladimir Putin held a phone call with President-elect Donald Trump last week, calling it “pure fiction.”

The Washington Post reported on Sunday that Trump spoke with Putin on Thursday and advised the Russian leader not to escalate in Ukraine. “There was no conversation,” said Kremlin spokesman Dmitry Peskov. “This is completely untrue; it’s pure fiction.”

Peskov said the report was “the most remarkable example of the quality of the information that is published nowadays, sometimes even by quite respected outlets.”

When asked about the report, Steven Cheung, a spokesman for Trump, declined to comment. “We do not comment on private calls between President Trump and other world leaders,” he told BBC.

The Post report said that Ukraine was informed of the Trump-Putin phone call, but a Ukrainian official denied that was the case. “Reports that the Ukrainian side was informed in advance of the alleged call are false. Subsequently, Ukraine could not have endorsed or opposed the call,” Ukrainian Foreign Ministry spokesman Heorhii Tykhyi told Reuters."""


def antiwar() -> Brief:
    a = Article("antiwar_trump_putin_2024", ANTIWAR)
    return _hand(
        a.brief(
            [
                a.event(
                    1,
                    EventType.PHONE_CALL,
                    dt.date(2024, 11, 7),
                    [
                        a.who(
                            "Donald Trump",
                            "President-elect Donald Trump",
                            "President-elect",
                            "United States",
                        ),
                        a.who(
                            "Vladimir Putin",
                            "Russian President Vladimir Putin",
                            "President",
                            "Russia",
                        ),
                    ],
                    ["Ukraine"],
                    date_text="on Thursday",
                    outcomes=[
                        a.said(
                            OutcomeKind.CLAIMED,
                            "Trump advised Putin not to escalate in Ukraine.",
                            "The Washington Post",
                            "The Washington Post reported on Sunday that Trump spoke with Putin on Thursday and advised the Russian leader not to escalate in Ukraine.",
                        ),
                        a.said(
                            OutcomeKind.CLAIMED,
                            "The Kremlin denied that Putin and Trump had spoken: there was no conversation.",
                            "Kremlin spokesman Dmitry Peskov",
                            "“There was no conversation,” said Kremlin spokesman Dmitry Peskov.",
                        ),
                        a.said(
                            OutcomeKind.CLAIMED,
                            "Ukraine was informed of the call in advance.",
                            "The Washington Post",
                            "The Post report said that Ukraine was informed of the Trump-Putin phone call",
                        ),
                        a.said(
                            OutcomeKind.CLAIMED,
                            "Ukraine denied it was informed in advance of the call.",
                            "Ukrainian Foreign Ministry spokesman Heorhii Tykhyi",
                            "“Reports that the Ukrainian side was informed in advance of the alleged call are false.",
                        ),
                    ],
                    summary="A reported Trump-Putin call that the Kremlin denies took place.",
                ).model_copy(update={"status": EventStatus.UNCLEAR})
            ],
            outlet="Antiwar.com",
            headline="Kremlin Denies Report of Trump-Putin Call, Says It’s ‘Pure Fiction’",
            published=dt.date(2024, 11, 11),
            url=ANTIWAR_URL,
        )
    )


# --- Obama-Putin meeting at the G20 in Hangzhou, 5 Sep 2016: understanding vs gaps --------------

HANGZHOU_URL = "https://celebcafe.org/obama-putin-meet-on-g20-sidelines-over-syria-ukraine-7403"
HANGZHOU = """Obama, Putin meet on G20 sidelines over Syria, Ukraine
“I really hope that if we reach an agreement – and I have grounds to believe that it can happen in the next few days – we will be able to talk about significantly improving and intensifying our cooperation with the United States on fighting terrorist organisations, including those operating in Syria”, Putin said.
He said they discussed “a range of issues”, the two most important being how to cease violence in Syria and provide humanitarian relief.
“Despite everything, we have some alignment of positions and an understanding of what we could do to de-escalate the situation in Syria”, Putin said at a press conference following the G20 summit in the eastern Chinese city of Hangzhou on Monday.
Obama said he would not comment on “specific investigations that are still live and active”, an apparent reference to a computer breach of the Democratic National Committee, which some US officials have blamed on Russian Federation.
The US president, on his part, said easing the humanitarian situation in Syria would pave the way for a political solution, adding that a settlement of the crisis would include all parties directly or indirectly involved in the conflict.
While Obama said in a press conference he would not comment on specific open investigations, he said, “We’ve had problems with cyber intrusions from Russian Federation in the past”.
Obama said “the typical the tone of our meetings are candid, blunt and businesslike and this one was no different”. “But given the gaps of trust that exist, that’s a tough negotiation, and we haven’t yet closed the gaps in a way where we think it would actually work”."""


def hangzhou() -> Brief:
    a = Article("celebcafe_obama_putin_2016", HANGZHOU)
    return _hand(
        a.brief(
            [
                a.event(
                    1,
                    EventType.SUMMIT_SIDELINE,
                    None,
                    [
                        a.who(
                            "Barack Obama",
                            "Obama, Putin meet on G20 sidelines over Syria, Ukraine",
                            "President",
                            "United States",
                        ),
                        a.who(
                            "Vladimir Putin",
                            "Obama, Putin meet on G20 sidelines over Syria, Ukraine",
                            "President",
                            "Russia",
                        ),
                    ],
                    ["Syria", "Ukraine", "cyber security"],
                    location="Hangzhou",
                    outcomes=[
                        a.said(
                            OutcomeKind.AGREED,
                            "The two sides have an alignment of positions and an understanding of how to de-escalate the situation in Syria.",
                            "Vladimir Putin",
                            "“Despite everything, we have some alignment of positions and an understanding of what we could do to de-escalate the situation in Syria”, Putin said",
                        ),
                        a.said(
                            OutcomeKind.DISAGREED,
                            "Gaps of trust remain and no workable deal on Syria has been reached.",
                            "Barack Obama",
                            "“But given the gaps of trust that exist, that’s a tough negotiation, and we haven’t yet closed the gaps in a way where we think it would actually work”.",
                        ),
                        a.said(
                            OutcomeKind.CLAIMED,
                            "Easing the humanitarian situation in Syria would pave the way for a political solution.",
                            "Barack Obama",
                            "The US president, on his part, said easing the humanitarian situation in Syria would pave the way for a political solution",
                        ),
                    ],
                    summary="Obama and Putin met on the G20 sidelines in Hangzhou on Syria and Ukraine.",
                )
            ],
            outlet="CelebCafe",
            headline="Obama, Putin meet on G20 sidelines over Syria, Ukraine",
            published=None,
            url=HANGZHOU_URL,
        )
    )


# (name, what the texts show, the briefs, the fields that conflict: empty when compatible)
Case = tuple[str, str, Callable[[], list[Brief]], frozenset[str]]

CASES: list[Case] = [
    (
        "putin-xi-2024-one-outlet",
        "Kremlin on energy, Chinese media on strategic coordination",
        lambda: [globe()],
        frozenset(),
    ),
    (
        "putin-xi-2024-two-outlets",
        "two outlets, the same call, compatible points",
        lambda: [globe(), pravda()],
        frozenset(),
    ),
    (
        "trump-xi-2025-two-outlets",
        "Truth Social, Xinhua and the foreign ministry, compatible",
        lambda: [wion(), xinhua()],
        frozenset(),
    ),
    ("putin-xi-2025-joint", "a joint pledge and two readouts", lambda: [video_call()], frozenset()),
    (
        "trump-xi-2025-truth-social",
        "Truth Social post and Xinhua, compatible",
        lambda: [wion()],
        frozenset(),
    ),
    (
        "trump-xi-2025-who-called",
        "one outlet: Xi called; Xinhua: the US initiated",
        lambda: [wion(), xinhua(), tribune()],
        frozenset({"initiator"}),
    ),
    (
        "trump-putin-2024-denied",
        "reported call the Kremlin denies; Ukraine denies being told",
        lambda: [antiwar()],
        frozenset({"status", "outcome"}),
    ),
    (
        "obama-putin-2016-hangzhou",
        "Putin: understanding on Syria; Obama: gaps not closed",
        lambda: [hangzhou()],
        frozenset({"outcome"}),
    ),
]
