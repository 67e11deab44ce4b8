"""Relative dates in the eight corpus languages, resolved in the direction the status gives."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarize.core.brief import EventStatus
from summarize.core.dates import find_publication_date, resolve_date

HELD, PLANNED = EventStatus.HELD, EventStatus.PLANNED
UNCLEAR, CANCELLED = EventStatus.UNCLEAR, EventStatus.CANCELLED
MONDAY = dt.date(2025, 10, 6)  # a Monday
WEDNESDAY = dt.date(2025, 10, 8)


@pytest.mark.parametrize(
    ("written", "status", "expected"),
    [
        # weekdays: back when held, forward when planned, the anchor day itself either way
        ("am Freitag", HELD, dt.date(2025, 10, 3)),
        ("am Freitag", PLANNED, dt.date(2025, 10, 10)),
        ("am Montagabend", HELD, MONDAY),
        ("в среду", HELD, dt.date(2025, 10, 1)),
        ("в среду", PLANNED, WEDNESDAY),
        ("mercredi", PLANNED, WEDNESDAY),
        ("el lunes", HELD, MONDAY),
        ("el lunes", PLANNED, MONDAY),
        ("on Thursday", PLANNED, dt.date(2025, 10, 9)),
        ("on Thursday", HELD, dt.date(2025, 10, 2)),
        ("on Thursday", UNCLEAR, dt.date(2025, 10, 2)),
        ("on Thursday", CANCELLED, dt.date(2025, 10, 2)),
        # relative days do not depend on the status
        ("вчера", HELD, dt.date(2025, 10, 5)),
        ("hier", HELD, dt.date(2025, 10, 5)),
        ("ayer por la noche", HELD, dt.date(2025, 10, 5)),
        ("ontem", UNCLEAR, dt.date(2025, 10, 5)),
        ("heute", PLANNED, MONDAY),
        ("demain", PLANNED, dt.date(2025, 10, 7)),
        ("昨日", HELD, dt.date(2025, 10, 5)),
        ("明天", PLANNED, dt.date(2025, 10, 7)),
        # day and month without a year
        ("18 de novembro", PLANNED, dt.date(2025, 11, 18)),
        ("18 de novembro", HELD, dt.date(2024, 11, 18)),
        ("18 de novembro", UNCLEAR, dt.date(2025, 11, 18)),  # nearest
        ("11月3日", HELD, dt.date(2024, 11, 3)),
        ("11月3日", UNCLEAR, dt.date(2025, 11, 3)),
        ("昨年１１月２５日", UNCLEAR, dt.date(2024, 11, 25)),
        # a day of the month alone, with or without its weekday
        ("3日", HELD, dt.date(2025, 10, 3)),
        ("3日", PLANNED, dt.date(2025, 11, 3)),
        ("nesta quinta-feira (9)", PLANNED, dt.date(2025, 10, 9)),
        ("na última sexta-feira (3)", HELD, dt.date(2025, 10, 3)),
        ("週五（3日）", HELD, dt.date(2025, 10, 3)),
        ("neste sábado, 11", PLANNED, dt.date(2025, 10, 11)),
        # a clock time alone is the day of publication
        ("a partir das 13h", PLANNED, MONDAY),
    ],
)
def test_phrases_in_many_languages(written: str, status: EventStatus, expected: dt.date) -> None:
    assert resolve_date(written, MONDAY, status) == expected


def test_nesta_quinta_feira_from_the_issue() -> None:
    # "nesta quinta-feira (7)" in an article of Tuesday 5 August 2025: Thursday the 7th.
    assert resolve_date("nesta quinta-feira (7)", dt.date(2025, 8, 5), PLANNED) == dt.date(
        2025, 8, 7
    )


@pytest.mark.parametrize(
    "written",
    ["quinta-feira (9)", "週四（3日）", "Friday (5)"],
)
def test_a_weekday_that_disagrees_with_its_day_resolves_to_nothing(written: str) -> None:
    assert resolve_date(written, MONDAY, HELD) is None


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2025年10月30日", dt.date(2025, 10, 30)),
        ("平成29年10月30日", dt.date(2017, 10, 30)),
        ("７ de outubro de 2025", dt.date(2025, 10, 7)),
        ("am 17. März 2017", dt.date(2017, 3, 17)),
        ("19 сентября 2018 года", dt.date(2018, 9, 19)),
        ("le 12 février 2022", dt.date(2022, 2, 12)),
    ],
)
def test_full_dates_in_many_languages_need_no_anchor(written: str, expected: dt.date) -> None:
    assert resolve_date(written, None) == expected


@pytest.mark.parametrize(
    "written",
    ["am Freitag", "вчера", "mercredi", "el lunes", "18 de novembro", "11月3日", "3日", "13h"],
)
@pytest.mark.parametrize("status", list(EventStatus))
def test_no_anchor_no_date(written: str, status: EventStatus) -> None:
    assert resolve_date(written, None, status) is None


@pytest.mark.parametrize(
    "written",
    [
        "em breve",
        "dans la soirée",
        "this week",
        "kommende Woche",
        "今年春頃",
        "明年四月",
        "em setembro",
    ],
)
def test_vague_phrases_in_many_languages(written: str) -> None:
    assert resolve_date(written, MONDAY, PLANNED) is None


def test_languages_can_be_given() -> None:
    # "hier" is French for yesterday; read as German it is no date at all.
    assert resolve_date("hier", MONDAY, HELD, languages=("fr",)) == dt.date(2025, 10, 5)
    assert resolve_date("hier", MONDAY, HELD, languages=("de",)) is None


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        # day first outside English: 3 November, not 11 March
        (
            "24 Horas\n\n03/11/2023\n\nEl Ministerio de Relaciones Exteriores informó que el "
            "encuentro entre la presidente y su homólogo se desarrolló hoy en la Casa Blanca, "
            "de acuerdo con la agenda del día y con los tiempos de la cumbre.",
            ("03/11/2023", dt.date(2023, 11, 3)),
        ),
        (
            "アメリカ合衆国\n日米首脳電話会談\n平成29年10月30日\n",
            ("平成29年10月30日", dt.date(2017, 10, 30)),
        ),
        (
            "Macron a eu un échange avec Poutine information fournie par Reuters 25/02/2022 à "
            "03:02\nBRUXELLES, 25 février (Reuters) - Le président",
            ("25/02/2022 à 03:02", dt.date(2022, 2, 25)),
        ),
        (
            "Título\n\nAtualizado em 7 de outubro de 2025 às 9:33\n",
            ("7 de outubro de 2025 às 9:33", dt.date(2025, 10, 7)),
        ),
    ],
)
def test_publication_dates_in_many_languages(head: str, expected: tuple[str, dt.date]) -> None:
    assert find_publication_date(head) == expected


def test_a_caption_date_in_chinese_is_not_the_publication_date() -> None:
    head = "習特會：2025年10月30日，美國總統特朗普與中國國家主席習近平在韓國釡山會面。（Reuters）"
    assert find_publication_date(head) is None


anchors = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31))


@given(anchors, st.integers(min_value=0, max_value=6))
def test_planned_weekdays_are_within_the_week_after(anchor: dt.date, weekday: int) -> None:
    names = ["segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira",
             "sábado", "domingo"]  # fmt: skip
    resolved = resolve_date(f"nesta {names[weekday]}", anchor, PLANNED)
    assert resolved is not None
    assert 0 <= (resolved - anchor).days <= 6
    assert resolved.weekday() == weekday


@given(anchors, st.integers(min_value=1, max_value=31), st.sampled_from([HELD, PLANNED]))
def test_a_lone_day_stays_within_a_month_of_the_anchor(
    anchor: dt.date, day: int, status: EventStatus
) -> None:
    resolved = resolve_date(f"{day}日", anchor, status)
    if resolved is not None:
        assert resolved.day == day
        assert 0 <= (resolved - anchor).days * (1 if status is PLANNED else -1) <= 62
