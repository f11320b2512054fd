"""The first look: the instant image arrives as a photo while the job refines it, and makes
way for the result."""

from __future__ import annotations

from typing import Any

from bot import texts
from tests.bot.conftest import ANN, StartBot, buttons, image_bytes, menu, nth_photo, press, says
from tests.bot.fakeapi import FakeTelegram


def previews(tg: FakeTelegram, chat_id: int) -> list[dict[str, Any]]:
    return [m for m in tg.sent_messages(chat_id, include_deleted=True)
            if m.get("caption") == texts.PREVIEW_CAPTION]  # fmt: skip


async def test_first_look_then_the_result(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot(bot_previews=True)
    sent = tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Claude Monet"), "Claude Monet")
    result = await nth_photo(tg, ANN)
    [first] = previews(tg, ANN)
    assert first["reply_to_message"]["message_id"] == sent["message_id"]
    assert tg.is_deleted(ANN, first["message_id"])  # the result took its place
    assert result["caption"].startswith("Claude Monet")


async def test_no_preview_for_instant_pictures(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot(bot_previews=True, default_quality="instant")
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Claude Monet"), "Claude Monet")
    await nth_photo(tg, ANN)
    assert previews(tg, ANN) == []


async def test_previews_refine_in_place(tg: FakeTelegram, start_bot: StartBot) -> None:
    """Later previews replace the first one's image (no new messages); progress and Cancel
    stay in the progress message."""
    await start_bot(bot_previews=True, engine_steps=5000, preview_interval=0.1)
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Claude Monet"), "Claude Monet")
    edit = await tg.wait_for_call("editMessageMedia", lambda c: c.ok, timeout=60)
    [first] = previews(tg, ANN)
    assert edit.params["message_id"] == first["message_id"]
    assert edit.params["media"]["type"] == "photo"
    assert edit.params["media"]["caption"] == texts.PREVIEW_CAPTION
    status = await says(tg, ANN, "Stylising… ")
    assert texts.BTN_CANCEL in buttons(status)
    press(tg, status, texts.BTN_CANCEL)
    await says(tg, ANN, texts.JOB_CANCELLED)
    await tg.wait_until(lambda: tg.is_deleted(ANN, first["message_id"]))
    assert len(previews(tg, ANN)) == 1  # one message, edited


async def test_previews_are_throttled(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot(bot_previews=True, engine_steps=5000, preview_interval=30)
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Claude Monet"), "Claude Monet")
    await tg.wait_until(lambda: len(previews(tg, ANN)) == 1, timeout=60)
    status = await says(tg, ANN, "Stylising… ")
    press(tg, status, texts.BTN_CANCEL)
    await says(tg, ANN, texts.JOB_CANCELLED)
    assert tg.calls_to("editMessageMedia") == []  # not within 30 s of the first
