"""Pairing items one to one (pure)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from summarize.evaluation.align import pair_items, prf


@settings(max_examples=60, deadline=None)
@given(
    golden_items=st.lists(st.text(min_size=1, max_size=12), max_size=6),
    predicted_items=st.lists(st.text(min_size=1, max_size=12), max_size=6),
    threshold=st.floats(min_value=0, max_value=100),
)
def test_pairing_is_one_to_one_and_accounts_for_every_item(
    golden_items: list[str], predicted_items: list[str], threshold: float
) -> None:
    pairing = pair_items(golden_items, predicted_items, threshold)
    paired_g = [i for i, _, _ in pairing.pairs]
    paired_p = [j for _, j, _ in pairing.pairs]
    assert len(set(paired_g)) == len(paired_g) and len(set(paired_p)) == len(paired_p)
    assert sorted(paired_g + pairing.missing) == list(range(len(golden_items)))
    assert sorted(paired_p + pairing.extra) == list(range(len(predicted_items)))
    precision, recall, f1 = prf(len(pairing.pairs), len(golden_items), len(predicted_items))
    assert 0 <= f1 <= 1 and 0 <= precision <= 1 and 0 <= recall <= 1
