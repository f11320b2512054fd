"""The bot's configuration: environment variables (and `.env`), validated once at start-up.

`.env.example` at the repository root documents every variable.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator

from engine import Quality, StyleParams
from engine.params import MAX_SIZE, MIN_SIZE
from jobs.settings import JobSettings, MiB

BotMode = Literal["polling", "webhook"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]

TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
WEBHOOK_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts
# Telegram refuses getFile for anything larger, so a higher limit could never be used.
TELEGRAM_DOWNLOAD_LIMIT_MB = 20


class Settings(JobSettings):
    """The bot's own settings on top of the job service's (DATA_DIR, QUEUE_SIZE, ...)."""

    telegram_bot_token: SecretStr
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_file_base_url: str = "https://api.telegram.org/file/bot"

    bot_mode: BotMode = "polling"
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(8443, ge=1, le=65535)
    webhook_secret_token: SecretStr | None = None

    default_quality: Quality = StyleParams().quality
    engine_size: int | None = Field(None, ge=MIN_SIZE, le=MAX_SIZE)
    engine_steps: int | None = Field(None, ge=1, le=10_000)

    # Seconds between two edits of a job's progress message (its previews: PREVIEW_INTERVAL).
    progress_interval: float = Field(3.0, ge=0.05)
    bot_previews: bool = True  # send the first look (the instant image) while a job refines
    user_updates_per_minute: int = Field(30, ge=1, le=10_000)
    # The page and API's public https:// address: inline results then show the paintings
    # (Telegram fetches them from /v1/styles/<slug>/thumbnail); unset: text results.
    public_base_url: str | None = None
    log_level: LogLevel = "INFO"

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_looks_right(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value().strip()
        if not token:
            raise ValueError("is empty")
        if not TOKEN_RE.match(token):
            raise ValueError("doesn't look like a bot token from @BotFather (123456:ABC-…)")
        return SecretStr(token)

    @field_validator("webhook_secret_token")
    @classmethod
    def _secret_allowed(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET_RE.match(value.get_secret_value()):
            raise ValueError("may only use A-Z, a-z, 0-9, _ and - (1 to 256 characters)")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _webhook_needs_url(self) -> Settings:
        if self.bot_mode == "webhook" and not self.webhook_url:
            raise ValueError("BOT_MODE=webhook needs WEBHOOK_URL (the public https:// address)")
        if self.webhook_url and not self.webhook_url.startswith("https://"):
            raise ValueError("WEBHOOK_URL must start with https://")
        if self.public_base_url and not self.public_base_url.startswith("https://"):
            raise ValueError("PUBLIC_BASE_URL must start with https:// (Telegram fetches it)")
        return self

    @property
    def token(self) -> str:
        return self.telegram_bot_token.get_secret_value()

    @property
    def upload_limit_mb(self) -> int:
        """MAX_UPLOAD_MB, but never above what Telegram lets a bot download."""
        return min(self.max_upload_mb, TELEGRAM_DOWNLOAD_LIMIT_MB)

    @property
    def max_upload_bytes(self) -> int:
        return self.upload_limit_mb * MiB

    @property
    def db_path(self) -> Path:
        return self.data_dir / "bot.sqlite3"


def is_missing_token(error: ValidationError) -> bool:
    """True when the token is simply not set (rather than set to something wrong)."""
    return any(
        p["loc"] == ("telegram_bot_token",)
        and (p["type"] == "missing" or p["msg"].endswith("is empty"))
        for p in error.errors()
    )
