"""The real-article corpus (fixtures/corpus) read and scored as ingestion sees it; no model.

Shared by the corpus tests and bench/run.py, so that the benchmark reports exactly what the
tests check.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anyascii import anyascii

from summarize.core.article import Article
from summarize.core.brief import EventStatus
from summarize.core.dates import resolve_date
from summarize.sources.read import iter_articles

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"

# Page furniture in the captures: every line that is the page's chrome, not its article,
# as read by hand (session on branch "dates"). Line 1 of every capture, its URL, is the
# capture's header and counted too. Lines are exact and whole.
FURNITURE: dict[str, tuple[str, ...]] = {
    "02_en_urdupoint_putin_xi_g20": (" date 2019-06-28 UrduPoint.com",),
    "15_es_clarin_kirchner_rousseff_summit": (
        "Sobre la firma",
        "Newsletter Clarín",
        "Recibí en tu email todas las noticias, coberturas, historias y análisis de la mano "
        "de nuestros periodistas especializados",
        "QUIERO RECIBIRLO",
    ),
    "16_es_panamericana_boluarte_biden": (
        "24 Horas Edición Central",
        "Temas Relacionados: ApepCancilleríaCasa BlancaDina BoluarteJoe Biden",
        "También te puede interesar:",
        "BANNER",
    ),
    "23_ja_mofa_abe_trump_call": ("アメリカ合衆国",),
    "24_zh_chinausfocus_xi_trump_call": (
        "English简体繁體",
        "【热点话题】:美国大选 中美关系 全球治理 气候变化 脱钩",
    ),
}

# Event dates the machinery cannot resolve, and why (the annotation is right; we fall short).
UNRESOLVED = {
    "07_ru_dailystorm_trump_putin_call#0": "'только что' (just now) is in no dateparser table",
    "09_de_zeit_merkel_putin_call_2016#1": "'Einen Tag nach ihrem Treffen' dates the meeting "
    "from the call, which takes reading the sentence",
    "10_de_abendblatt_merkel_trump_visit_preview#0": "'am 27. April' needs the year, and the "
    "page gives only a month ('date 2018-04'), no publication date",
}


@dataclass(frozen=True)
class EventCase:
    ref: str
    date_text: str | None
    status: EventStatus
    expected: dt.date | None
    anchor: dt.date | None


def manifest() -> list[dict[str, Any]]:
    data: dict[str, Any] = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    articles: list[dict[str, Any]] = data["articles"]
    return articles


def ingest(entry: dict[str, Any]) -> Article:
    (article,) = iter_articles(CORPUS / entry["dir"] / "capture.txt")
    assert isinstance(article, Article), article
    return article


def squashed(name: str) -> str:
    return re.sub(r"[\W_]+", "", anyascii(name).lower())


def outlet_named(article: Article, entry: dict[str, Any]) -> bool:
    """The outlet found is the annotated name (letters and digits compared, accents aside)."""
    outlet = article.source().outlet
    return outlet is not None and squashed(outlet) == squashed(entry["outlet"])


def outlet_right(article: Article, entry: dict[str, Any]) -> bool:
    """The annotated name, or, where the capture never writes the outlet's name
    (`outlet_source` "site": the annotator named the site), the site's own domain."""
    if outlet_named(article, entry):
        return True
    source = article.source()
    return (
        entry["outlet_source"] == "site"
        and source.outlet_from == "domain"
        and source.outlet is not None
        and source.outlet in (re.sub(r"^https?://", "", entry["url"]).split("/")[0])
    )


def published_right(article: Article, entry: dict[str, Any]) -> bool:
    expected = entry["published_date"]
    return article.published_date == (dt.date.fromisoformat(expected) if expected else None)


def event_cases() -> list[EventCase]:
    """Every annotated event with a date as written or a calendar date."""
    cases = []
    for entry in manifest():
        anchor = entry["published_date"]
        for i, event in enumerate(entry["events"]):
            if event["date_text"] is None and event["date"] is None:
                continue
            cases.append(
                EventCase(
                    ref=f"{entry['dir']}#{i}",
                    date_text=event["date_text"],
                    status=EventStatus(event["status"]),
                    expected=dt.date.fromisoformat(event["date"]) if event["date"] else None,
                    anchor=dt.date.fromisoformat(anchor) if anchor else None,
                )
            )
    return cases


def resolved(case: EventCase, anchor: dt.date | None) -> dt.date | None:
    return resolve_date(case.date_text, anchor, case.status)


def furniture_lines(entry: dict[str, Any]) -> list[str]:
    return [entry["url"], *FURNITURE.get(entry["dir"], ())]


def furniture_sent(body: str, entry: dict[str, Any]) -> int:
    """How many furniture lines of the capture are in `body` (what the model reads) whole."""
    lines = {line for line in body.split("\n")}
    return sum(line in lines for line in furniture_lines(entry))
