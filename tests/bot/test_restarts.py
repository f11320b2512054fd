"""Restarts and repeated failures: queued work survives a restart, a failing job is tried
again and finally given up with a message, never retried forever, and a picture that
can't be sent is sent again later without redoing the work."""

from __future__ import annotations

from pathlib import Path

import pytest

import jobs.runner
from bot import texts
from bot.app import build_application
from jobs import JobSettings, create_service
from styles.catalog import default_catalog
from tests.bot.conftest import (
    ANN,
    BOB,
    StartBot,
    image_bytes,
    input_files,
    make_settings,
    menu,
    nth_photo,
    photos,
    press,
    running,
    says,
)
from tests.bot.fakeapi import FakeTelegram

CAT = 1003


async def queue_three_requests(tg: FakeTelegram) -> list[int]:
    tg.user(CAT, first_name="Cat")
    users = [ANN, BOB, CAT]
    for place, user in enumerate(users):  # each one in before the next asks
        tg.send_photo(user, user, image_bytes())
        press(tg, await menu(tg, user, "Claude Monet"), "Claude Monet", user)
        await says(tg, user, texts.QUEUED.format(position=place) if place else "Stylising… ")
    return users


async def test_queued_and_running_jobs_survive_a_restart(tg: FakeTelegram, tmp_path: Path) -> None:
    data = tmp_path / "data"
    slow = make_settings(tg, data, engine_steps=2000)  # still running when the bot stops
    async with running(build_application(slow)):
        users = await queue_three_requests(tg)
    for user in users:
        await says(tg, user, texts.PAUSED_FOR_RESTART)
    assert all(photos(tg, user) == [] for user in users)

    # The jobs keep their 2000 steps; a short time budget (the worker's) ends them early.
    async with running(build_application(make_settings(tg, data, job_time_budget=1))):
        results = [await nth_photo(tg, user) for user in users]
    assert all(r["caption"].startswith("Claude Monet") for r in results)
    settings = JobSettings(_env_file=None, data_dir=data)  # type: ignore[call-arg]
    service = create_service(settings, default_catalog())
    assert await service.unsettled("telegram") == []
    assert input_files(data) == []


async def test_a_job_that_keeps_failing_is_given_up(
    tg: FakeTelegram, start_bot: StartBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[int] = []

    def broken(*args: object, **kwargs: object) -> None:
        runs.append(1)
        raise MemoryError("out of memory")  # say

    monkeypatch.setattr(jobs.runner, "stylize", broken)
    await start_bot(job_retry_delay=0.05)
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Claude Monet"), "Claude Monet")
    await says(tg, ANN, texts.GAVE_UP.format(attempts=3))
    assert len(runs) == 3
    statuses = [c.params["text"] for c in tg.calls_to("editMessageText", ANN)]
    assert sum(texts.RETRYING in s for s in statuses) == 2
    tg.send_text(ANN, ANN, "/help")  # and the bot is fine
    await says(tg, ANN, "How it works")


async def test_a_telegram_outage_during_delivery_is_retried(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot(job_retry_delay=0.05)
    tg.fail("sendPhoto", status=502, description="Bad Gateway", times=4)  # beyond the retries
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Claude Monet"), "Claude Monet")
    result = await nth_photo(tg, ANN)
    assert result["caption"].startswith("Claude Monet")
    assert [c.status for c in tg.calls_to("sendPhoto")] == [502] * 4 + [200]


async def test_a_menu_still_works_after_a_restart(tg: FakeTelegram, tmp_path: Path) -> None:
    """A photo waiting for its style is kept: the old menu's button works in the new process."""
    data = tmp_path / "data"
    async with running(build_application(make_settings(tg, data))):
        tg.send_photo(ANN, ANN, image_bytes())
        old_menu = await menu(tg, ANN, "Claude Monet")
    async with running(build_application(make_settings(tg, data))):
        press(tg, old_menu, "Claude Monet")
        result = await nth_photo(tg, ANN)
    assert result["caption"].startswith("Claude Monet")
    answers = [c.params.get("text") for c in tg.calls_to("answerCallbackQuery")]
    assert texts.MENU_EXPIRED not in answers
