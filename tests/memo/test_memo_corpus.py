"""The memo on a real multi-country, multi-year folder (issue 16): the hand-annotated corpus
goldens in fixtures/corpus/golden, 26 articles in 8 languages from 2008 to 2026."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path

import pytest
from corpus_goldens import GOLDEN, article_of, golden_briefs

from summarize.core.brief import Brief
from summarize.memo.build import build_memo
from summarize.memo.events import MergedEvent
from summarize.memo.follow_ups import FollowUpStatus, track_follow_ups
from summarize.memo.load import load_briefs
from summarize.memo.merging import merge_briefs
from summarize.memo.view import MemoView

CORPUS = GOLDEN.parent


@cache
def _briefs() -> tuple[Brief, ...]:
    return tuple(load_briefs(GOLDEN))


@cache
def _events() -> tuple[MergedEvent, ...]:
    return tuple(merge_briefs(_briefs()))


@cache
def _view() -> MemoView:
    return build_memo(_briefs())


def _dir_of(article_id: str) -> str:
    return next(p.stem for p in GOLDEN.glob("*.json") if article_id in p.read_text("utf-8"))


def _event_of(ref: str) -> MergedEvent:
    """The memo event holding the manifest's event `<dir>#<index>` (index from 0)."""
    folder, index = ref.split("#")
    brief = next(b for b in _briefs() if _dir_of(b.article_id) == folder)
    manifest = json.loads((CORPUS / "manifest.json").read_text("utf-8"))
    held = [e for e in _manifest_events(manifest, folder)]
    wanted = held[int(index)]
    ours = next(e for e in brief.events if e.date_text == wanted["date_text"])
    return next(e for e in _events() if any(m.event_id == ours.id for m in e.mentions))


def _manifest_events(manifest: dict[str, object], folder: str) -> list[dict[str, object]]:
    articles = manifest["articles"]
    assert isinstance(articles, list)
    return list(next(a for a in articles if a["dir"] == folder)["events"])


def test_goldens_are_marked_hand_annotations_with_quotes_from_the_text() -> None:
    files = sorted(GOLDEN.glob("*.json"))
    assert len(files) == 26
    for path in files:
        brief = Brief.model_validate_json(path.read_text("utf-8"))
        assert brief.provenance.kind == "hand_annotation"
        assert brief.provenance.annotator and brief.provenance.annotated_on
        text = article_of(CORPUS / path.stem).text
        assert brief.article_id == article_of(CORPUS / path.stem).id
        for event in brief.events:
            quotes = [p.evidence for p in event.participants]
            quotes += [o.evidence for o in event.outcomes]
            quotes += [f.evidence for f in event.follow_ups]
            quotes += [event.initiator.evidence] if event.initiator.evidence else []
            for ev in quotes:
                assert text[ev.start : ev.end] == ev.quote, path.name


def test_goldens_on_disk_are_the_annotation() -> None:
    for name, brief in golden_briefs().items():
        on_disk = json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))
        assert on_disk == json.loads(brief.model_dump_json()), name


def _shorts(event: MergedEvent) -> set[str]:
    return {p.short for p in event.participants}


def test_short_names_are_how_the_articles_call_people() -> None:
    lula_trump = _event_of("18_pt_diariodonordeste_lula_trump_call#0")
    assert {"Lula", "Trump"} <= _shorts(lula_trump)
    putin_xi = _event_of("02_en_urdupoint_putin_xi_g20#0")
    assert _shorts(putin_xi) == {"Putin", "Xi"}
    # Written in Cyrillic and Chinese, matched to the Latin names of the same people.
    assert "Putin" in _shorts(_event_of("05_ru_mk_putin_merkel_call#0"))
    assert "Xi" in _shorts(_event_of("24_zh_chinausfocus_xi_trump_call#0"))
    timeline = " ".join(r.who for r in _view().timeline)
    for wrong in ("Jinping", "Silva", "Sousa and", "Zegarra"):
        assert wrong not in timeline


