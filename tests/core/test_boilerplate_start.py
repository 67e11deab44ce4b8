"""Cutting leading page furniture, in every language we read, and never the article."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarize.core.boilerplate import article_start

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
# The opening of fixtures/corpus/05 (mk.ru), real reporting.
ARTICLE = (
    "Президент России Владимир Путин в среду, 19 сентября, провел телефонный разговор с "
    "канцлером Германии Ангелой Меркель.\n"
    "Как сообщили в Кремле, разговор состоялся по инициативе немецкой стороны.\n"
)
HEADLINE = "Путин поговорил с Меркель по телефону\n\n"


@pytest.mark.parametrize(
    "furniture",
    [
        "https://www.mk.ru/politics/2018/09/19/putin-pogovoril-s-merkel-po-telefonu.html\n",
        "<https://www.mk.ru/politics/2018/09/19/x.html>\n\n",
        "Date: 2018-09-19\n",
        "Skip to main content\nMenu\nSearch\n",
        "Zum Inhalt springen\nMenü\nSuche\n",
        "Aller au contenu\nRechercher\n",
        "Ir al contenido\nMenú\nBuscar\n",
        "Перейти к содержанию\nГлавная\nПоиск\n",
        "メニュー\n検索\n",
        "首页\n搜索\n",
        "English简体繁體\n",
        "English | Español | Français | Deutsch\n",
        "Home | Politik | Wirtschaft | Sport | Kultur\n",
        "Главная · Политика · Экономика · Общество\n",
        "【热点话题】:美国大选 中美关系 全球治理 气候变化 脱钩\n",
        "Hot topics: Ukraine, Gaza, G20 summit, Elections\n",
        "DAX 15.234 +0,54%   Dow 34.500 -0,12%   EUR/USD 1,07 +0,10%\n",
        "Utilizamos cookies para mejorar su experiencia. Aceptar\n",
        "Wir verwenden Cookies. Mit der Nutzung der Seite stimmen Sie zu.\nAkzeptieren\n",
        "Nous utilisons des cookies pour améliorer votre expérience.\nOK\n",
        "Мы используем куки\n",
        "Most read\nG7 leaders meet in Italy\nMarkets fall on rate fears\n\n",
        "Читайте также\nВ Москве открылась выставка\nЦБ сохранил ставку\n\n",
        "Leia também\nLula viaja à China\nInflação cai em agosto\n\n",
        "関連記事\n首相が会見\n円相場が下落\n\n",
    ],
)
def test_leading_furniture_is_cut_before_the_headline(furniture: str) -> None:
    text = furniture + HEADLINE + ARTICLE
    assert text[article_start(text) :] == HEADLINE + ARTICLE


def test_a_header_that_opens_a_line_of_text_is_cut_to_the_text() -> None:
    text = "https://www.mk.ru/a.html\n date 2018-09-19 " + ARTICLE
    assert text[article_start(text) :] == ARTICLE


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_the_seeds_open_with_their_article(prefix: str) -> None:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    # Seed 000 opens with blank lines and "Beat: Politics": a label, kept.
    assert article_start(path.read_text(encoding="utf-8")) == 0


@pytest.mark.parametrize(
    "head",
    [
        "",
        HEADLINE,
        "Berlin (AFP) " + ARTICLE,
        # a short kicker or breadcrumb is not reliably furniture: kept
        "Politik\n" + HEADLINE,
        # a menu after the headline is inside the article's block: kept whole
        HEADLINE + "Home | Politik | Wirtschaft | Sport\n",
        # "Most read" followed by prose is a sentence, not a list
        "Most read stories this week were about the summit, which ended on Friday.\n",
    ],
)
def test_nothing_is_cut_when_the_text_opens_with_the_article(head: str) -> None:
    text = head + ARTICLE
    assert article_start(text) == 0


def test_furniture_only_text_is_kept_whole() -> None:
    assert article_start("Menu\nSearch\nhttps://example.org/\n") == 0


@given(st.text(max_size=400))
def test_start_is_within_the_text_and_never_inside_the_first_prose_line(text: str) -> None:
    start = article_start(text)
    assert 0 <= start <= len(text)
    first_long = next((line for line in text.split("\n") if len(line.strip()) > 200), None)
    if first_long is not None:
        assert start <= text.index(first_long)
