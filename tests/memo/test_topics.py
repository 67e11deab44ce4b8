"""Topics: stems that match across wordings, near-duplicates merged, short labels."""

from __future__ import annotations

from summarize.memo.topics import merge_topics, topic_label, topic_stems


def test_stems_match_across_wordings_and_skip_filler_words() -> None:
    assert topic_stems(["Syrian crisis"]) == topic_stems(["Syria"]) == {"syria"}
    assert topic_stems(["Ukraine (Donbass)", "US-Russia relations"]) == {"ukrai", "donba"}
    assert topic_stems(["the situation", "bilateral relations"]) == frozenset()


def test_near_duplicate_topics_are_merged_keeping_the_first_wording() -> None:
    merged = merge_topics(["Syria ceasefire", " Syria cease-fire ", "Iran", "Syria"])
    assert merged == ("Syria ceasefire", "Iran", "Syria")


def test_a_stem_is_labelled_by_its_shortest_wording() -> None:
    topics = ["Syrian crisis", "Syria peace talks", "Syria", "Ukraine"]
    assert topic_label("syria", topics) == "Syria"
    assert topic_label("donba", topics) == "donba", "no wording carries it: the stem itself"
