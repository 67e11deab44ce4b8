"""Transitional: the names `summarize/cli/app.py` imports from here, now in their own modules.

Delete this file once the CLI imports them from `load`, `render` and `citations`.
"""

from summarize.memo.citations import MemoSynthesis
from summarize.memo.load import BriefLoadError, load_briefs, write_memo
from summarize.memo.render import resolve_format

__all__ = ["BriefLoadError", "MemoSynthesis", "load_briefs", "resolve_format", "write_memo"]
