"""Groups (privacy mode: the bot sees commands and replies): /stylize as a reply or a caption,
menus only their owner may use, and two members who never mix."""

from __future__ import annotations

from bot import texts
from tests.bot.conftest import (
    ANN,
    BOB,
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


async def test_reply_to_a_photo_with_stylize(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    photo = tg.send_photo(GROUP, ANN, image_bytes(120, 90))
    tg.send_text(GROUP, BOB, "/stylize munch", reply_to=photo["message_id"])  # anyone may ask
    result = await nth_photo(tg, GROUP)
    assert painted(result, "Edvard Munch — The Scream", "48×36")
    assert result["reply_to_message"]["message_id"] == photo["message_id"]


async def test_caption_command_and_other_bots(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    tg.send_photo(GROUP, ANN, image_bytes(), caption="/stylize@OtherBot munch")  # not for us
    tg.send_text(GROUP, ANN, "/stylize munch")  # no photo to work on
    await says(tg, GROUP, texts.GROUP_USAGE)
    photo = tg.send_photo(GROUP, ANN, image_bytes(), caption="/stylize@StyleTestBot hokusai")
    result = await nth_photo(tg, GROUP)
    assert result["caption"].startswith("Katsushika Hokusai — The Great Wave off Kanagawa")
    assert result["reply_to_message"]["message_id"] == photo["message_id"]
    assert len(photos(tg, GROUP)) == 1
    tg.send_photo(GROUP, BOB, image_bytes(), reply_to=result["message_id"])  # no command
    await tg.wait_until(
        lambda: sum(m.get("text") == texts.GROUP_USAGE for m in tg.sent_messages(GROUP)) == 2
    )


async def test_menu_belongs_to_whoever_asked(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    photo = tg.send_photo(GROUP, ANN, image_bytes())
    tg.send_text(GROUP, ANN, "/stylize", reply_to=photo["message_id"])
    anns_menu = await menu(tg, GROUP, "Claude Monet")
    assert anns_menu["text"] == texts.CHOOSE_STYLE_GROUP.format(name="Ann")

    press(tg, anns_menu, "Claude Monet", BOB)
    notice = await tg.wait_for_call("answerCallbackQuery", lambda c: "text" in c.params)
    assert notice.params["text"] == texts.MENU_NOT_YOURS.format(name="Ann")
    assert not notice.params.get("show_alert")
    press(tg, anns_menu, texts.BTN_NEXT, BOB)  # not even the pages
    await tg.wait_until(lambda: len(tg.calls_to("answerCallbackQuery")) == 2)
    assert tg.message(GROUP, anns_menu["message_id"])["reply_markup"] == anns_menu["reply_markup"]

    press(tg, anns_menu, "Claude Monet", ANN)
    result = await nth_photo(tg, GROUP)
    assert result["caption"].startswith("Claude Monet — Water Lilies")
    assert result["reply_to_message"]["message_id"] == photo["message_id"]
    press(tg, result, texts.BTN_STRONGER, BOB)  # the re-run buttons are Ann's too
    await tg.wait_until(lambda: any(
        c.params.get("text") == texts.BUTTONS_NOT_YOURS.format(name="Ann")
        for c in tg.calls_to("answerCallbackQuery")
    ))  # fmt: skip


async def test_two_members_never_mix(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    anns = tg.send_photo(GROUP, ANN, image_bytes(120, 90))
    bobs = tg.send_photo(GROUP, BOB, image_bytes(90, 120))
    tg.send_text(GROUP, ANN, "/stylize", reply_to=anns["message_id"])
    anns_menu = await menu(tg, GROUP, "Vincent van Gogh")
    tg.send_text(GROUP, BOB, "/stylize", reply_to=bobs["message_id"])
    await tg.wait_until(lambda: len([m for m in tg.sent_messages(GROUP) if buttons(m)]) == 2)
    bobs_menu = [m for m in tg.sent_messages(GROUP) if buttons(m)][-1]
    assert bobs_menu["text"] == texts.CHOOSE_STYLE_GROUP.format(name="Bob")

    press(tg, bobs_menu, "Vincent van Gogh", BOB)
    bobs_result = await nth_photo(tg, GROUP)
    assert bobs_result["reply_to_message"]["message_id"] == bobs["message_id"]
    assert painted(bobs_result, "Vincent van Gogh — The Starry Night", "36×48")
    press(tg, anns_menu, "Claude Monet", ANN)  # Ann's menu still works, for Ann's photo
    anns_result = await nth_photo(tg, GROUP, 2)
    assert anns_result["reply_to_message"]["message_id"] == anns["message_id"]
    assert painted(anns_result, "Claude Monet — Water Lilies", "48×36")


async def test_style_photo_replying_to_the_content(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    content = tg.send_photo(GROUP, ANN, image_bytes(120, 90))
    tg.send_photo(GROUP, BOB, image_bytes(60, 60), caption="/stylize",
                  reply_to=content["message_id"])  # fmt: skip
    result = await nth_photo(tg, GROUP)
    assert painted(result, f"{texts.YOUR_STYLE}", "48×36")
    assert result["reply_to_message"]["message_id"] == content["message_id"]
