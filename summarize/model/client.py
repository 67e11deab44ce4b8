"""The model client: openai SDK + instructor for structure, tenacity for transport faults.

Two retry loops, on purpose: instructor re-asks when an answer is invalid (schema or
grounding), tenacity retries when the transport fails (429, 5xx, timeouts, resets).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

import httpx2
import instructor
import openai
import pydantic
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from summarize.core.article import Article
from summarize.core.brief import SCHEMA_VERSION, Usage
from summarize.core.errors import ArticleError
from summarize.core.extraction import NOTHING_USABLE, Extraction, GroundingCheck, checking
from summarize.core.grounding import article_text
from summarize.core.results import Stage
from summarize.model import instructor_shims
from summarize.model.cassettes import ReplayMissError
from summarize.model.instructor_shims import prepared
from summarize.model.prompts import PromptTemplate, article_messages
from summarize.model.recording import recordings_help
from summarize.model.redaction import Secrets, keep_out_of_logs
from summarize.model.refusals import explain_refusal, is_not_this_api
from summarize.model.transports import (
    Contact,
    Finished,
    LedgerTap,
    NotAnOpenAIEndpoint,
    build_transport,
)
from summarize.settings import (
    InstructorMode,
    Settings,
    shown_url,
    url_credentials,
    url_without_credentials,
)

T = TypeVar("T")
M = TypeVar("M", bound=pydantic.BaseModel)
R = TypeVar("R")

# The one table from our modes to instructor's: the live client and batch answers use it.
INSTRUCTOR_MODES: Final = {
    InstructorMode.TOOLS: instructor.Mode.TOOLS,
    InstructorMode.JSON_SCHEMA: instructor.Mode.JSON_SCHEMA,
    InstructorMode.JSON: instructor.Mode.JSON,
}
_log = logging.getLogger(__name__)
# OpenAI answers with the dated snapshot an alias points at: gpt-4o -> gpt-4o-2024-08-06,
# gpt-4 -> gpt-4-0613. That is the model asked for.
_SNAPSHOT = re.compile(r"-(?:\d{4}-\d{2}-\d{2}|\d{4})")
# Retry-After beyond this is a quota problem, not a hiccup worth sleeping through.
MAX_RETRY_AFTER = 120.0


class ModelError(ArticleError):
    """The model could not produce a brief for one article; `stage` says where it failed.

    `usage` and `attempts` are what the article cost before it failed (set by `extract`):
    every answer is paid for, a rejected one too.
    """

    def __init__(self, stage: Stage, message: str) -> None:
        super().__init__(stage, message)
        self.usage = Usage()
        self.attempts = 0


@dataclass
class Spent:
    """One article's answers, over every response the server sent: re-asks, answers that
    failed validation, and whole extractions redone after a transport fault. It also keeps
    the last usable answer, so that a later failure (an unusable answer, a cut-off, a fault)
    cannot cost the article what an earlier attempt gave."""

    usage: Usage = field(default_factory=Usage)
    answers: int = 0
    grounding_reasks: int = 0
    answered_by: str | None = None
    usable: Extraction | None = None
    # The chat messages as rendered from the prompt, before any re-ask (see ExtractionResult).
    messages: tuple[dict[str, str], ...] = ()

    def add(self, completion: Any) -> None:
        self.usage += usage_of(completion)
        self.answers += 1
        self.answered_by = getattr(completion, "model", None) or None

    def result(self, extraction: Extraction) -> ExtractionResult:
        attempts = max(self.answers, 1)
        return ExtractionResult(
            extraction=extraction,
            usage=self.usage,
            attempts=attempts,
            reasks=attempts - 1,
            grounding_reasks=self.grounding_reasks,
            answered_by=self.answered_by,
            messages=self.messages,
        )


class FatalModelError(ModelError):
    """A failure every article will hit (bad URL, key, model name): stop the run. It fails
    the article it met too; the CLI's one error handler reports it (exit 2)."""


