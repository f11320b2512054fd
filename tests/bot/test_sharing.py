"""Sharing: the result's caption and its "Full quality" file, the deep link that opens the bot
with a painting picked, and inline mode ("@bot monet" in any chat)."""

from __future__ import annotations

from bot import texts
from bot.handlers import SERVICES
from bot.keyboards import artist_link
from tests.bot.conftest import (
    ANN,
    BOB,
    StartBot,
    buttons,
    decode,
    image_bytes,
    menu,
    nth_photo,
    painted,
    press,
    says,
)
from tests.bot.fakeapi import FakeTelegram

MUNCH_LINK = "https://t.me/StyleTestBot?start=artist_munch"


async def test_caption_links_the_painting_and_full_quality_sends_the_file(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    tg.send_photo(ANN, ANN, image_bytes(120, 90))
    press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh")
    result = await nth_photo(tg, ANN)
    assert painted(result, "Vincent van Gogh — The Starry Night", "48×36")
    name, details, link = result["caption"].split("\n")
    assert details.startswith("Quality: Fast · strength 50% · 48×36 · ")
    assert link == texts.SHARE_STYLE
    [entity] = result["caption_entities"]
    assert entity["type"] == "text_link"
    assert entity["url"] == artist_link("StyleTestBot", "van-gogh")
    assert entity["offset"] == len(f"{name}\n{details}\n".encode("utf-16-le")) // 2
    assert [m for m in tg.sent_messages(ANN) if "document" in m] == []  # sent as a photo

    press(tg, result, texts.BTN_FULL_QUALITY, BOB)  # anyone who sees the picture may ask
    full = await tg.wait_for_message(ANN, lambda m: "document" in m)
    assert full["document"]["file_name"].endswith(".png")
    assert decode(tg, full).size == (48, 36)
    assert full["reply_to_message"]["message_id"] == result["message_id"]


async def test_full_quality_after_the_result_expired(tg: FakeTelegram, start_bot: StartBot) -> None:
    app = await start_bot()
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh")
    result = await nth_photo(tg, ANN)
    job_id = buttons(result)[texts.BTN_FULL_QUALITY].split(":")[1]
    assert await app.bot_data[SERVICES].service.forget(job_id)  # as RESULT_TTL would
    press(tg, result, texts.BTN_FULL_QUALITY)
    told = await tg.wait_for_call("answerCallbackQuery", lambda c: "text" in c.params)
    assert told.params["text"] == texts.FULL_QUALITY_GONE and told.params["show_alert"]


async def test_deep_link_picks_the_painting_for_the_next_photo(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    tg.send_text(ANN, ANN, "/start artist_munch")
    welcome = await says(tg, ANN, "Edvard Munch — The Scream it is.")
    assert "photo" in welcome  # the painting itself
    tg.send_photo(ANN, ANN, image_bytes())
    result = await nth_photo(tg, ANN, 2)  # no menu: straight to work
    assert painted(result, "Edvard Munch — The Scream", "48×36")
    assert not [m for m in tg.sent_messages(ANN) if texts.BTN_OWN_STYLE in buttons(m)]
    tg.send_photo(ANN, ANN, image_bytes())  # the pick was for one photo
    await menu(tg, ANN, "Vincent van Gogh")


async def test_deep_link_with_a_photo_waiting_and_an_unknown_painting(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    tg.send_photo(ANN, ANN, image_bytes())
    await menu(tg, ANN, "Claude Monet")
    tg.send_text(ANN, ANN, "/start artist_monet")  # the waiting photo takes it
    assert painted(await nth_photo(tg, ANN), "Claude Monet — Water Lilies", "48×36")
    tg.send_text(ANN, ANN, "/start artist_no-such-painting")
    await says(tg, ANN, "Send me a photo")


async def test_inline_mode_lists_paintings_and_shares_one(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    asked = tg.send_inline_query(BOB, "klimt")
    await tg.wait_for_call("answerInlineQuery")
    results = tg.inline_answers[asked["inline_query"]["id"]]
    assert [r["id"] for r in results] == ["klimt", "klimt-tree-of-life"]
    assert results[0]["type"] == "article"  # no PUBLIC_BASE_URL: text results
    posted = tg.post_inline_result(-777, BOB, asked["inline_query"]["id"], "klimt")
    [[button]] = posted["reply_markup"]["inline_keyboard"]
    assert button == {"text": texts.BTN_TRY_STYLE,
                      "url": "https://t.me/StyleTestBot?start=artist_klimt"}  # fmt: skip
    assert posted["text"].startswith("🎨 Gustav Klimt — The Kiss")

    tg.user(ANN, language_code="ru")
    typo = tg.send_inline_query(ANN, "ван гог")
    await tg.wait_until(lambda: typo["inline_query"]["id"] in tg.inline_answers)
    [van_gogh] = tg.inline_answers[typo["inline_query"]["id"]]
    assert van_gogh["title"].startswith("Винсент Ван Гог — Звёздная ночь")


async def test_inline_photos_with_a_public_address(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot(public_base_url="https://styles.example.com")
    asked = tg.send_inline_query(ANN, "munch")
    await tg.wait_for_call("answerInlineQuery")
    [munch] = tg.inline_answers[asked["inline_query"]["id"]]
    assert munch["type"] == "photo"
    assert munch["photo_url"] == "https://styles.example.com/v1/styles/munch/thumbnail"
    assert munch["reply_markup"]["inline_keyboard"][0][0]["url"] == MUNCH_LINK
    nothing = tg.send_inline_query(ANN, "zzzzqqq")
    await tg.wait_until(lambda: nothing["inline_query"]["id"] in tg.inline_answers)
    [hint] = tg.inline_answers[nothing["inline_query"]["id"]]
    assert hint["title"] == texts.INLINE_NOTHING
