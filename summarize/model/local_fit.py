"""Run settings that suit the bundled local server: how many requests at once, how long to
wait, how many tokens to allow; fitted from a measured speed, never over what the user set
(pure)."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from summarize.settings import RecordingMode, Settings

# llama-cpp-python's server keeps one model behind one lock: it answers one request at a time,
# and a request it has started runs to its end even after its client gave up on it (so a
# timed-out request keeps the server busy while its retry waits behind it).
SERVER_SLOTS = 1
# The speed is timed with short prompts, but each token costs more the more context precedes it
# (attention reads every earlier token). Measured here (llama-cpp-python 0.3.36, SmolLM2-135M,
# one thread): writing after ~5,500 tokens ran at a third of the speed of writing after ~40.
CONTEXT_SLOWDOWN = 3.0
# And other processes may take the cores after the timing: on 2 shared cores the same request
# took 141s at load 2 and 527s at load 9.
LOAD_MARGIN = 4.0
TIMEOUT_MARGIN = CONTEXT_SLOWDOWN * LOAD_MARGIN
MIN_TIMEOUT = 120.0
FITTED_SETTINGS = ("concurrency", "timeout", "max_output_tokens")


@dataclass(frozen=True)
class ServerProfile:
    """What run settings must suit: the server's slots, its context and its speed here."""

    slots: int
    n_ctx: int
    prompt_tokens_per_s: float
    output_tokens_per_s: float

    def seconds(self, prompt_tokens: int, output_tokens: int) -> float:
        """Estimated time to read a prompt and write an answer, one request alone."""
        return prompt_tokens / self.prompt_tokens_per_s + output_tokens / self.output_tokens_per_s


@dataclass(frozen=True)
class RunFit:
    """Concurrency, timeout and output cap for a run against one server."""

    concurrency: int
    timeout: float
    max_output_tokens: int

    @classmethod
    def of(cls, settings: Settings) -> RunFit:
        """The values `settings` holds."""
        return cls(settings.concurrency, settings.timeout, settings.max_output_tokens)

    def flags(self) -> str:
        """The same as `summarize run` options."""
        return (
            f"--concurrency {self.concurrency} --timeout {self.timeout:g} "
            f"--max-output-tokens {self.max_output_tokens}"
        )


def fit_run(
    profile: ServerProfile,
    *,
    concurrency: int | None = None,
    timeout: float | None = None,
    max_output_tokens: int | None = None,
) -> RunFit:
    """Run settings for `profile`'s server; the values given are kept as they are."""
    if concurrency is None:
        # More requests than slots only queue, and queued time counts against their timeout.
        concurrency = profile.slots
    if max_output_tokens is None:
        # Half the context for the answer leaves half for the prompt, which grows with each
        # re-ask (it repeats the rejected answer and why it was rejected).
        max_output_tokens = profile.n_ctx // 2
    if timeout is None:
        timeout = fitted_timeout(profile, concurrency, max_output_tokens)
    return RunFit(concurrency, timeout, max_output_tokens)


def fitted_timeout(profile: ServerProfile, concurrency: int, max_output_tokens: int) -> float:
    """Seconds per request that the slowest request the server can get fits in, with margin."""
    # The server cuts an answer at the end of its context, so the slowest request is a prompt
    # followed by the longest answer allowed, filling the context.
    output = max(1, min(max_output_tokens, profile.n_ctx - 1))
    alone = profile.seconds(profile.n_ctx - output, output)
    # With more requests in flight than slots, a request also waits for those ahead of it.
    turns = math.ceil(concurrency / profile.slots)
    return max(MIN_TIMEOUT, math.ceil(TIMEOUT_MARGIN * alone * turns / 10) * 10)


def fit_settings(settings: Settings, profile: ServerProfile) -> Settings:
    """`settings` with a fitted concurrency, timeout and output cap where the user set none.

    A value counts as set when it came from a flag, a `SUMMARIZE_*` variable or the config
    file (pydantic-settings puts those in `model_fields_set`); set values are never changed.
    When recording, the output cap is never fitted: a replay of the recordings asks for the
    configured one.
    """
    given = {name: getattr(settings, name) for name in FITTED_SETTINGS}
    kept = set(settings.model_fields_set)
    if settings.recording in (RecordingMode.RECORD, RecordingMode.RECORD_MISSING):
        # The output cap is part of every recorded request, and a replay asks the configured
        # one: recording with a fitted cap would make recordings no replay can use.
        kept.add("max_output_tokens")
    given = {name: value for name, value in given.items() if name in kept}
    fit = fit_run(profile, **given)
    return settings.model_copy(update=dataclasses.asdict(fit))


# A typical article, from the shipped recordings (SmolLM2-135M on the five seeds): 24,797
# prompt and 13,420 completion tokens over 5 articles in 11 requests, re-asks included.
TYPICAL_ARTICLE_PROMPT_TOKENS = 4_960
TYPICAL_ARTICLE_OUTPUT_TOKENS = 2_680
# Its answers are written after 1,000 to 4,000 tokens of context: slower than the timing's
# short prompt, but not yet CONTEXT_SLOWDOWN (measured after ~5,500).
TYPICAL_WRITE_SLOWDOWN = 2.0


def article_seconds(profile: ServerProfile) -> float:
    """Estimated seconds for one typical article at the measured speed, re-asks included."""
    return (
        TYPICAL_ARTICLE_PROMPT_TOKENS / profile.prompt_tokens_per_s
        + TYPICAL_ARTICLE_OUTPUT_TOKENS * TYPICAL_WRITE_SLOWDOWN / profile.output_tokens_per_s
    )


def timeout_reason(profile: ServerProfile, fit: RunFit) -> str:
    """How `fitted_timeout` arrived at `fit.timeout`, in words, from the same numbers."""
    output = max(1, min(fit.max_output_tokens, profile.n_ctx - 1))
    read = profile.n_ctx - output
    alone = profile.seconds(read, output)
    turns = math.ceil(fit.concurrency / profile.slots)
    queued = f" x {turns} requests queued at once" if turns > 1 else ""
    return (
        f"the slowest request this server can get ({read:,} tokens read + {output:,} written, "
        f"about {alone:.0f}s at the measured speed) x {CONTEXT_SLOWDOWN:g} for writing after "
        f"a full context x {LOAD_MARGIN:g} for a busy machine{queued}, rounded up "
        f"(at least {MIN_TIMEOUT:g}s)"
    )
