"""Settings of the job service, shared by every process that hosts it (bot, API, worker).

Environment variables (and `.env`); `.env.example` documents each one. The clients' settings
(api/settings.py, bot/settings.py) inherit these, so a concept both clients have is defined
here once, under one name (MAX_UPLOAD_MB); an older name is still read as a deprecated
alias.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

Device = Literal["auto", "cpu", "cuda", "mps"]
Precision = Literal["auto", "float32"]  # engine.devices.Precision, without importing torch

MiB = 1024 * 1024
MAX_ATTEMPTS = 3
RETRY_DELAY = 10.0  # seconds before a failed run is tried again, times the runs so far


class JobSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        hide_input_in_errors=True,
        case_sensitive=False,
    )

    data_dir: Path = Path("data")
    broker_url: str | None = None  # redis://host:6379/0 -> distributed mode
    engine_device: Device = "auto"
    engine_precision: Precision = "auto"  # float32: no bf16 even where the CPU has AMX
    embedded_workers: int = Field(1, ge=0, le=16)  # 0: this process only submits
    queue_size: int = Field(20, ge=1, le=10_000)
    job_time_budget: float = Field(300.0, gt=0)
    job_attempts: int = Field(MAX_ATTEMPTS, ge=1, le=10)
    job_retry_delay: float = Field(RETRY_DELAY, ge=0)
    result_ttl: float = Field(3600.0, gt=0)
    preview_interval: float = Field(4.0, ge=0.1)  # seconds between two previews of a job
    # The largest photo, style image or clip a person may send, in MB (the bot: at most
    # Telegram's download limit). MAX_INPUT_MB: the bot's old name.
    max_upload_mb: int = Field(
        20, ge=1, le=200, validation_alias=AliasChoices("max_upload_mb", "max_input_mb")
    )
    worker_threads: int | None = Field(None, ge=1, le=256)  # torch threads; None: torch's own

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def cache_dir(self) -> Path:
        """What may be kept between runs and restarts (the paintings' facts, sheets)."""
        return self.data_dir / "cache"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * MiB

    @property
    def jobs_db(self) -> Path:
        return self.data_dir / "jobs.sqlite3"

    @property
    def distributed(self) -> bool:
        return bool(self.broker_url)


def describe_settings_error(error: ValidationError) -> str:
    """One line naming every bad variable, never its value (it might be the token)."""
    parts = []
    for problem in error.errors():
        name = "_".join(str(part) for part in problem["loc"]).upper() or "settings"
        message = problem["msg"].removeprefix("Value error, ")
        parts.append(message if not problem["loc"] else f"{name}: {message}")
    return "Invalid settings: " + "; ".join(parts)
