"""Run settings: command-line flags over `SUMMARIZE_*` environment over a TOML config file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit, urlunsplit

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from summarize.core.errors import UsageError

# Re-exported (`as`): settings are where most code looks for the modes.
from summarize.core.modes import InstructorMode as InstructorMode
from summarize.core.modes import RecordingMode as RecordingMode

DEFAULT_CONFIG = Path("summarize.toml")
# Replay never reaches a server, so the endpoint only has to look like one.
REPLAY_URL = "http://replay.invalid/v1"
OPENAI_HOST = "api.openai.com"


def url_credentials(url: str | None) -> tuple[str, str] | None:
    """(user, password) written into `url` (`http://user:pass@host/v1`), percent-decoded."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return None
    return unquote(parts.username or ""), unquote(parts.password or "")


def url_without_credentials(url: str) -> str:
    """`url` with no user or password in it."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def shown_url(url: str | None) -> str | None:
    """`url` fit to print or store: a password in it is replaced by `***`."""
    if url is None or url_credentials(url) is None:
        return url
    parts = urlsplit(url)
    user = parts.netloc.rpartition("@")[0].partition(":")[0]
    host = parts.netloc.rpartition("@")[2]
    password = ":***" if parts.password is not None else ""
    return urlunsplit(parts._replace(netloc=f"{user}{password}@{host}"))


# `//user:password@` in any text (a URL, or a command-line word holding one).
_PASSWORD_IN_URL = re.compile(r"(//[^/\s:@?#]*):[^/\s@?#]*@")


def masked_passwords(text: str) -> str:
    """`text` with the password of every `//user:password@` in it shown as `***`."""
    return _PASSWORD_IN_URL.sub(r"\1:***@", text)


class SettingsError(UsageError):
    """Settings that cannot work; the message says which and how to fix it."""


class Price(BaseModel):
    """Dollars (or any currency) per million tokens."""

    model_config = ConfigDict(extra="forbid")
    prompt: float = Field(ge=0)
    completion: float = Field(ge=0)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SUMMARIZE_", extra="forbid")
    config_file: ClassVar[Path | None] = None

    base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. .../v1.")
    model: str | None = None

    @field_validator("base_url")
    @classmethod
    def _an_http_url(cls, value: str | None) -> str | None:
        # Caught here, not as a traceback from the HTTP client on the first request.
        if value is None:
            return None
        url = value.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
            raise ValueError(f"{value!r} is not an http(s) URL like http://127.0.0.1:8080/v1")
        return url

    # The key is read, used and never printed: SecretStr keeps it out of reprs and tracebacks.
    api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("OPENAI_API_KEY", "SUMMARIZE_API_KEY")
    )
    mode: InstructorMode = InstructorMode.AUTO
    temperature: float = Field(0.0, ge=0, le=2)
    max_output_tokens: int = Field(2048, ge=64)
    timeout: float = Field(120.0, gt=0, description="Seconds per model request.")
    max_reasks: int = Field(2, ge=0, le=10, description="Re-asks after invalid answers.")
    transport_retries: int = Field(4, ge=0, le=20)
    concurrency: int = Field(4, ge=1, le=256)
    # 0: one per usable core. Fork-based, so Linux only; elsewhere a run uses one process.
    workers: int = Field(
        0, ge=0, le=64, description="Processes doing the articles' work (0: one per core)."
    )
    # Refused, not chunked: briefs merged from chunks would invent events spanning chunks.
    max_chars: int = Field(
        50_000, ge=1, description="Longest article text (characters) sent to the model."
    )
    max_tokens_total: int | None = Field(
        None, ge=1, description="Stop starting articles once a run has used this many tokens."
    )
    max_cost: float | None = Field(None, gt=0, description="Same, in money, using `prices`.")
    fetch_timeout: float = Field(
        30.0, gt=0, description="Seconds to download one URL's page, redirects included."
    )
    # [prices."model-name"] prompt = ..., completion = ... in summarize.toml.
    prices: dict[str, Price] = Field(default_factory=dict)
    recording: RecordingMode = RecordingMode.LIVE
    recordings_dir: Path = Path("fixtures/recordings")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if cls.config_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=cls.config_file))
        return tuple(sources)

    def missing_credentials(self) -> str | None:
        """What is missing for the endpoint to accept a request, when it is known before
        asking: OpenAI's API needs a key. None when nothing is known to be missing."""
        if self.recording is RecordingMode.REPLAY or self.api_key is not None:
            return None
        if self.base_url and urlsplit(self.base_url).hostname == OPENAI_HOST:
            return (
                f"{shown_url(self.base_url)} needs an API key: set OPENAI_API_KEY to your "
                "OpenAI API key (or api_key in the config file)"
            )
        return None

    def resolved_mode(self) -> InstructorMode:
        """Tools on OpenAI itself; JSON schema (grammar-constrained where supported) elsewhere."""
        if self.mode is not InstructorMode.AUTO:
            return self.mode
        if self.base_url is None or "api.openai.com" in self.base_url:
            return InstructorMode.TOOLS
        return InstructorMode.JSON_SCHEMA


def load_settings(config: Path | None, **flags: Any) -> Settings:
    """Build settings; flags given as None fall through to the environment and config file."""
    if config is not None and not config.is_file():
        raise SettingsError(f"config file {config} does not exist")
    path = config or (DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None)
    given = {k: v for k, v in flags.items() if v is not None}
    try:
        settings_cls = type("ConfiguredSettings", (Settings,), {"config_file": path})
        return settings_cls(**given)  # type: ignore[no-any-return]
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"config file {path} is not valid TOML: {exc}") from None
    except ValidationError as exc:
        where = f" (config file: {path})" if path else ""
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg'].removeprefix('Value error, ')}"
            for err in exc.errors()
        )
        raise SettingsError(f"invalid settings{where}: {problems}") from None
