"""OUT/reviews: reviews saved whole, a change on an old version refused, ids kept inside."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from memo_briefs import simple_event_brief

from summarize.core.brief import EventType
from summarize.core.corrections import Correction
from summarize.core.review import (
    Review,
    ReviewState,
    corrected,
    marked,
    model_remade,
    review_state,
    start_review,
)
from summarize.run.reviews import ReviewError, ReviewStore, VersionConflict

AT = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
TEXT = "Putin and Obama held a phone call about Syria, officials said.\n"


def new_review() -> Review:
    brief = simple_event_brief("call", EventType.PHONE_CALL, None, ["Putin", "Obama"], ["Syria"])
    return start_review(brief, "a" * 64, "articles/call.txt", "ana", AT)


def rename(review: Review | None) -> Review:
    assert review is not None
    fix = Correction(
        op="set", path="events[0].participants[0].name", value="V. Putin", by="ana", at=AT
    )
    return corrected(review, fix, TEXT)


def test_a_review_is_saved_and_read_back_whole(tmp_path: Path) -> None:
    store = ReviewStore(tmp_path)
    first = store.update(new_review().article_id, 0, lambda _: new_review())
    assert first.version == 1
    second = store.update(first.article_id, 1, rename)
    assert second.version == 2
    loaded = store.load(first.article_id)
    assert loaded == second
    assert loaded.brief.events[0].participants[0].name == "V. Putin"
    assert [c.path for c in loaded.corrections] == ["events[0].participants[0].name"]
    assert list(store.all()) == [first.article_id]
    assert not list((tmp_path / "reviews").glob(".*.tmp"))


def test_a_change_made_on_an_older_version_is_refused_and_nothing_is_lost(tmp_path: Path) -> None:
    store = ReviewStore(tmp_path)
    aid = new_review().article_id
    store.update(aid, 0, lambda _: new_review())
    store.update(aid, 1, rename)  # another tab saved first
    with pytest.raises(VersionConflict, match="changed by ana") as caught:
        store.update(aid, 1, lambda r: marked(r or new_review(), True, "bo", AT))
    assert caught.value.current.version == 2
    kept = store.load(aid)
    assert kept is not None and kept.version == 2 and not kept.reviewed
    with pytest.raises(VersionConflict):
        store.update(aid, 0, lambda _: new_review())


@pytest.mark.parametrize("bad", ["../run", "..", ".", "a/b", "x\x00y", "A-UPPER", "", "a" * 201])
def test_ids_cannot_name_a_file_outside_the_reviews_folder(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ReviewError, match="not an article id"):
        ReviewStore(tmp_path).path(bad)


def test_a_file_that_is_not_a_review_is_an_error_when_asked_for_and_skipped_in_the_list(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "reviews"
    folder.mkdir()
    (folder / "broken-12345678.json").write_text("{}", encoding="utf-8")
    store = ReviewStore(tmp_path)
    with pytest.raises(ReviewError, match="not a review file"):
        store.load("broken-12345678")
    assert store.all() == {}


def test_states_reviewed_is_explicit_and_a_later_change_withdraws_it() -> None:
    review = new_review()
    assert review_state(None, None) is ReviewState.NONE
    assert review_state(review, None) is ReviewState.NONE  # nothing changed, nothing marked
    edited = rename(review)
    assert review_state(edited, None) is ReviewState.EDITED
    done = marked(edited, True, "bo", AT)
    assert review_state(done, None) is ReviewState.REVIEWED
    assert done.reviewed_by == "bo"
    assert review_state(rename(done), None) is ReviewState.EDITED
    assert review_state(done, "b" * 64) is ReviewState.STALE
    assert model_remade(done, "c" * 64) and not model_remade(done, "a" * 64)


def test_ids_of_odd_file_names_are_still_ids(tmp_path: Path) -> None:
    store = ReviewStore(tmp_path)
    for aid in (".hidden-0123abcd", "a..b-0123abcd", "-dash-0123abcd"):
        assert store.path(aid).parent == tmp_path / "reviews"
