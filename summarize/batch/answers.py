"""A batch answer -> a brief (pure): parsed as instructor parses it for the prepared mode, and
assembled as `run` assembles its last attempt.

A batch has one answer per request, so there is no re-ask: an answer that does not parse or
validate fails its article (`AnswerError`), never the whole ingest.
"""

from __future__ import annotations

from typing import Any

from instructor.core.exceptions import IncompleteOutputException, InstructorError
from instructor.processing.response import process_response
from instructor.v2.core.response_model import prepare_response_model
from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from summarize.batch.lines import IngestPlan, first_line
from summarize.core.article import Article
from summarize.core.brief import Brief, Provenance, Usage
from summarize.core.errors import ArticleError
from summarize.core.extraction import Extraction, GroundingCheck, checking
from summarize.core.finish import finish_brief
from summarize.core.grounding import article_text
from summarize.core.results import Stage
from summarize.model.client import INSTRUCTOR_MODES, usage_of
from summarize.settings import InstructorMode


class AnswerError(ArticleError):
    """An answer that cannot become a brief; `stage` names the step, as in errors.jsonl.

    `usage` is what the answer cost: a failed answer is paid for too."""

    def __init__(self, stage: Stage, message: str, usage: Usage | None = None) -> None:
        super().__init__(stage, message)
        self.usage = usage or Usage()


def parse_extraction(
    body: dict[str, Any], mode: InstructorMode, max_output_tokens: int | None = None
) -> tuple[Extraction, Usage]:
    """The `Extraction` in a chat completion, parsed as instructor parses it for `mode`."""
    try:
        completion = ChatCompletion.model_validate(body)
    except ValidationError as exc:
        raise AnswerError(
            Stage.BATCH, f"the response is not a chat completion: {_first(exc)}"
        ) from None
    # The same preparation and parser instructor's create() uses, strict as it is by default.
    response_model = prepare_response_model(Extraction)
    try:
        parsed = process_response(
            completion,
            response_model=response_model,
            stream=False,
            strict=True,
            mode=INSTRUCTOR_MODES[mode],
        )
    except IncompleteOutputException:
        cap = f"at {max_output_tokens} output tokens" if max_output_tokens else "at the token cap"
        raise AnswerError(
            Stage.MODEL,
            f"the answer was cut off {cap}: raise --max-output-tokens and prepare again",
            usage_of(completion),
        ) from None
    except (ValidationError, ValueError, InstructorError, AttributeError, IndexError) as exc:
        # A batch has one answer per request: no re-ask can repair it here.
        raise AnswerError(
            Stage.VALIDATION,
            f"no valid answer (batch: 1 attempt, no re-ask): {_first(exc)}",
            usage_of(completion),
        ) from None
    if not isinstance(parsed, Extraction):
        raise AnswerError(
            Stage.VALIDATION,
            f"the answer parsed as {type(parsed).__name__}",
            usage_of(completion),
        )
    return parsed, usage_of(completion)


def brief_from_completion(
    body: dict[str, Any],
    article: Article,
    plan: IngestPlan,
    instructions: str,
    max_output_tokens: int | None = None,
) -> Brief:
    """Validate, ground and stamp one answer exactly as `run` does on its last attempt, with
    the same finish (`finish_brief`): an answer reciting `instructions` (the system message
    the request carried) fails its article.

    The grounding check only re-asks while attempts remain; a batch answer is the last one,
    so ungrounded items are dropped by assembly and listed as warnings.
    """
    # Read as `run` reads its last attempt: tolerantly, with nothing left to re-ask.
    with checking(GroundingCheck(article_text(article), max_attempts=1, attempts=1)):
        extraction, usage = parse_extraction(body, plan.mode, max_output_tokens)
    provenance = Provenance(
        prompt_version=plan.prompt_version,
        model=plan.model,
        usage=usage,
        attempts=1,
        article_sha256=article.sha256,
    )
    return finish_brief(extraction, article, provenance, instructions)


def _first(exc: BaseException) -> str:
    if isinstance(exc, ValidationError) and exc.errors():
        # Its first line only says how many errors there are; the first error says what.
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        return first_line(f"{where}: {message}" if where else message, type(exc).__name__)
    return first_line(str(exc), type(exc).__name__)
