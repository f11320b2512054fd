"""`make run` for real: one process serving the page and API, with the bot when a token is
set, sharing one job service; without a token it serves the page alone."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import httpx

from tests.api.conftest import free_port, photo
from tests.bot.conftest import (
    ANN,
    image_bytes,
    menu,
    nth_photo,
    press,
    tg,  # noqa: F401  (the fake Bot API fixture)
)
from tests.bot.fakeapi import FakeTelegram
from tests.bot.test_main import bot_env, start_process


async def wait_ready(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(600):
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"{base} never became ready")


async def test_one_process_serves_the_page_api_and_bot(
    tg: FakeTelegram, tmp_path: Path  # noqa: F811
) -> None:
    port = free_port()
    env = {**bot_env(tg, tmp_path, steps=2), "API_PORT": str(port)}
    base = f"http://127.0.0.1:{port}"
    with (tmp_path / "serve.log").open("wb") as stderr:
        proc = start_process(env, tmp_path, stderr, module="stylize.server")
        try:
            await wait_ready(base)
            await tg.wait_for_call("setMyCommands", timeout=60)
            tg.send_photo(ANN, ANN, image_bytes())
            press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh")
            assert (await nth_photo(tg, ANN, timeout=60))["caption"].startswith("Vincent van Gogh")
            async with httpx.AsyncClient(base_url=base, timeout=60) as api:
                page = await api.get("/")
                job = await api.post("/v1/jobs", data={"artist": "munch", "size": "32"},
                                     files={"content": ("a.jpg", photo())})  # fmt: skip
                assert page.status_code == 200 and job.status_code == 202
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=60) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
    log = (tmp_path / "serve.log").read_text()
    assert tg.token not in log and "Traceback" not in log


async def test_without_a_token_the_page_runs_alone(
    tg: FakeTelegram, tmp_path: Path  # noqa: F811
) -> None:
    port = free_port()
    env = {k: v for k, v in bot_env(tg, tmp_path, steps=2).items()
           if k != "TELEGRAM_BOT_TOKEN"}  # fmt: skip
    env["API_PORT"] = str(port)
    with (tmp_path / "serve.log").open("wb") as stderr:
        proc = start_process(env, tmp_path, stderr, module="stylize.server")
        try:
            await wait_ready(f"http://127.0.0.1:{port}")
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=60) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
    assert "the Telegram bot is off" in (tmp_path / "serve.log").read_text()
    assert tg.calls == []  # nobody talked to Telegram
