"""Divergence means disagreement (issue 24): on hand-annotated real articles in
tests/divergence_cases.py, every real conflict is flagged, with the field it is on, and no
compatible pair is."""

from __future__ import annotations

import datetime as dt

import pytest
from divergence_cases import (
    CASES,
    HANGZHOU,
    Case,
    antiwar,
    hangzhou,
    tribune,
    video_call,
    wion,
    xinhua,
)
from memo_briefs import Article

from summarize.core.brief import EventType
from summarize.memo.build import build_memo
from summarize.memo.divergence import denies, denies_contact
from summarize.memo.merging import merge_briefs
from summarize.memo.people import JOINT_SIDE, side_of
from summarize.memo.render import render_memo


def _fields(case: Case) -> frozenset[str]:
    return frozenset(c.field for e in merge_briefs(case[2]()) for c in e.divergences)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_divergence_is_flagged_on_every_real_conflict_and_on_no_compatible_pair(
    case: Case,
) -> None:
    assert _fields(case) == case[3], case[1]


def test_the_cases_cover_compatible_pairs_and_each_kind_of_conflict() -> None:
    assert sum(1 for c in CASES if not c[3]) >= 4
    assert {"initiator", "status", "outcome"} <= frozenset().union(*(c[3] for c in CASES))


def test_a_joint_statement_is_no_side() -> None:
    (event,) = merge_briefs([video_call()])
    assert event.sides == ("China", "Russia")
    joint = next(o for o in event.outcomes if o.stated_by == ("Both leaders",))
    assert (joint.side, joint.party) == (JOINT_SIDE, False)


@pytest.mark.parametrize(
    "stated_by",
    ["both leaders", "The two sides", "the leaders", "joint statement", "Ambos os líderes", "双方"],
)
def test_joint_attributions_in_several_languages(stated_by: str) -> None:
    assert side_of(stated_by) == (JOINT_SIDE, False)


def test_a_platform_is_where_a_person_spoke_not_a_side() -> None:
    (event,) = merge_briefs([wion()])
    assert event.sides == ("China", "United States")
    outcome = next(o for o in event.outcomes if "communicate" in o.statement)
    assert outcome.side == "United States"


def test_outlets_giving_different_initiators_are_one_divergence_named_in_the_bottom_line() -> None:
    view = build_memo([wion(), xinhua(), tribune()])
    (divergent,) = view.divergent
    assert [c.label for c in divergent.conflicts] == ["Initiator"]
    line = next(s.text for s in view.bluf if s.text.startswith("Accounts conflict"))
    assert line.startswith("Accounts conflict on 1 of 1 contact: E1 (who initiated it)")


def test_a_denied_contact_and_a_denied_claim_are_shown_with_both_versions() -> None:
    view = build_memo([antiwar()])
    (divergent,) = view.divergent
    labels = [c.label for c in divergent.conflicts]
    assert labels == ["Whether it took place", "Outcome"]
    status, outcome = divergent.conflicts
    assert status.variants[0].value == "took place"
    assert status.variants[1].value.startswith("denied (Russia): The Kremlin denied")
    assert outcome.variants[0].value.startswith("United States, claimed: Ukraine was informed")
    assert outcome.variants[1].value.startswith("Ukraine, denies: Ukraine denied")
    markdown = render_memo([antiwar()], "md")
    assert "Accounts conflict on this event (whether it took place, outcome)" in markdown
    assert "E1 (whether it took place and an outcome)" in markdown


def test_agreed_against_disagreed_on_an_event_topic_is_a_divergence() -> None:
    (event,) = merge_briefs([hangzhou()])
    (conflict,) = event.divergences
    kinds = [v.value.split(":")[0] for v in conflict.variants]
    assert kinds == ["Russia, agreed", "United States, disagreed"]


def test_compatible_accounts_keep_the_neutral_view_by_side() -> None:
    html = render_memo([video_call()], "html")
    assert "Accounts by side" in html
    assert "Accounts conflict on this event" not in html
    assert "Both leaders" not in html.split("Accounts by side", 1)[1].split("</table>", 1)[0]


@pytest.mark.parametrize(
    ("statement", "contact"),
    [
        ("The Kremlin denied that Putin and Trump had spoken: there was no conversation.", True),
        ("Peskov said there was no phone call.", True),
        ("Kremlsprecher Peskow sagte, Putin und Trump hätten nicht miteinander telefoniert.", True),
        ("Ukraine denied it was informed in advance of the call.", False),
        ("Peskov confirmed that the call took place.", False),
    ],
)
def test_denials_of_the_contact_itself(statement: str, contact: bool) -> None:
    assert denies_contact(statement) is contact


def test_denial_words_in_the_corpus_languages() -> None:
    assert denies("China's foreign ministry denied the report")
    assert denies("中方否認")
    assert denies("O Kremlin desmentiu a notícia")
    assert not denies("The Kremlin confirmed the call")


def test_a_type_worded_two_ways_is_detail_not_divergence() -> None:
    """Two reports of the Hangzhou meeting, one typing it a summit sideline and one a
    meeting (the second is the same real text under another name; both dated 5 Sep 2016 for
    the test, since the dated rule is the one that joins reports typed differently)."""
    day = dt.date(2016, 9, 5)
    first = hangzhou()
    first = first.model_copy(update={"events": [first.events[0].model_copy(update={"date": day})]})
    second_article = Article("celebcafe_copy", HANGZHOU)
    event = first.events[0].model_copy(
        update={"id": f"{second_article.id}#1", "event_type": EventType.MEETING, "outcomes": []}
    )
    second = first.model_copy(update={"article_id": second_article.id, "events": [event]})
    (merged,) = merge_briefs([first, second])
    assert merged.conflict("event type") is not None
    assert [c.field for c in merged.divergences] == ["outcome"]
    view = build_memo([first, second])
    assert view.events[0].type_variants is not None
    assert "Meeting (CelebCafe)" in view.events[0].type_variants
