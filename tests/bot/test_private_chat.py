"""Scripted conversations in a private chat: the real Application against the fake Bot API,
with the real engine at a tiny size (48 px, 2 steps per scale)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot import texts
from tests.bot.conftest import (
    ANN,
    BOB,
    StartBot,
    buttons,
    decode,
    image_bytes,
    input_files,
    menu,
    nth_photo,
    painted,
    photos,
    press,
    says,
)
from tests.bot.fakeapi import FakeTelegram

RERUN_BUTTONS = {
    texts.BTN_ANOTHER_ARTIST, texts.BTN_STRONGER, texts.BTN_WEAKER, texts.BTN_KEEP_COLORS,
    texts.BTN_HIGHER_QUALITY, texts.BTN_FULL_QUALITY,
}  # fmt: skip


async def test_start_help_and_command_menu(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    assert [c["command"] for c in tg.commands()] == [name for name, _ in texts.COMMANDS]
    tg.send_text(ANN, ANN, "/start")
    await says(tg, ANN, "Send me a photo")
    tg.send_text(ANN, ANN, "/help")
    await says(tg, ANN, "How it works")
    tg.send_text(ANN, ANN, "hello there")
    await says(tg, ANN, texts.SEND_PHOTO_FIRST)
    tg.send_text(ANN, ANN, "/cancel")
    await says(tg, ANN, texts.NOTHING_TO_CANCEL)


async def test_photo_then_artist_button(
    tg: FakeTelegram, start_bot: StartBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # DEBUG lines are redacted by configure_logging's filter
    await start_bot()
    sent = tg.send_photo(ANN, ANN, image_bytes(120, 90))
    choose = await menu(tg, ANN, "Vincent van Gogh")
    assert choose["text"] == texts.CHOOSE_STYLE
    assert {texts.BTN_OWN_STYLE, texts.BTN_CANCEL, texts.BTN_NEXT} <= set(buttons(choose))
    press(tg, choose, "Vincent van Gogh")

    result = await nth_photo(tg, ANN)
    assert painted(result, "Vincent van Gogh — The Starry Night", "48×36")
    assert result["reply_to_message"]["message_id"] == sent["message_id"]
    assert decode(tg, result).size == (48, 36)  # ENGINE_SIZE is the long side
    assert set(buttons(result)) == RERUN_BUTTONS
    assert tg.calls_to("answerCallbackQuery")[0].ok
    # The menu became the progress message, which is gone now that the picture is here.
    statuses = [c.params["text"] for c in tg.calls_to("editMessageText", ANN)]
    assert statuses[0] == f"Vincent van Gogh — The Starry Night\n{texts.STARTING}"
    await tg.wait_until(lambda: tg.is_deleted(ANN, choose["message_id"]))
    assert input_files(tmp_path / "data") == []  # the photos are gone with the job
    assert tg.token not in caplog.text


async def test_typed_artist_with_a_typo_and_an_unknown_one(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    tg.send_photo(ANN, ANN, image_bytes())
    first_menu = await menu(tg, ANN, "Vincent van Gogh")
    tg.send_text(ANN, ANN, "picasso")
    suggestions = await says(tg, ANN, "I don't know an artist called “picasso”")
    assert "Francis Picabia — Udnie (1913)" in buttons(suggestions)
    assert texts.BTN_ALL_ARTISTS in buttons(suggestions)

    tg.send_text(ANN, ANN, "van gog")
    result = await nth_photo(tg, ANN)
    assert painted(result, "Vincent van Gogh — The Starry Night", "48×36")
    press(tg, first_menu, "Vincent van Gogh")  # the request is done: its menu has expired
    answer = await tg.wait_for_call("answerCallbackQuery", lambda c: "text" in c.params)
    assert answer.params["text"] == texts.MENU_EXPIRED


async def test_second_photo_is_the_style(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    sent = tg.send_photo(ANN, ANN, image_bytes(90, 120))
    await menu(tg, ANN, "Vincent van Gogh")
    tg.send_photo(ANN, ANN, image_bytes(64, 64))
    result = await nth_photo(tg, ANN)
    assert painted(result, f"{texts.YOUR_STYLE}", "36×48")
    assert result["reply_to_message"]["message_id"] == sent["message_id"]


async def test_own_style_button_refuses_a_sticker(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, texts.BTN_OWN_STYLE), texts.BTN_OWN_STYLE)
    await says(tg, ANN, texts.SEND_STYLE_PHOTO)
    tg.send_sticker(ANN, ANN)
    await says(tg, ANN, texts.NOT_A_STYLE)
    tg.send_photo(ANN, ANN, image_bytes(50, 50))  # nothing was lost: this is the style
    result = await nth_photo(tg, ANN)
    assert result["caption"].startswith(texts.YOUR_STYLE)


async def test_image_sent_as_a_file_comes_back_as_a_file_too(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    tg.send_document(ANN, ANN, image_bytes(120, 90, "PNG"), file_name="cat.png",
                     mime_type="image/png")  # fmt: skip
    choose = await menu(tg, ANN, "Claude Monet")
    press(tg, choose, "Claude Monet")
    document = await tg.wait_for_message(ANN, lambda m: "document" in m, timeout=30)
    assert document["caption"] == texts.FULL_QUALITY_FILE
    assert document["document"]["file_name"].endswith(".png")
    full = decode(tg, document)
    assert (full.format, full.size) == ("PNG", (48, 36))
    assert painted(photos(tg, ANN)[0], "Claude Monet — Water Lilies", "48×36")


async def test_cancel_while_running(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot(engine_steps=400)  # long enough to be really running when cancelled
    tg.send_photo(ANN, ANN, image_bytes())
    choose = await menu(tg, ANN, "Vincent van Gogh")
    press(tg, choose, "Vincent van Gogh")
    status = await tg.wait_for_message(ANN, lambda m: "Stylising… " in m.get("text", ""))
    assert "%" in status["text"] and set(buttons(status)) == {texts.BTN_CANCEL}
    press(tg, status, texts.BTN_CANCEL)
    cancelled = await tg.wait_for_message(ANN, lambda m: texts.JOB_CANCELLED in m.get("text", ""))
    assert cancelled["message_id"] == status["message_id"] and not buttons(cancelled)
    assert photos(tg, ANN) == []


async def test_second_request_while_one_runs(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot(engine_steps=400)
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh")
    status = await tg.wait_for_message(ANN, lambda m: "Stylising… " in m.get("text", ""))

    tg.send_photo(ANN, ANN, image_bytes(100, 100))
    second_menu = await menu(tg, ANN, "Claude Monet")
    press(tg, second_menu, "Claude Monet")
    busy = await says(tg, ANN, texts.ALREADY_BUSY)
    press(tg, busy, texts.BTN_CANCEL)  # cancels the job that is running
    status_id = status["message_id"]
    await tg.wait_until(lambda: texts.JOB_CANCELLED in tg.message(ANN, status_id)["text"])
    await tg.wait_until(lambda: not buttons(tg.message(ANN, busy["message_id"])))

    press(tg, second_menu, "Claude Monet")  # the second request was kept: now it runs
    await tg.wait_for_message(ANN, lambda m: m.get("text", "").startswith("Claude Monet"))
    tg.send_text(ANN, ANN, "/cancel")  # answered by the progress message alone

    def cancelled() -> int:
        return sum(texts.JOB_CANCELLED in m.get("text", "") for m in tg.sent_messages(ANN))

    await tg.wait_until(lambda: cancelled() == 2)


async def test_queue_positions_and_a_full_queue(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot(engine_steps=400, queue_size=1)
    carl = 1003
    for user in (ANN, BOB, carl):
        tg.send_photo(user, user, image_bytes())
        press(tg, await menu(tg, user, "Vincent van Gogh"), "Vincent van Gogh", user)
        # Each request is in before the next person asks (each download takes its time).
        if user == ANN:
            await says(tg, ANN, "Stylising… ")
        elif user == BOB:
            await says(tg, BOB, texts.QUEUED.format(position=1))
    await says(tg, carl, texts.QUEUE_FULL)
    bob_status = await says(tg, BOB, texts.QUEUED.format(position=1))
    press(tg, bob_status, texts.BTN_CANCEL, BOB)
    await says(tg, BOB, texts.JOB_CANCELLED)
    tg.send_text(ANN, ANN, "/cancel")
    await says(tg, ANN, texts.JOB_CANCELLED)
