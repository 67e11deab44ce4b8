from pathlib import Path

import pytest

from summarize.settings import (
    InstructorMode,
    SettingsError,
    load_settings,
    shown_url,
    url_credentials,
    url_without_credentials,
)


def test_flags_beat_environment_beat_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "summarize.toml"
    config.write_text('model = "from-file"\nbase_url = "http://file/v1"\nconcurrency = 3\n')
    monkeypatch.setenv("SUMMARIZE_MODEL", "from-env")
    settings = load_settings(config, base_url="http://flag/v1", model=None)
    assert settings.base_url == "http://flag/v1"
    assert settings.model == "from-env"
    assert settings.concurrency == 3


def test_api_key_comes_from_openai_api_key_and_never_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-NEVER-PRINT-ME-0123456789")
    settings = load_settings(None)
    assert settings.api_key is not None
    assert settings.api_key.get_secret_value().endswith("0123456789")
    assert "NEVER-PRINT-ME" not in repr(settings)
    assert "NEVER-PRINT-ME" not in str(settings.model_dump())


def test_mode_default_depends_on_endpoint() -> None:
    assert load_settings(None, base_url="https://api.openai.com/v1").resolved_mode() is (
        InstructorMode.TOOLS
    )
    assert load_settings(None, base_url="http://127.0.0.1:8080/v1").resolved_mode() is (
        InstructorMode.JSON_SCHEMA
    )
    assert load_settings(None, base_url="http://x/v1", mode="json").resolved_mode() is (
        InstructorMode.JSON
    )


def test_bad_values_name_the_setting_and_the_file(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("concurrency = 0\n")
    with pytest.raises(SettingsError, match=r"concurrency.*bad\.toml|bad\.toml.*concurrency"):
        load_settings(config)
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(tmp_path / "absent.toml")
    config.write_text("modle = 'typo'\n")
    with pytest.raises(SettingsError, match="modle"):
        load_settings(config)


@pytest.mark.parametrize(
    "url", ["localhost:8080/v1", "ftp://host/v1", "http://a b/v1", "http://", "http:/x"]
)
def test_a_base_url_that_is_not_an_http_url_is_refused(url: str) -> None:
    with pytest.raises(SettingsError, match="is not an http\\(s\\) URL"):
        load_settings(None, base_url=url)


def test_whitespace_around_a_base_url_is_dropped() -> None:
    # A pasted URL often carries a newline; it would fail deep in the HTTP client.
    assert load_settings(None, base_url=" http://host:8080/v1\n").base_url == "http://host:8080/v1"


@pytest.mark.parametrize(
    ("url", "credentials", "bare", "shown"),
    [
        ("http://h:8080/v1", None, "http://h:8080/v1", "http://h:8080/v1"),
        ("http://al:pw@h:8080/v1", ("al", "pw"), "http://h:8080/v1", "http://al:***@h:8080/v1"),
        # Percent-encoded as URLs need it; sent (and so masked) decoded.
        ("https://al:p%40ss%3Aw@h/v1", ("al", "p@ss:w"), "https://h/v1", "https://al:***@h/v1"),
        ("https://:token@h/v1", ("", "token"), "https://h/v1", "https://:***@h/v1"),
        ("https://al@h/v1", ("al", ""), "https://h/v1", "https://al@h/v1"),
    ],
)
def test_credentials_in_the_base_url_are_found_removed_and_masked(
    url: str, credentials: tuple[str, str] | None, bare: str, shown: str
) -> None:
    assert url_credentials(url) == credentials
    assert url_without_credentials(url) == bare
    assert shown_url(url) == shown


def test_openai_needs_a_key_except_in_replay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("SUMMARIZE_API_KEY", raising=False)
    openai = {"base_url": "https://api.openai.com/v1", "model": "gpt-4o-mini"}
    missing = load_settings(None, **openai).missing_credentials()
    assert missing is not None and "OPENAI_API_KEY" in missing
    assert load_settings(None, **openai, recording="replay").missing_credentials() is None
    # Other servers may need no key at all.
    assert load_settings(None, base_url="http://127.0.0.1:8080/v1").missing_credentials() is None
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789")
    assert load_settings(None, **openai).missing_credentials() is None