@dataclass(frozen=True)
class ExtractionResult:
    extraction: Extraction
    usage: Usage
    attempts: int
    reasks: int
    grounding_reasks: int
    # The model the (last) answer names: not always the one asked for (see `_check_model`).
    answered_by: str | None = None
    # The chat messages as rendered from the prompt, before any re-ask: what the brief is
    # checked against (it must not recite the instructions), with no second rendering.
    messages: tuple[dict[str, str], ...] = ()

    @property
    def instructions(self) -> str:
        """The system message sent: the model's instructions."""
        return self.messages[0]["content"] if self.messages else ""


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    node: BaseException | None = exc
    while node is not None and node not in seen:
        seen.append(node)
        node = node.__cause__ or node.__context__
    return seen


def _is_transient(exc: BaseException) -> bool:
    chain = _chain(exc)
    if any(isinstance(e, ReplayMissError) for e in chain):
        return False
    after = _retry_after(exc, cap=None)
    if after is not None and after > MAX_RETRY_AFTER:
        return False
    return isinstance(
        exc, openai.RateLimitError | openai.InternalServerError | openai.APIConnectionError
    )


def _retry_after(exc: BaseException | None, cap: float | None = MAX_RETRY_AFTER) -> float | None:
    """The wait a 429/5xx asks for (Retry-After in seconds or as an HTTP date), if any."""
    if not isinstance(exc, openai.APIStatusError):
        return None
    headers = exc.response.headers
    seconds = _seconds_until(headers.get("retry-after"), headers.get("date"))
    return min(seconds, cap) if seconds is not None and cap is not None else seconds


