"""One settings vocabulary: every variable of the clients and the job service is documented in
.env.example under its one name, and .env.example names nothing that isn't read."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic_settings import BaseSettings

from api.settings import ApiSettings
from bot.settings import Settings
from jobs.settings import JobSettings

EXAMPLE = Path(__file__).resolve().parents[1] / ".env.example"
CLASSES: tuple[type[BaseSettings], ...] = (JobSettings, ApiSettings, Settings)


def documented() -> set[str]:
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", EXAMPLE.read_text(), re.MULTILINE))


def test_every_setting_is_documented_once() -> None:
    names = {name.upper() for cls in CLASSES for name in cls.model_fields}
    assert names - documented() == set()


def test_the_example_names_only_what_is_read() -> None:
    names = {name.upper() for cls in CLASSES for name in cls.model_fields}
    # ENGINE_PRECISION is read by the engine itself; deprecated aliases are not advertised.
    assert documented() - names <= {"ENGINE_PRECISION"}


def test_the_clients_share_what_they_both_have() -> None:
    """A concept both clients have lives in JobSettings, not twice under two names."""
    shared = set(JobSettings.model_fields)
    api_own = set(ApiSettings.model_fields) - shared
    bot_own = set(Settings.model_fields) - shared
    # The token: the bot needs it; the API only asks whether to start the bot alongside.
    assert api_own & bot_own == {"telegram_bot_token"}
