"""Bad input and bad weather: every request ends with a result or a reason, nothing breaks."""

from __future__ import annotations

import pytest

from bot import texts
from bot.handlers import requests
from tests.bot.conftest import (
    ANN,
    BOB,
    StartBot,
    image_bytes,
    menu,
    nth_photo,
    photos,
    press,
    says,
)
from tests.bot.fakeapi import FakeTelegram
from tests.images import png_header

MB = 1024 * 1024


async def test_text_file_is_not_an_image(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    tg.send_document(ANN, ANN, b"shopping list", file_name="notes.txt", mime_type="text/plain")
    await says(tg, ANN, texts.NOT_AN_IMAGE_FILE)
    tg.send_sticker(ANN, ANN)
    await says(tg, ANN, texts.ONLY_PHOTOS)


async def test_text_file_dressed_as_a_jpeg(tg: FakeTelegram, start_bot: StartBot) -> None:
    """Name and type say image: the engine's decoder finds out when the job starts."""
    await start_bot()
    tg.send_document(ANN, ANN, b"just some text\n" * 20, file_name="photo.jpg",
                     mime_type="image/jpeg")  # fmt: skip
    press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh")
    await says(tg, ANN, "That doesn't look like an image")
    assert photos(tg, ANN) == []


async def test_too_many_pixels(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    tg.send_document(ANN, ANN, png_header(50_000, 50_000), file_name="huge.png",
                     mime_type="image/png")  # fmt: skip
    press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh")
    await says(tg, ANN, "too many pixels")


async def test_file_over_the_download_limit(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    tg.send_document(ANN, ANN, image_bytes(), file_name="big.jpg", declared_size=25 * MB)
    await says(tg, ANN, texts.FILE_TOO_BIG.format(mb=20))


async def test_network_errors_are_retried(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    tg.reset_connection("sendPhoto")  # the first upload dies with the connection
    tg.fail("editMessageText", status=502, description="Bad Gateway")
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh")
    result = await nth_photo(tg, ANN)
    assert result["caption"].startswith("Vincent van Gogh")
    assert [c.status for c in tg.calls_to("sendPhoto")] == [0, 200]


async def test_a_user_who_blocked_the_bot_is_skipped(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot(engine_steps=400)
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh")
    await says(tg, ANN, "Stylising… ")
    tg.send_photo(BOB, BOB, image_bytes())
    press(tg, await menu(tg, BOB, "Claude Monet"), "Claude Monet", BOB)
    await says(tg, BOB, texts.QUEUED.format(position=1))
    tg.block_user(ANN)  # Ann blocks the bot while her picture is being made
    await says(tg, BOB, "Stylising… ")  # her job stopped at the next progress report
    assert photos(tg, ANN) == []


async def test_unexpected_errors_are_logged_and_told(
    tg: FakeTelegram, start_bot: StartBot, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    async def broken(*args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(requests, "choose_by_name", broken)
    await start_bot()
    tg.send_photo(ANN, ANN, image_bytes())
    await menu(tg, ANN, "Vincent van Gogh")
    tg.send_text(ANN, ANN, "munch")
    await says(tg, ANN, texts.SOMETHING_WRONG)
    assert "a bug" in caplog.text


async def test_old_and_unknown_buttons(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    tg.send_photo(ANN, ANN, image_bytes())
    old = await menu(tg, ANN, "Vincent van Gogh")
    tg.send_text(ANN, ANN, "/cancel")
    await says(tg, ANN, texts.DRAFT_CANCELLED)
    press(tg, old, "Vincent van Gogh")
    await tg.wait_until(lambda: tg.message(ANN, old["message_id"])["text"] == texts.MENU_EXPIRED)
    answer = tg.calls_to("answerCallbackQuery")[-1]
    assert answer.params["text"] == texts.MENU_EXPIRED
    tg.press_button(ANN, ANN, old["message_id"], "v0:something-from-an-old-version")
    await tg.wait_until(lambda: len(tg.calls_to("answerCallbackQuery")) == 2)
    assert tg.calls_to("answerCallbackQuery")[-1].params["text"] == texts.MENU_EXPIRED


async def test_a_deleted_status_message_does_not_cost_the_picture(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    """Ann deletes "You're number 1 in the queue": her job still runs and delivers."""
    await start_bot(engine_steps=400, job_time_budget=30)
    tg.send_photo(BOB, BOB, image_bytes())
    press(tg, await menu(tg, BOB, "Claude Monet"), "Claude Monet", BOB)
    bobs = await says(tg, BOB, "Stylising… ")
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh")
    status = await says(tg, ANN, texts.QUEUED.format(position=1))
    tg.delete_message(ANN, status["message_id"])
    press(tg, bobs, texts.BTN_CANCEL, BOB)  # Ann's turn
    result = await nth_photo(tg, ANN, timeout=60)
    assert result["caption"].startswith("Vincent van Gogh")
    assert len(photos(tg, ANN)) == 1


async def test_a_resent_style_photo_after_a_refusal_is_still_the_style(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    """ "Use my own style photo", refused (busy); once free, the style photo sent again as
    the prompt asks is the style, not the start of a new request."""
    await start_bot(engine_steps=400)
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh")
    running = await says(tg, ANN, "Stylising… ")
    tg.send_photo(ANN, ANN, image_bytes(100, 100))  # the next content
    press(tg, await menu(tg, ANN, texts.BTN_OWN_STYLE), texts.BTN_OWN_STYLE)
    await says(tg, ANN, texts.SEND_STYLE_PHOTO)
    tg.send_photo(ANN, ANN, image_bytes(80, 80))
    await says(tg, ANN, texts.ALREADY_BUSY)
    press(tg, running, texts.BTN_CANCEL)
    cancelled = lambda: texts.JOB_CANCELLED in tg.message(ANN, running["message_id"])["text"]  # noqa: E731
    await tg.wait_until(cancelled)
    tg.send_photo(ANN, ANN, image_bytes(80, 80))  # the style again
    result = await nth_photo(tg, ANN, timeout=180)  # 400 steps: seconds, or more under load
    assert result["caption"].startswith(texts.YOUR_STYLE)
