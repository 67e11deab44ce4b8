"""Reading Japanese names (summarize.core.names): kana never waits for the kanji dictionary,
and kanji are still read through it. Each check runs in a fresh interpreter, since the
dictionary, once loaded, stays loaded for the process."""

from __future__ import annotations

import json
import subprocess
import sys

_PROBE = """
import json
from pykakasi.kanji import Kanwa
from summarize.core.names import romanisations
table = lambda: Kanwa._shared_state["_jisyo_table"]
kana = sorted(romanisations("トランプ"))
before = getattr(table(), "_table", "loaded") is None
kanji = sorted(romanisations("岸田"))
after = getattr(table(), "_table", "loaded") is None
print(json.dumps({"kana": kana, "kanji": kanji, "deferred": before, "still": after}))
"""


def test_kana_is_read_without_the_kanji_dictionary_and_kanji_with_it() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True
    )
    got = json.loads(done.stdout)
    # Hepburn, Kunrei and passport readings, as pykakasi gives them.
    assert got["kana"] == ["torampu", "toranpu"]
    assert got["deferred"] is True
    assert "kishida" in got["kanji"] and "kisida" in got["kanji"]
    assert got["still"] is False
