"""`python -m bot` in webhook mode: it registers its URL and secret with the Bot API, takes
updates that Telegram would POST to it, refuses POSTs without the secret, and answers."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.bot.conftest import ANN, image_bytes, menu, nth_photo, says
from tests.bot.fakeapi import FakeTelegram
from tests.bot.test_main import bot_env, start_process
from tests.helpers import free_port

SECRET = "s3cret-Token_1"


async def listening(port: int, timeout: float = 30.0) -> None:
    """PTB sends setWebhook before its server listens, so wait for the port itself."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.05)


def post(port: int, update: dict[str, Any], secret: str | None) -> int:
    """What Telegram does with each update: POST it as JSON to the webhook."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/hook/abc", json.dumps(update).encode(), headers
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


async def test_webhook_mode_end_to_end(tg: FakeTelegram, tmp_path: Path) -> None:
    port = free_port()
    env = bot_env(tg, tmp_path, steps=2)
    env.update(
        BOT_MODE="webhook", WEBHOOK_URL="https://bot.example.org/hook/abc",
        WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port), WEBHOOK_SECRET_TOKEN=SECRET,
    )  # fmt: skip
    with (tmp_path / "bot.log").open("wb") as stderr:
        proc = start_process(env, tmp_path, stderr)
        try:
            registered = await tg.wait_for_call("setWebhook", timeout=60)
            assert registered.params["url"] == "https://bot.example.org/hook/abc"
            assert registered.params["secret_token"] == SECRET
            await listening(port)

            stranger = tg.send_text(ANN, ANN, "/help")
            assert post(port, stranger, secret=None) == 403  # not from Telegram: ignored
            assert post(port, stranger, secret="wrong") == 403
            assert post(port, tg.send_text(ANN, ANN, "/start"), SECRET) == 200
            await says(tg, ANN, "Send me a photo")
            assert post(port, tg.send_photo(ANN, ANN, image_bytes()), SECRET) == 200
            choose = await menu(tg, ANN, "Vincent van Gogh")
            data = next(
                b["callback_data"] for row in choose["reply_markup"]["inline_keyboard"]
                for b in row if b["text"] == "Vincent van Gogh"
            )  # fmt: skip
            press = tg.press_button(ANN, ANN, choose["message_id"], data)
            assert post(port, press, SECRET) == 200
            result = await nth_photo(tg, ANN, timeout=60)
            assert result["caption"].startswith("Vincent van Gogh")
            assert not any("How it works" in (m.get("text") or "") for m in tg.sent_messages(ANN))
        finally:
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=60) == 0
    assert tg.token not in (tmp_path / "bot.log").read_text()
