"""Fixtures for the bot tests: settings pointing at the fake Bot API, the real Application
running against it (polling), and small images."""

from __future__ import annotations

import contextlib
import io
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from telegram.ext import Application

from bot import texts
from bot.app import build_application, polling
from bot.settings import Settings
from tests.bot.fakeapi import FakeTelegram
from tests.helpers import job_values, sample_photo

ANN, BOB = 1001, 1002  # private chat ids are the users' ids
GROUP = -500

StartBot = Callable[..., Awaitable[Application]]  # type: ignore[type-arg]


def make_settings(tg: FakeTelegram, data_dir: Path, **overrides: Any) -> Settings:
    """Tiny, fast jobs: 48 px, 2 steps per scale, CPU; progress every 0.1 s."""
    values: dict[str, Any] = {
        "telegram_bot_token": tg.token,
        "telegram_api_base_url": tg.base_url,
        "telegram_file_base_url": tg.file_base_url,
        "default_quality": "fast",
        "engine_size": 48,
        "engine_steps": 2,
        "progress_interval": 0.1,
        "bot_previews": False,  # on in test_previews.py; off keeps sendPhoto counts exact
        "preview_interval": 4,  # the bot's own previews follow BOT_PREVIEWS and this
    }
    values.update(overrides)
    return Settings(_env_file=None, **job_values(data_dir, **values))  # type: ignore[call-arg]


@pytest.fixture
def tg() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        server.user(ANN, first_name="Ann")
        server.user(BOB, first_name="Bob")
        yield server
    assert server.server_errors == []


def running(app: Application) -> contextlib.AbstractAsyncContextManager[Application]:  # type: ignore[type-arg]
    """The bot polling the fake API quickly (1 s long polls), on the test's loop."""
    return polling(app, timeout=1)


@pytest.fixture
async def start_bot(tg: FakeTelegram, tmp_path: Path) -> AsyncIterator[StartBot]:
    """`app = await start_bot(engine_steps=50)`: the real bot, stopped after the test."""
    async with contextlib.AsyncExitStack() as stack:

        async def start(**overrides: Any) -> Application:  # type: ignore[type-arg]
            app = build_application(make_settings(tg, tmp_path / "data", **overrides))
            return await stack.enter_async_context(running(app))

        yield start


image_bytes = sample_photo  # the name every bot test knows it by


# -- reading what the user sees --------------------------------------------------------------

Message = dict[str, Any]


def buttons(message: Message) -> dict[str, str]:
    """Button text -> callback data of a bot message's inline keyboard."""
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row if "callback_data" in b}


def press(tg: FakeTelegram, message: Message, text: str, user_id: int = ANN) -> None:
    tg.press_button(message["chat"]["id"], user_id, message["message_id"], buttons(message)[text])


def photos(tg: FakeTelegram, chat_id: int) -> list[Message]:
    """The pictures the bot has sent (not the first-look previews, deleted at the end)."""
    return [m for m in tg.sent_messages(chat_id)
            if "photo" in m and m.get("caption") != texts.PREVIEW_CAPTION]  # fmt: skip


async def nth_photo(tg: FakeTelegram, chat_id: int, n: int = 1, timeout: float = 30) -> Message:
    """The n-th photo the bot has sent to the chat (waiting for it)."""
    await tg.wait_until(lambda: len(photos(tg, chat_id)) >= n, timeout=timeout)
    return photos(tg, chat_id)[n - 1]


async def menu(tg: FakeTelegram, chat_id: int, text: str, timeout: float = 10) -> Message:
    """The latest bot message showing a keyboard button `text`."""

    def find() -> Message | None:
        found = [m for m in tg.sent_messages(chat_id) if text in buttons(m)]
        return found[-1] if found else None

    await tg.wait_until(lambda: find() is not None, timeout=timeout)
    found = find()
    assert found is not None
    return found


async def says(tg: FakeTelegram, chat_id: int, words: str, timeout: float = 10) -> Message:
    """The first bot message in the chat whose text or caption contains `words`."""
    return await tg.wait_for_message(
        chat_id, lambda m: words in (m.get("text") or m.get("caption") or ""), timeout=timeout
    )


def decode(tg: FakeTelegram, message: Message) -> Image.Image:
    media = message["photo"][-1] if "photo" in message else message["document"]
    return Image.open(io.BytesIO(tg.file_bytes(media["file_id"])))


def input_files(data_dir: Path) -> list[Path]:
    """User photos the job service still holds (deleted when a job ends)."""
    blobs = data_dir / "blobs"
    return sorted(blobs.glob("in-*")) if blobs.exists() else []


def painted(message: Message, style: str, size: str) -> bool:
    """A result's caption: the style's name, then quality, strength, size and time."""
    name, details, *_ = (message.get("caption") or "").split("\n")
    return name == style and f" · {size} · " in details
