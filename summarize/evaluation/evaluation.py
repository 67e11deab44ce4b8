"""Where `summarize/cli/app.py` imports the eval command from until it imports
`summarize.evaluation.command` directly; delete this module then."""

from summarize.evaluation.command import run_eval_command
from summarize.evaluation.run import EvalOptions

__all__ = ["EvalOptions", "run_eval_command"]