def _seconds_until(value: str | None, server_now: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # neither form: the exponential back-off applies
    # Measured against the server's own clock when it sends one: the two clocks may differ.
    try:
        now = email.utils.parsedate_to_datetime(server_now) if server_now else None
    except (TypeError, ValueError):
        now = None
    if when.tzinfo is None or (now is not None and now.tzinfo is None):
        return None  # a date without a zone is not an HTTP date
    return max((when - (now or dt.datetime.now(dt.UTC))).total_seconds(), 0.0)


def _same_model(asked: str, answered: str) -> bool:
    return answered == asked or (
        answered.startswith(asked) and _SNAPSHOT.fullmatch(answered[len(asked) :]) is not None
    )


def usage_of(completion: Any) -> Usage:
    """Token usage of a chat completion (zeros when the server reports none)."""
    raw = getattr(completion, "usage", None)
    if raw is None:
        return Usage()
    return Usage(
        prompt_tokens=raw.prompt_tokens or 0,
        completion_tokens=raw.completion_tokens or 0,
        total_tokens=raw.total_tokens or 0,
    )


def _describe_status_error(exc: openai.APIStatusError, settings: Settings) -> str:
    status = exc.status_code
    if status == 429:
        after = _retry_after(exc, cap=None)
        wait = f"; it asks to wait {after:.0f}s" if after is not None else ""
        return f"rate limited by the endpoint (429){wait}: try later or lower --concurrency"
    if status == 401 and url_credentials(settings.base_url) is not None:
        # Those are what was sent (as Basic auth, in place of any key).
        return (
            f"the endpoint rejected the user name and password in --base-url (401, "
            f"{shown_url(settings.base_url)}): check them"
        )
    if status == 401:
        return "the endpoint rejected the API key (401): set OPENAI_API_KEY to a valid key"
    if status == 404:
        return (
            f"not found (404) at {shown_url(settings.base_url)}: check --base-url (it usually "
            f"ends in /v1) and that model {settings.model!r} exists there"
        )
    if status >= 500:
        return (
            f"the endpoint had a server error ({status}): {_server_message(exc)}; "
            "try again later, or check the server's logs"
        )
    return f"the endpoint refused the request ({status}): {_server_message(exc)}"


def _server_message(exc: openai.APIStatusError) -> str:
    # Servers put a traceback or a whole validation dump in the body; the first line says it.
    body = exc.body
    # The SDK has usually unwrapped {"error": {...}} already; accept both shapes.
    error = body.get("error", body) if isinstance(body, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    text = str(message or exc.message).strip()
    first = text.splitlines()[0] if text else ""
    return first[:300] + ("..." if len(first) > 300 else "")


class ModelClient:
    """Turns one article into an `Extraction` through an OpenAI-compatible endpoint."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx2.AsyncBaseTransport | None = None,
        tap: LedgerTap | None = None,
        backoff: tuple[float, float] = (1.0, 30.0),
    ) -> None:
        """`transport` stands in for the network (HTTP by default); recording, replay and the
        ledger `tap` are layered over it by `build_transport`, from `settings`."""
        if not settings.base_url or not settings.model:
            raise FatalModelError(Stage.CONFIG, "a model endpoint needs --base-url and --model")
        missing = settings.missing_credentials()
        if missing is not None and transport is None:  # a caller's transport may never send
            raise FatalModelError(Stage.CONFIG, missing)
        instructor_shims.install()
        self.settings = settings
        # Servers echo requests in errors, and libraries log those: no secret may reach
        # errors.jsonl, a log or a terminal.
        self._secrets = Secrets.of_settings(settings)
        keep_out_of_logs(self._secrets)
        self._backoff = backoff
        self._other_models: set[str] = set()
        self._explained_missing = False
        key = settings.api_key.get_secret_value() if settings.api_key else "not-set"
        # Credentials in the URL travel as Basic auth, never in the URL itself: URLs are
        # what the SDK and httpx log and put in exceptions.
        credentials = url_credentials(settings.base_url)
        self._contact = Contact()
        self._finished = Finished()
        stack = build_transport(
            settings, network=transport, tap=tap, contact=self._contact, finished=self._finished
        )
        self._http = httpx2.AsyncClient(
            transport=stack,
            timeout=settings.timeout,
            auth=httpx2.BasicAuth(*credentials) if credentials else None,
        )
        self._openai = openai.AsyncOpenAI(
            base_url=url_without_credentials(settings.base_url),
            api_key=key,
            http_client=self._http,
            max_retries=0,  # tenacity owns transport retries, so they are counted and logged
            timeout=settings.timeout,
        )
        self._instructor = instructor.from_openai(
            self._openai, mode=INSTRUCTOR_MODES[settings.resolved_mode()]
        )

    async def aclose(self) -> None:
        await self._openai.close()

    def masked(self, answer: M) -> M:
        """`answer` (a brief made of an answer, a synthesis) as it may be stored: any
        credential the endpoint echoed into it is masked."""
        return self._secrets.masked(answer)

    async def extract(self, article: Article, prompt: PromptTemplate) -> ExtractionResult:
        """One article's extraction; failures are `ModelError`s with the key redacted, and
        carry the tokens the article cost.

        An attempt that failed after an earlier answer was usable returns that answer: an
        article is never lost while it has something to keep. A replay miss is the exception:
        it means the recordings are stale, which must not pass unseen.
        """
        spent = Spent()
        try:
            return await self._guarded(lambda: self._extract_once(article, prompt, spent))
        except ModelError as exc:
            usable = spent.usable
            if usable is None or isinstance(exc, FatalModelError) or exc.stage == Stage.REPLAY:
                exc.usage, exc.attempts = spent.usage, spent.answers
                raise
            _log.info(
                "%s: kept an earlier usable answer; the last attempt failed: %s", article.id, exc
            )
            return spent.result(usable)
        finally:
            self._finished.article(article.id)

    async def structured(
        self,
        response_model: type[M],
        messages: list[dict[str, str]],
        *,
        tag: RequestTag,
    ) -> tuple[M, Usage, int]:
        """Any other structured answer (a memo synthesis), with the same retries and recording.

        Returns the answer, token usage summed over re-asks, and the number of attempts.
        """

        async def once() -> tuple[M, Usage, int]:
            attempts = 0

            def count(*_: Any, **__: Any) -> None:
                nonlocal attempts
                attempts += 1

            hooks = Hooks()
            hooks.on("completion:response", count)
            answer, completion = await self._create(response_model, messages, hooks, tag)
            return answer, usage_of(completion), max(attempts, 1)

        return await self._guarded(once)

    async def _guarded(self, call: Callable[[], Awaitable[R]]) -> R:
        try:
            return await self._with_transport_retries(call)
        except ModelError as exc:
            message = str(exc)
            if self._secrets.redact(message) == message:
                raise
            raise type(exc)(exc.stage, self._secrets.redact(message)) from None

    async def _with_transport_retries(self, call: Callable[[], Awaitable[R]]) -> R:
        initial, ceiling = self._backoff
        exponential = wait_exponential_jitter(multiplier=initial, max=ceiling)

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            after = _retry_after(exc)
            return after if after is not None else exponential(state)

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.settings.transport_retries + 1),
            wait=wait,
            retry=retry_if_exception(self._worth_retrying),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await call()
        except ModelError:
            raise
        except openai.APIStatusError as exc:
            # Wrong URL or model (asked of the endpoint's model list): every article would
            # meet it, so the run stops with what to change.
            refusal = await explain_refusal(exc, self.settings)
            if refusal is not None:
                raise FatalModelError(Stage.CONFIG, refusal) from None
            message = _describe_status_error(exc, self.settings)
            if exc.status_code in (401, 403, 404):
                raise FatalModelError(Stage.CONFIG, message) from None
            # Rate limits and server errors are the endpoint's state, not this request's fault.
            stage = (
                Stage.TRANSPORT
                if exc.status_code == 429 or exc.status_code >= 500
                else Stage.REQUEST
            )
            raise ModelError(stage, message) from None
        except openai.APIConnectionError as exc:
            raise self._connection_error(exc) from None
        raise AssertionError("unreachable: tenacity either returns or raises")

    def _worth_retrying(self, exc: BaseException) -> bool:
        # A 501 is a 5xx but says "not this API": no retry will change that.
        return _is_transient(exc) and not self._nothing_listens(exc) and not is_not_this_api(exc)

    def _nothing_listens(self, exc: BaseException) -> bool:
        """A refused connection before the endpoint ever answered: every article would get
        the same, so it stops the run rather than being retried for each."""
        refused = any(isinstance(e, ConnectionRefusedError) for e in _chain(exc))
        return refused and not self._contact.answered

    def _connection_error(self, exc: openai.APIConnectionError) -> ModelError:
        url = shown_url(self.settings.base_url)
        for cause in _chain(exc):
            if isinstance(cause, ReplayMissError):
                return self._replay_miss(cause)
        if self._nothing_listens(exc):
            return FatalModelError(
                Stage.TRANSPORT,
                f"nothing is listening at {url} (connection refused): start the model server, "
                "or check the host and port in --base-url",
            )
        attempts = self.settings.transport_retries + 1
        if isinstance(exc, openai.APITimeoutError):
            what = (
                f"timed out after {attempts} attempts of {self.settings.timeout:g}s: "
                "raise --timeout if the model is slow, or check the server"
            )
        else:
            what = (
                f"failed after {attempts} attempts: check the server is running "
                "and --base-url is right"
            )
        return ModelError(Stage.TRANSPORT, f"connection to {url} {what}")

    async def _extract_once(
        self, article: Article, prompt: PromptTemplate, spent: Spent
    ) -> ExtractionResult:
        check = GroundingCheck(
            article=article_text(article), max_attempts=self.settings.max_reasks + 1
        )

        def count_response(completion: Any, *_: Any, **__: Any) -> None:
            # Called before instructor folds this response's usage into its running total.
            check.attempts += 1
            spent.add(completion)

        hooks = Hooks()
        hooks.on("completion:response", count_response)
        messages = article_messages(prompt, article)
        # Kept apart from what a re-ask appends to the list sent.
        spent.messages = tuple(dict(m) for m in messages)
        try:
            with checking(check):
                extraction, _ = await self._create(
                    Extraction,
                    messages,
                    hooks,
                    RequestTag(key=article.id, content_sha256=article.sha256, prompt=prompt),
                )
        finally:
            spent.usable = check.usable or spent.usable
            spent.grounding_reasks += check.rejected
        return spent.result(extraction)

    async def _create(
        self,
        response_model: type[M],
        messages: list[dict[str, str]],
        hooks: Hooks,
        tag: RequestTag,
    ) -> tuple[M, Any]:
        try:
            answer, completion = await self._instructor.create_with_completion(
                response_model=prepared(response_model),
                messages=messages,  # type: ignore[arg-type]
                model=self.settings.model,
                temperature=self.settings.temperature,
                max_tokens=self.settings.max_output_tokens,
                max_retries=self.settings.max_reasks,
                hooks=hooks,
                extra_headers=tag.headers(),
            )
        except IncompleteOutputException:
            raise ModelError(
                Stage.MODEL,
                f"the answer was cut off at {self.settings.max_output_tokens} output tokens: "
                "raise --max-output-tokens, or use a model with a larger context",
            ) from None
        except InstructorRetryException as exc:
            api_error = next((e for e in _chain(exc) if isinstance(e, openai.APIError)), None)
            if api_error is not None:
                # Unwrapped for the transport retries, keeping what caused it (a refusal).
                raise api_error from api_error.__cause__
            if isinstance(exc.__cause__, ReplayMissError):
                raise self._replay_miss(exc.__cause__) from None
            if isinstance(exc.__cause__, NotAnOpenAIEndpoint):
                if self._contact.completed:
                    raise self._bad_answer(exc.__cause__) from None
                # Nothing has worked yet: every article would meet the same page, stop the run.
                raise FatalModelError(
                    Stage.CONFIG,
                    f"{exc.__cause__}; check --base-url (it usually ends in /v1)",
                ) from None
            raise ModelError(
                Stage.VALIDATION,
                f"no valid answer after {exc.n_attempts} attempts: the last {_last_problem(exc)}; "
                "a stronger model, another --mode or more --max-reasks may help",
            ) from None
        self._check_model(completion)
        return answer, completion

    def _bad_answer(self, exc: NotAnOpenAIEndpoint) -> ModelError:
        """One bad 200 (a proxy's error page, JSON cut short) from an endpoint that has
        answered well in this run: that article fails, the run goes on."""
        what = str(exc).split(": it is not an OpenAI-compatible API")[0]
        return ModelError(
            Stage.TRANSPORT,
            f"{what}, though it answered well before (a proxy's error page or an answer cut "
            "short?); this article failed, the others go on: run again to retry it",
        )

    def _replay_miss(self, miss: ReplayMissError) -> ModelError:
        """The article's failure; the first article with no recording at all also gets one
        warning saying what recordings there are and how to make one's own."""
        if miss.no_recording and not self._explained_missing:
            self._explained_missing = True
            _log.warning(
                "warning: --replay found no recording for some articles: %s",
                recordings_help(self.settings.recordings_dir),
            )
        return ModelError(Stage.REPLAY, str(miss))

    def _check_model(self, completion: Any) -> None:
        """Warn (once per model) when an answer names another model than the one asked for:
        a server that serves whatever it has loaded, or a router that fell back."""
        asked, answered = self.settings.model or "", getattr(completion, "model", None)
        if not answered or _same_model(asked, answered) or answered in self._other_models:
            return
        self._other_models.add(answered)
        _log.warning(
            "warning: model %r was asked for, but %r answered; check --model (each answer's "
            "model is in the run's ledger: summarize log OUT --run N --json)",
            asked,
            answered,
        )


@dataclass(frozen=True)
class RequestTag:
    """What a request is about, for the recording transport (which strips these headers).

    Recordings are filed per `key` (an article id), and replay misses are explained by
    comparing the content hash and prompt version with what was recorded.
    """

    key: str
    content_sha256: str
    prompt: PromptTemplate

    def headers(self) -> Mapping[str, str]:
        return {
            "X-Summarize-Article": self.key,
            "X-Summarize-Article-Sha256": self.content_sha256,
            "X-Summarize-Prompt-Version": self.prompt.version,
            "X-Summarize-Schema-Version": SCHEMA_VERSION,
        }


def _last_problem(exc: InstructorRetryException) -> str:
    """What was wrong with the last answer, in one line, without echoing the answer."""
    attempts = exc.failed_attempts or []
    return answer_problem(attempts[-1].exception if attempts else exc)


def answer_problem(last: BaseException) -> str:
    """What is wrong with an answer, in one line, naming the field path of a validation error
    ("answer does not fit the schema at events.0.participants.0.evidence: ..."), without
    echoing the answer."""
    if isinstance(last, pydantic.ValidationError) and last.errors():
        first, *others = last.errors()
        verdict = str(first["msg"]).removeprefix("Value error, ")
        if verdict.startswith(NOTHING_USABLE):
            # The tolerant reading's own verdict (`reading.py`): it says what was wrong.
            return "answer had nothing usable: " + _first_line(
                ValueError(verdict.removeprefix(NOTHING_USABLE))
            )
        message = _first_line(ValueError(first["msg"]))
        if first["type"] == "json_invalid":
            return f"answer is not valid JSON ({message})"
        where = ".".join(str(part) for part in first["loc"]) or "the top level"
        more = f" (and {len(others)} more)" if others else ""
        return f"answer does not fit the schema at {where}: {message}{more}"
    return f"answer failed: {_first_line(last)}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
