"""Settings of the API and page, on top of the job service's (`.env.example` has them all)."""

from __future__ import annotations

from pydantic import Field, SecretStr

from jobs.settings import JobSettings


class ApiSettings(JobSettings):
    api_host: str = "127.0.0.1"
    api_port: int = Field(8000, ge=1, le=65535)
    api_keys: SecretStr | None = None  # comma-separated; unset: the API is open
    cors_origins: str = ""  # comma-separated origins allowed to call the API from a browser
    api_requests_per_minute: int = Field(120, ge=1, le=100_000)  # per key, else per address
    api_max_active_jobs: int = Field(2, ge=1, le=1000)  # waiting or running, per key/address
    telegram_bot_token: SecretStr | None = None  # set: `make run` starts the bot as well

    @property
    def keys(self) -> frozenset[str]:
        raw = self.api_keys.get_secret_value() if self.api_keys else ""
        return frozenset(k.strip() for k in raw.split(",") if k.strip())

    @property
    def origins(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]
