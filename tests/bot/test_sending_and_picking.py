"""Sending and picking: albums (content + style), files refused on arrival, "Show paintings",
/stylize alone, "my own style" in groups (ForceReply), /cancel answering once."""

from __future__ import annotations

from bot import texts
from bot.handlers.albums import ALBUM_WAIT
from tests.bot.conftest import (
    ANN,
    GROUP,
    StartBot,
    buttons,
    image_bytes,
    menu,
    nth_photo,
    painted,
    photos,
    press,
    says,
)
from tests.bot.fakeapi import FakeTelegram


async def test_album_of_two_is_content_and_style(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    content = tg.send_photo(ANN, ANN, image_bytes(120, 90), media_group_id="album-1")
    tg.send_photo(ANN, ANN, image_bytes(60, 60), media_group_id="album-1")
    result = await nth_photo(tg, ANN, timeout=30 + ALBUM_WAIT)
    assert painted(result, texts.YOUR_STYLE, "48×36")  # the first photo is the content
    assert result["reply_to_message"]["message_id"] == content["message_id"]
    assert not [m for m in tg.sent_messages(ANN) if texts.BTN_OWN_STYLE in buttons(m)]


async def test_bigger_album_is_explained(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    for _ in range(3):
        tg.send_photo(ANN, ANN, image_bytes(), media_group_id="album-2")
    await says(tg, ANN, texts.ALBUM_TOO_BIG.format(count=3))
    assert tg.calls_to("file") == []  # nothing downloaded
    tg.send_photo(ANN, ANN, image_bytes())  # and the next photo works as usual
    await menu(tg, ANN, "Vincent van Gogh")


async def test_heic_file_is_refused_on_arrival(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    tg.send_document(ANN, ANN, b"\x00\x00\x00\x18ftypheic" + bytes(100),
                     file_name="IMG_0001.HEIC", mime_type="image/heic")  # fmt: skip
    told = await says(tg, ANN, texts.UNSUPPORTED_IMAGE.format(kind="HEIC"))
    assert not buttons(told)  # no menu, no queue
    tg.send_document(ANN, ANN, b"<svg/>", file_name="logo.svg", mime_type="image/svg+xml")
    await says(tg, ANN, texts.UNSUPPORTED_IMAGE.format(kind="SVG"))
    assert tg.calls_to("file") == [] and tg.calls_to("getFile") == []


async def test_show_paintings_from_the_menu(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    tg.send_photo(ANN, ANN, image_bytes())
    choose = await menu(tg, ANN, texts.BTN_SHOW_PAINTINGS)
    press(tg, choose, texts.BTN_SHOW_PAINTINGS)
    sheet = await says(tg, ANN, texts.ARTISTS_CAPTION)
    assert "photo" in sheet
    press(tg, choose, "Vincent van Gogh")  # the menu still works
    assert painted(await nth_photo(tg, ANN, 2), "Vincent van Gogh — The Starry Night", "48×36")


async def test_stylize_alone_in_private_explains(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    tg.send_text(ANN, ANN, "/stylize")
    await says(tg, ANN, texts.PRIVATE_USAGE)
    assert [m for m in tg.sent_messages(ANN) if m.get("text") == texts.GROUP_USAGE] == []


async def test_own_style_in_a_group_asks_with_force_reply(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    content = tg.send_photo(GROUP, ANN, image_bytes(120, 90))
    tg.send_text(GROUP, ANN, "/stylize", reply_to=content["message_id"])
    press(tg, await menu(tg, GROUP, texts.BTN_OWN_STYLE), texts.BTN_OWN_STYLE)
    ask = await tg.wait_for_call("sendMessage", lambda c: "force_reply" in c.params.get(
        "reply_markup", {}))  # fmt: skip
    assert ask.params["reply_markup"]["selective"] is True
    asking = ask.result
    assert asking["text"] == texts.SEND_STYLE_PHOTO_GROUP.format(name="Ann")
    tg.send_photo(GROUP, ANN, image_bytes(60, 60), reply_to=asking["message_id"])
    result = await nth_photo(tg, GROUP)
    assert painted(result, texts.YOUR_STYLE, "48×36")
    assert result["reply_to_message"]["message_id"] == content["message_id"]


async def test_cancel_answers_once(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot(engine_steps=5000)
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh")
    await says(tg, ANN, "Stylising… ", timeout=60)
    before = len(tg.sent_messages(ANN))
    tg.send_text(ANN, ANN, "/cancel")
    await says(tg, ANN, texts.JOB_CANCELLED, timeout=30)  # the progress message says it
    tg.send_text(ANN, ANN, "/help")  # handled after /cancel (one person's updates in order)
    await says(tg, ANN, "How it works")
    assert len(tg.sent_messages(ANN)) == before + 1  # /help's answer, nothing for /cancel
    assert photos(tg, ANN) == []
