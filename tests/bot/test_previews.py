"""The first look: the instant image arrives as a photo while the job refines it, and makes
way for the result."""

from __future__ import annotations

from bot import texts
from tests.bot.conftest import ANN, StartBot, image_bytes, menu, nth_photo, press
from tests.bot.fake_api import FakeTelegram


def previews(tg: FakeTelegram, chat_id: int) -> list[dict[str, object]]:
    return [m for m in tg.sent_messages(chat_id, include_deleted=True)
            if m.get("caption") == texts.PREVIEW_CAPTION]  # fmt: skip


async def test_first_look_then_the_result(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot(bot_previews=True)
    sent = tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Claude Monet"), "Claude Monet")
    result = await nth_photo(tg, ANN)
    [first] = previews(tg, ANN)
    assert first["reply_to_message"]["message_id"] == sent["message_id"]  # type: ignore[index]
    assert tg.is_deleted(ANN, first["message_id"])  # the result took its place
    assert result["caption"].startswith("Claude Monet")


async def test_no_preview_for_instant_pictures(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot(bot_previews=True, default_quality="instant")
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Claude Monet"), "Claude Monet")
    await nth_photo(tg, ANN)
    assert previews(tg, ANN) == []