def test_people_are_matched_across_languages_in_the_who_is_who() -> None:
    names = [p.name for p in _view().people]
    assert names.count("Vladimir Putin") == 1
    assert not any(n in names for n in ("Владимир Путин", "Vladimir Poutine", "Wladimir Putin"))
    assert "Xi Jinping" in names and "習近平" not in names and "习近平" not in names
    assert "Luiz Inácio Lula da Silva" in names and "Lula" not in names
    putin = next(p for p in _view().people if p.name == "Vladimir Putin")
    # Russian, German, French, Spanish and English reports of Putin's contacts.
    assert len(putin.took_part_in) >= 8


def test_one_side_per_party() -> None:
    # Planalto, the Brazilian government and Lula's aides all speak for Brazil.
    lula_trump = _event_of("17_pt_diariodocentrodomundo_lula_trump_call#0")
    assert lula_trump.sides == ("Brazil",)
    xi_trump = _event_of("26_zh_hk01_xi_trump_call#0")
    assert xi_trump.sides == ("China", "United States")
    macron_putin = _event_of("13_fr_ndarinfo_macron_putin_call#0")
    assert macron_putin.sides == ("France", "Russia")


def test_no_false_divergence() -> None:
    """The goldens hold no conflict the briefs can show (issue 24): sides stress their own
    points, which the memo shows side by side, not as divergence."""
    view = _view()
    assert view.divergent == ()
    assert not any("Accounts conflict" in s.text for s in view.bluf)
    by_id = {v.id: v for v in view.events}
    # Each side stresses its own points: a neutral "accounts by side" table.
    for ref in ("13_fr_ndarinfo_macron_putin_call#0", "26_zh_hk01_xi_trump_call#0"):
        event = _event_of(ref)
        assert len(event.sides) == 2 and by_id[event.id].side_rows, ref
    # "Donald Trump (Truth Social)" is Trump's side, not a side of its own.
    assert _event_of("07_ru_dailystorm_trump_putin_call#0").sides == ("Russia", "United States")


def test_no_false_overdue() -> None:
    as_of = max(b.source.published_date for b in _briefs() if b.source.published_date)
    assert as_of == dt.date(2026, 1, 2)
    tracked = track_follow_ups(list(_events()), as_of)
    overdue = [t for t in tracked if t.status is FollowUpStatus.OVERDUE]
    assert overdue == []
    by_action = {t.follow_up.action: t.status for t in tracked}
    # Due in 2008, 2017, December 2025: nothing later about the same leaders.
    assert by_action["Gilani to meet President Bush at the White House"] is (
        FollowUpStatus.NO_LATER_REPORT
    )
    assert by_action["Trump's visit to Japan"] is FollowUpStatus.NO_LATER_REPORT
    assert by_action["Trump to meet Zelensky at Mar-a-Lago"] is FollowUpStatus.NO_LATER_REPORT
    # The Brazilian preview's meetings of 22 April 2023 are shown held by the Portuguese report.
    assert by_action["Lula to meet President Marcelo Rebelo de Sousa"] is FollowUpStatus.MET
    assert by_action["Trump to visit Beijing"] is FollowUpStatus.OPEN


@pytest.mark.parametrize(
    "refs",
    [
        # The same call in two outlets, one of which dates it and one of which does not
        # (12 reports it on 25 February, 13 has no publication date): both undated.
        ("12_fr_boursorama_macron_putin_call#0", "13_fr_ndarinfo_macron_putin_call#0"),
        (
            "17_pt_diariodocentrodomundo_lula_trump_call#0",
            "18_pt_diariodonordeste_lula_trump_call#0",
        ),
        ("25_zh_yahoo_xi_trump_call#0", "26_zh_hk01_xi_trump_call#0"),
        ("25_zh_yahoo_xi_trump_call#2", "26_zh_hk01_xi_trump_call#1"),
        # Undated UN General Assembly encounter, in two Brazilian outlets a day apart.
        (
            "17_pt_diariodocentrodomundo_lula_trump_call#2",
            "18_pt_diariodonordeste_lula_trump_call#2",
        ),
    ],
)
def test_one_contact_reported_twice_is_one_event(refs: tuple[str, str]) -> None:
    a, b = (_event_of(r) for r in refs)
    assert a.id == b.id
    assert a.merge_rules


