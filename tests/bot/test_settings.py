"""Settings: environment and .env parsing, one-line errors, and the token kept secret."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.__main__ import load_settings
from bot.app import configure_logging
from bot.settings import Settings, is_missing_token
from engine import StyleParams
from jobs.settings import describe_settings_error

TOKEN = "123456:AAHsecret-Token_value"
VARIABLES = (
    "TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "TELEGRAM_FILE_BASE_URL", "BOT_MODE",
    "WEBHOOK_URL", "WEBHOOK_LISTEN", "WEBHOOK_PORT", "WEBHOOK_SECRET_TOKEN", "ENGINE_DEVICE",
    "DEFAULT_QUALITY", "ENGINE_SIZE", "ENGINE_STEPS", "QUEUE_SIZE", "JOB_TIME_BUDGET",
    "PROGRESS_INTERVAL", "DATA_DIR", "MAX_INPUT_MB", "LOG_LEVEL", "PUBLIC_BASE_URL",
    "PREVIEW_INTERVAL", "BOT_PREVIEWS", "BROKER_URL", "EMBEDDED_WORKERS", "MAX_UPLOAD_MB",
)  # fmt: skip


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No stray variables and no developer's .env: run in an empty folder."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_follow_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    settings = Settings()  # type: ignore[call-arg]
    assert settings.token == TOKEN
    assert settings.default_quality == StyleParams().quality
    assert settings.bot_mode == "polling"
    assert settings.engine_size is None and settings.engine_steps is None
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"
    assert settings.max_upload_bytes == 20 * 1024 * 1024


def test_environment_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    Path(".env").write_text(
        f"TELEGRAM_BOT_TOKEN={TOKEN}\nQUEUE_SIZE=7\nENGINE_SIZE=\nLOG_LEVEL=debug\n"
        "SOMETHING_ELSE=ignored\n"
    )
    monkeypatch.setenv("PROGRESS_INTERVAL", "0.2")
    monkeypatch.setenv("QUEUE_SIZE", "9")  # the environment wins over .env
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "d"))
    settings = Settings()  # type: ignore[call-arg]
    assert settings.queue_size == 9
    assert settings.progress_interval == 0.2
    assert settings.engine_size is None  # empty means unset
    assert settings.log_level == "DEBUG"
    assert settings.db_path.parent == tmp_path / "d"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("QUEUE_SIZE", "0", "QUEUE_SIZE"),
        ("DEFAULT_QUALITY", "ultra", "DEFAULT_QUALITY"),
        ("ENGINE_SIZE", "5000", "ENGINE_SIZE"),
        ("MAX_UPLOAD_MB", "500", "MAX_UPLOAD_MB"),
        ("BOT_MODE", "webhook", "WEBHOOK_URL"),
        ("WEBHOOK_SECRET_TOKEN", "no spaces!", "WEBHOOK_SECRET_TOKEN"),
    ],
)
def test_invalid_value_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    name: str, value: str, expected: str,
) -> None:  # fmt: skip
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as exit_info:
        load_settings()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Invalid settings: ")
    assert expected in err
    assert TOKEN not in err


def test_the_upload_limit_is_shared_but_never_above_telegrams(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One MAX_UPLOAD_MB for the API and the bot (`make run` reads one .env); the bot can't
    download more than Telegram allows."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("MAX_UPLOAD_MB", "50")
    settings = Settings()  # type: ignore[call-arg]
    assert settings.max_upload_mb == 50 and settings.upload_limit_mb == 20
    assert settings.max_upload_bytes == 20 * 1024 * 1024


def test_the_old_name_still_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("MAX_INPUT_MB", "5")
    assert Settings().max_upload_bytes == 5 * 1024 * 1024  # type: ignore[call-arg]
    monkeypatch.setenv("MAX_UPLOAD_MB", "7")  # the current name wins
    assert Settings().max_upload_bytes == 7 * 1024 * 1024  # type: ignore[call-arg]


def test_missing_token_explains_botfather(capsys: pytest.CaptureFixture[str]) -> None:
    Path(".env").write_text("TELEGRAM_BOT_TOKEN=\n")
    with pytest.raises(SystemExit) as exit_info:
        load_settings()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "@BotFather" in err and ".env" in err


def test_malformed_token_is_rejected_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "not a token with spaces")
    with pytest.raises(ValidationError) as exc_info:
        Settings()  # type: ignore[call-arg]
    assert not is_missing_token(exc_info.value)
    line = describe_settings_error(exc_info.value)
    assert "TELEGRAM_BOT_TOKEN" in line and "not a token" not in line
    assert "not a token" not in str(exc_info.value)


def test_token_never_in_repr_or_logs(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    settings = Settings()  # type: ignore[call-arg]
    assert TOKEN not in repr(settings) and TOKEN not in str(settings)
    assert TOKEN not in settings.model_dump_json()
    root = logging.getLogger()
    saved = root.handlers[:], root.level, logging.getLogger("httpx").level
    configure_logging(settings)
    try:
        assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
        (handler,) = root.handlers
        url = f"https://api.telegram.org/bot{TOKEN}/getMe"
        record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "GET %s", (url,), None)
        assert handler.filter(record)
        assert TOKEN not in handler.format(record) and "/bot[token]/getMe" in handler.format(record)
    finally:
        root.handlers[:], level, httpx_level = saved
        root.setLevel(level)
        logging.getLogger("httpx").setLevel(httpx_level)
