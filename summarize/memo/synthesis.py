"""`memo --synthesize`: a model-written BLUF whose every sentence cites the events it rests on.

The request goes through the same client as briefs (retries, re-asks, recording), so a
synthesis can be recorded and replayed like any brief. Citations are checked in validation:
an uncited sentence or an unknown event id makes instructor re-ask.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from summarize.core.brief import Brief, Usage
from summarize.memo.citations import MemoSynthesis, citing
from summarize.memo.merging import merge_briefs
from summarize.model.client import ModelClient, RequestTag
from summarize.model.prompts import PromptTemplate, load_prompt, prompts_dir

MEMO_PROMPT = "memo.j2"


def load_memo_prompt() -> PromptTemplate:
    return load_prompt(prompts_dir() / MEMO_PROMPT)


async def synthesize(
    briefs: Sequence[Brief], client: ModelClient, prompt: PromptTemplate
) -> tuple[MemoSynthesis, Usage]:
    """Ask the model for the BLUF of the memo these briefs make."""
    events = merge_briefs(briefs)
    messages = prompt.render(events=events)
    digest = hashlib.sha256(json.dumps(messages, sort_keys=True).encode("utf-8")).hexdigest()
    # Recordings are filed per key: one per distinct set of events, like one per article.
    tag = RequestTag(key=f"memo-{digest[:16]}", content_sha256=digest, prompt=prompt)
    with citing([e.id for e in events]):
        answer, usage, _ = await client.structured(MemoSynthesis, messages, tag=tag)
        # Masked while the event ids are known: the copy is validated as the answer was.
        answer = client.masked(answer)
    return answer, usage