def test_a_dated_and_an_undated_report_of_one_visit_merge_by_publication_date() -> None:
    # Lula's state visit to Portugal: the Brazilian preview dates his arrival (21 April), the
    # Portuguese report of the welcome does not; both were published on 22 April 2023.
    visit = _event_of("19_pt_itamarajunoticias_lula_rebelo_preview#2")
    assert visit.id == _event_of("20_pt_observador_lula_rebelo_visit#0").id
    assert visit.date == dt.date(2023, 4, 21)
    assert any("published within a day" in r for r in visit.merge_rules)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Macron-Putin calls two weeks apart.
        ("11_fr_lesoir_macron_putin_call#0", "12_fr_boursorama_macron_putin_call#0"),
        # Merkel-Putin calls in 2014, 2016 and 2018.
        ("08_de_zeit_merkel_putin_call_2014#0", "09_de_zeit_merkel_putin_call_2016#0"),
        ("09_de_zeit_merkel_putin_call_2016#0", "05_ru_mk_putin_merkel_call#0"),
        # Lula-Trump: the call and the UN meeting weeks earlier.
        ("18_pt_diariodonordeste_lula_trump_call#0", "18_pt_diariodonordeste_lula_trump_call#2"),
        # Xi-Trump: the November call and the October Busan meeting; the 2017 call.
        ("26_zh_hk01_xi_trump_call#0", "26_zh_hk01_xi_trump_call#1"),
        ("24_zh_chinausfocus_xi_trump_call#0", "26_zh_hk01_xi_trump_call#0"),
        # Trump-Putin: June, October and December 2025, and the 2017 G20 meeting.
        ("04_en_unn_putin_xi_call_preview#1", "07_ru_dailystorm_trump_putin_call#0"),
        ("07_ru_dailystorm_trump_putin_call#2", "07_ru_dailystorm_trump_putin_call#0"),
        ("14_es_radiouchile_trump_putin_g20#0", "07_ru_dailystorm_trump_putin_call#0"),
    ],
)
def test_distinct_contacts_between_the_same_leaders_stay_apart(a: str, b: str) -> None:
    assert _event_of(a).id != _event_of(b).id


def test_undated_events_follow_the_dated_ones_by_publication_date() -> None:
    rows = _view().timeline
    undated = [r for r in rows if r.undated]
    assert rows[-len(undated) :] == tuple(undated)
    published = []
    for row in undated:
        event = next(e for e in _events() if e.id == row.event_id)
        dates = [m.source.published_date for m in event.mentions if m.source.published_date]
        published.append(min(dates) if dates else dt.date.max)
    assert published == sorted(published)


def test_header_and_bottom_line_say_the_span_and_lead_with_the_latest_period() -> None:
    view = _view()
    assert view.range_label == "27 Jul 2008 \u2013 2 Jan 2026 (18 years)"
    first = view.bluf[0].text
    assert first.startswith("The folder spans 18 years, from 27 Jul 2008; its last twelve months (")
    assert "2 Jan 2026) hold 8 of its 22 dated contacts" in first


def test_memo_command_builds_from_the_golden_folder(tmp_path: Path) -> None:
    from summarize.memo.load import write_memo

    out = tmp_path / "memo.html"
    write_memo(_briefs(), out)
    page = out.read_text("utf-8")
    assert "No later report in this folder" in page and "Overdue</span>" not in page


def test_derived_short_names_keep_surname_particles() -> None:
    from summarize.memo.naming import derive_short

    assert derive_short("Ursula von der Leyen") == "von der Leyen"
    assert derive_short("Marcelo Rebelo de Sousa") == "Rebelo de Sousa"
    assert derive_short("Vladimir Putin") == "Putin"
