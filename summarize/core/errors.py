"""Every error summarize raises on purpose, as one tree (the model is httpx's _exceptions.py).

Each carries the exit code the command line ends with and, where there is one, a hint: what
to do about it. The CLI catches `SummarizeError` in one place (`cli.output.handles_errors`);
anything else is a bug. An `ArticleError` fails one article (a line in errors.jsonl, under
its `stage`) and the run goes on; every other `SummarizeError` stops the command.

The tree (a test holds it against the classes; each leaf lives beside the code raising it):

    SummarizeError
    ├── UsageError                    options, settings or files that cannot work together
    │   ├── PromptError               model.prompts
    │   └── SettingsError             settings
    ├── OutputError                   the output folder cannot be used
    │   ├── OutputLockedError         outdir.store
    │   ├── LedgerError               outdir.ledger (every SQLite error becomes one)
    │   ├── ManifestError             outdir.manifest
    │   └── NewerFormatError          outdir.versions
    ├── ArticleError                  one article cannot become a brief; the run goes on
    │   ├── Unusable                  sources.parsed: a file, page or record
    │   ├── ModelError                model.client: no usable answer for this article
    │   │   └── FatalModelError       ... and every article would fail alike: stops the run
    │   ├── AnswerError               batch.answers: a batch answer that is no brief
    │   └── LeakedInstructions        core.finish: the answer repeats the prompt
    ├── BatchError                    batch.errors: a batch step that cannot go on
    │   └── BatchNotReadyError
    ├── ReviewError                   outdir.reviews: a review file
    ├── VersionConflict               outdir.reviews: changed since the reviewer loaded it
    ├── CorrectionError               core.corrections
    ├── BriefLoadError                memo.load
    ├── ConfigError                   evaluation.config
    ├── WorkerDied                    run.pool: a worker process ended mid-run; stops it
    ├── LocalServerError              model.local_server
    │   ├── ModelNotInstalledError
    │   └── ModelNotFoundError
    ├── NotARunOutputError            review.folder
    ├── NoBriefsError                 review.folder
    ├── UnknownArticleError           review.folder
    └── PortInUseError                review.server
"""

from __future__ import annotations

from typing import ClassVar

from summarize.core.results import Stage

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


class SummarizeError(Exception):
    """An expected failure, with what the user can do about it."""

    exit_code: ClassVar[int] = EXIT_USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message}; {self.hint}" if self.hint else message


class UsageError(SummarizeError):
    """Options, settings or files that cannot work together; nothing was done."""


class OutputError(SummarizeError):
    """The output folder cannot be used: locked, unwritable, or its ledger is damaged."""


class ArticleError(SummarizeError):
    """One article cannot become a brief: it fails (at `stage`, as errors.jsonl says), and
    the run goes on with the others."""

    def __init__(self, stage: Stage, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.stage = stage

    def __reduce__(self) -> tuple[object, ...]:
        # Whole, with what subclasses add (a model error's usage): it crosses from a worker
        # process to the run's (summarize.run.worker).
        return (type(self), (self.stage, self.args[0]), self.__dict__)
