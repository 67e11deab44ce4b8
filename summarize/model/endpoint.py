"""Settings with a usable model endpoint, or a usage error saying how to give one.

Beside the settings it completes (one layer up: a replay takes its model from the
recordings, which `summarize.model.recording` reads), not in a command.
"""

from __future__ import annotations

from summarize.core.errors import UsageError
from summarize.model.recording import recordings_help, with_replay_endpoint
from summarize.settings import RecordingMode, Settings


def endpoint(settings: Settings) -> Settings:
    """Settings with a usable endpoint, or a `UsageError` saying how to give one."""
    settings = with_replay_endpoint(settings)
    if settings.recording is RecordingMode.REPLAY and settings.model is None:
        raise UsageError(f"no recordings to replay: {recordings_help(settings.recordings_dir)}")
    missing = [
        option
        for option, value in (("--base-url", settings.base_url), ("--model", settings.model))
        if not value
    ]
    if missing:
        variables = " and ".join(f"SUMMARIZE_{m[2:].replace('-', '_').upper()}" for m in missing)
        what = "no model endpoint" if len(missing) == 2 else f"no {missing[0][2:]} given"
        raise UsageError(
            f"{what}: pass {' and '.join(missing)} (or set {variables}), "
            "or use --replay to answer from recordings"
        )
    missing_key = settings.missing_credentials()
    if missing_key is not None:
        raise UsageError(missing_key)
    return settings
