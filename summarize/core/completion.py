"""What a chat completion body says of itself: why it ended and what it cost (pure).

The ledger reads this from live answers and from batch results alike, without the SDK.
"""

from __future__ import annotations

from typing import Any


def completion_usage(body: Any) -> dict[str, Any]:
    """finish_reason and token counts of a chat completion body (zeros when it has none)."""
    if not isinstance(body, dict):
        return {}
    raw = body.get("usage")
    usage: dict[str, Any] = raw if isinstance(raw, dict) else {}
    choices = body.get("choices")
    finish = None
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        finish = choices[0].get("finish_reason")
    return {
        "finish_reason": finish,
        "prompt_tokens": int(usage.get("prompt_tokens") or 0),
        "completion_tokens": int(usage.get("completion_tokens") or 0),
        "total_tokens": int(usage.get("total_tokens") or 0),
    }
