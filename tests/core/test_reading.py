"""The tolerant reading of a model's answer (`summarize.core.reading`), on seed 001's grounded
answer (14 sentences) with one slip at a time: the slip is normalised or its item dropped,
each with its warning; every other item is kept as it was."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from citation_probes import CITATION_PROBES

from summarize.core import reading
from summarize.core.article import Article
from summarize.core.assemble import assemble_brief
from summarize.core.brief import Brief, Provenance
from summarize.core.extraction import Extraction, GroundingCheck, checking
from summarize.core.grounding import article_text
from summarize.core.reading import read_answer

SENTENCES = 14  # seed 001


def _items(x: Extraction) -> list[tuple[Any, ...]]:
    """Every item of an extraction, comparable across readings."""
    found: list[tuple[Any, ...]] = []
    for e in x.events:
        found += [("participant", p.name, tuple(p.evidence)) for p in e.participants]
        found += [("outcome", o.statement, tuple(o.evidence)) for o in e.outcomes]
        found += [("follow_up", f.action, tuple(f.evidence)) for f in e.follow_ups]
        found += [("topic", t) for t in e.topics]
        found.append(("initiator", e.initiator.party, tuple(e.initiator.evidence)))
    return found


def test_a_grounded_answer_is_read_as_strict_validation_reads_it(
    answer001: dict[str, Any],
) -> None:
    read = read_answer(answer001, SENTENCES)
    strict = Extraction.model_validate(answer001)
    assert read.extraction is not None
    assert read.extraction.model_dump() == strict.model_dump()
    assert read.warnings == [] and read.fixable == []


@pytest.mark.parametrize(("given", "kept", "kind"), CITATION_PROBES, ids=repr)
@pytest.mark.parametrize("item", ["participants", "outcomes", "follow_ups", "initiator"])
def test_a_bad_citation_costs_its_item_at_most(
    answer001: dict[str, Any], item: str, given: Any, kept: list[int] | None, kind: str
) -> None:
    clean = read_answer(copy.deepcopy(answer001), SENTENCES).extraction
    assert clean is not None
    event = answer001["events"][0]
    target = event[item] if item == "initiator" else event[item][0]
    target["evidence"] = given
    path = "events[0].initiator" if item == "initiator" else f"events[0].{item}[0]"

    read = read_answer(answer001, SENTENCES)

    assert read.extraction is not None, "an article is never lost to one citation"
    got, was = read.extraction.events[0], clean.events[0]
    if item == "initiator":
        assert got.initiator.evidence == (kept or [])
        assert got.initiator.party == (was.initiator.party if kept else None)
    else:
        items, before = getattr(got, item), getattr(was, item)
        if kept is None:
            assert items == before[1:], "only the item with the bad citation is dropped"
        else:
            assert items[0].evidence == kept
            assert items[0].model_copy(update={"evidence": before[0].evidence}) == before[0]
            assert items[1:] == before[1:]
    # Every other item of the answer is kept as it was.
    assert [i for i in _items(read.extraction) if not _is(i, item)] == [
        i for i in _items(clean) if not _is(i, item)
    ]
    warned = [w for w in read.warnings if w.path == path]
    if kind:
        (warning,) = warned
        assert warning.kind == kind
        if kind == "dropped":
            # The warning an out-of-range number has always had.
            assert warning.reason in (
                "no sentence cited",
                f"cites no sentence of the article (it has {SENTENCES})",
            )
    else:
        assert warned == []
    assert [w for w in read.warnings if w.path != path] == []


def _is(item: tuple[Any, ...], field: str) -> bool:
    kinds = {
        "participants": "participant",
        "outcomes": "outcome",
        "follow_ups": "follow_up",
        "initiator": "initiator",
    }
    return bool(item[0] == kinds[field])


def test_the_citation_probes_are_at_least_32() -> None:
    assert len(CITATION_PROBES) >= 32


def test_an_out_of_range_number_is_dropped_with_the_warning_assembly_always_gave(
    answer001: dict[str, Any], seed001: Article
) -> None:
    answer001["events"][0]["outcomes"][0]["evidence"] = [99]
    zero = copy.deepcopy(answer001)
    zero["events"][0]["outcomes"][0]["evidence"] = [0]
    briefs = [_brief(a, seed001) for a in (answer001, zero)]
    for brief, given in zip(briefs, ("[99]", "[0]"), strict=True):
        (warning,) = brief.warnings
        assert (warning.path, warning.kind, warning.quote) == (
            "events[0].outcomes[0]",
            "dropped",
            given,
        )
        assert warning.reason == "cites no sentence of the article (it has 14)"
        assert brief.events[0].outcomes == []
        assert len(brief.events[0].participants) == 2


def _brief(answer: dict[str, Any], article: Article) -> Brief:
    check = GroundingCheck(article_text(article), max_attempts=1, attempts=1)
    with checking(check):
        x = Extraction.model_validate(answer)
    return assemble_brief(x, article, Provenance(article_sha256=article.sha256))


@pytest.mark.parametrize(
    ("field", "given", "read_as"),
    [
        ("status", None, "unclear"),
        ("status", "took place", "unclear"),
        ("status", "Held", "held"),
        ("event_type", "telepathy", "other"),
        ("event_type", None, "other"),
        ("event_type", "Phone call", "phone_call"),
        ("event_type", "summit-sideline", "summit_sideline"),
    ],
)
def test_an_unknown_or_missing_enum_value_is_read_as_its_default(
    answer001: dict[str, Any], field: str, given: Any, read_as: str
) -> None:
    if given is None:
        del answer001["events"][0][field]
    else:
        answer001["events"][0][field] = given
    read = read_answer(answer001, SENTENCES)
    assert read.extraction is not None
    assert getattr(read.extraction.events[0], field) == read_as
    (warning,) = read.warnings
    assert (warning.path, warning.kind) == (f"events[0].{field}", "normalised")
    assert read.fixable == [], "a value with one clear reading is not worth a re-ask"
    assert len(read.extraction.events[0].participants) == 2


def test_an_unknown_outcome_kind_is_read_as_a_claim(answer001: dict[str, Any]) -> None:
    answer001["events"][0]["outcomes"][0]["kind"] = "promised"
    read = read_answer(answer001, SENTENCES)
    assert read.extraction is not None
    assert read.extraction.events[0].outcomes[0].kind == "claimed"
    assert [w.path for w in read.warnings] == ["events[0].outcomes[0].kind"]


@pytest.mark.parametrize("length", [13, 40, 60])
def test_lists_longer_than_asked_are_kept_whole_up_to_the_hard_limit(
    answer001: dict[str, Any], length: int
) -> None:
    person = answer001["events"][0]["participants"][0]
    answer001["events"][0]["participants"] = [
        {**person, "name": f"Leader {n}"} for n in range(length)
    ]
    answer001["events"][0]["topics"] = [f"topic {n}" for n in range(length)]
    read = read_answer(answer001, SENTENCES)
    assert read.extraction is not None
    event = read.extraction.events[0]
    assert [p.name for p in event.participants] == [f"Leader {n}" for n in range(length)]
    assert len(event.topics) == min(length, reading.ITEMS)
    cut = [w for w in read.warnings if w.kind == "cut"]
    assert [w.path for w in cut] == (["events[0].topics"] if length > reading.ITEMS else [])


def test_a_list_past_the_hard_limit_is_cut_with_a_warning_never_silently(
    answer001: dict[str, Any],
) -> None:
    person = answer001["events"][0]["participants"][0]
    answer001["events"][0]["participants"] = [person] * (reading.PEOPLE + 5)
    read = read_answer(answer001, SENTENCES)
    assert read.extraction is not None
    assert len(read.extraction.events[0].participants) == reading.PEOPLE
    (warning,) = read.warnings
    assert warning.kind == "cut" and warning.path == "events[0].participants"
    assert f"{reading.PEOPLE + 5} given" in warning.reason


def test_long_text_is_kept_in_full_up_to_the_hard_limit_then_cut_with_a_warning(
    answer001: dict[str, Any],
) -> None:
    longer_than_asked = "word " * 150  # 750 characters: past the asked 400
    answer001["events"][0]["summary"] = longer_than_asked
    read = read_answer(copy.deepcopy(answer001), SENTENCES)
    assert read.extraction is not None
    assert read.extraction.events[0].summary == longer_than_asked
    assert read.warnings == []
    answer001["events"][0]["summary"] = "word " * 1000
    read = read_answer(answer001, SENTENCES)
    assert read.extraction is not None
    assert len(read.extraction.events[0].summary) == reading.TEXT
    (warning,) = read.warnings
    assert (warning.path, warning.kind) == ("events[0].summary", "cut")


@pytest.mark.parametrize(
    ("where", "slip", "path"),
    [
        ("participants", {"title": "President", "evidence": [3]}, "events[0].participants[0]"),
        ("participants", "Vladimir Putin", "events[0].participants[0]"),
        ("outcomes", {"kind": "agreed", "evidence": [3]}, "events[0].outcomes[0]"),
        ("follow_ups", {"due": "soon", "evidence": [3]}, "events[0].follow_ups[0]"),
        ("outcomes", 42, "events[0].outcomes[0]"),
    ],
)
def test_an_item_that_cannot_stand_is_dropped_alone_and_worth_a_reask(
    answer001: dict[str, Any], where: str, slip: Any, path: str
) -> None:
    answer001["events"][0][where].insert(0, slip)
    read = read_answer(answer001, SENTENCES)
    assert read.extraction is not None
    (warning,) = read.warnings
    assert (warning.path, warning.kind) == (path, "dropped")
    assert read.fixable and path in read.fixable[0]
    clean = read_answer(_without(answer001, where), SENTENCES).extraction
    assert clean is not None
    assert read.extraction.model_dump() == clean.model_dump()


def _without(answer: dict[str, Any], where: str) -> dict[str, Any]:
    copied = copy.deepcopy(answer)
    copied["events"][0][where].pop(0)
    return copied


def test_a_missing_summary_keeps_the_event_and_asks_again(answer001: dict[str, Any]) -> None:
    del answer001["events"][0]["summary"]
    read = read_answer(answer001, SENTENCES)
    assert read.extraction is not None
    assert read.extraction.events[0].summary == ""
    assert len(read.extraction.events[0].participants) == 2
    assert read.fixable == ["- events[0].summary: missing"]


def test_an_event_that_says_nothing_is_dropped_but_the_others_stay(
    answer001: dict[str, Any],
) -> None:
    answer001["events"].append({"event_type": "meeting"})
    answer001["events"].append("a meeting")
    read = read_answer(answer001, SENTENCES)
    assert read.extraction is not None
    assert len(read.extraction.events) == 1
    assert [(w.path, w.kind) for w in read.warnings] == [
        ("events[1]", "dropped"),
        ("events[2]", "dropped"),
    ]


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ([], "a list"),
        ("not json", "text"),
        (42, "int"),
        ({"source": {}}, "no events list"),
        ({"events": [{}, "x"]}, "none of its 2 events could be read"),
        ({"events": "nothing"}, "none of its 1 events could be read"),
    ],
)
def test_an_answer_with_nothing_usable_says_what_was_wrong(answer: Any, says: str) -> None:
    read = read_answer(answer, SENTENCES)
    assert read.extraction is None
    assert read.unusable is not None and says in read.unusable


def test_no_events_with_a_reason_is_a_usable_answer() -> None:
    read = read_answer({"events": [], "no_event_reason": "An op-ed."}, SENTENCES)
    assert read.extraction is not None and read.extraction.events == []
    read = read_answer({"no_event_reason": "An op-ed."}, SENTENCES)
    assert read.extraction is not None and read.extraction.no_event_reason == "An op-ed."


def test_the_strict_schema_is_what_is_asked_and_the_default_validation() -> None:
    # Without a reading context (`checking`), Extraction validates as strictly as it asks:
    # the sent schema and the bounds that grammar-constrained decoding enforces are unchanged.
    schema = Extraction.model_json_schema()
    event = schema["$defs"]["Event"]["properties"]
    assert event["participants"]["maxItems"] == 12
    assert schema["$defs"]["Participant"]["properties"]["evidence"]["maxItems"] == 3


def test_a_number_where_text_is_asked_is_read_as_text(answer001: dict[str, Any]) -> None:
    answer001["events"][0]["topics"] = ["Syria", 2254]
    answer001["events"][0]["location"] = {"city": "Moscow"}
    read = read_answer(answer001, SENTENCES)
    assert read.extraction is not None
    assert read.extraction.events[0].topics == ["Syria", "2254"]
    assert read.extraction.events[0].location is None
    assert [(w.path, w.kind) for w in read.warnings] == [
        ("events[0].topics[1]", "normalised"),
        ("events[0].location", "normalised"),
    ]
    assert read.fixable == []


def test_an_outcome_without_stated_by_is_kept_unattributed_and_asked_again(
    answer001: dict[str, Any],
) -> None:
    del answer001["events"][0]["outcomes"][0]["stated_by"]
    read = read_answer(answer001, SENTENCES)
    assert read.extraction is not None
    (outcome,) = read.extraction.events[0].outcomes
    assert outcome.stated_by == "" and outcome.statement == "Keep a close dialogue on Syria."
    assert [(w.path, w.kind) for w in read.warnings] == [
        ("events[0].outcomes[0].stated_by", "normalised")
    ]
    assert read.fixable == ["- events[0].outcomes[0].stated_by: missing"]


def test_a_name_alone_is_read_as_a_person_mentioned(answer001: dict[str, Any]) -> None:
    answer001["events"][0]["mentioned"] = ["Bashar al-Assad"]
    read = read_answer(answer001, SENTENCES)
    assert read.extraction is not None
    assert [m.name for m in read.extraction.events[0].mentioned] == ["Bashar al-Assad"]
    assert [w.kind for w in read.warnings] == ["normalised"]
