""" "Suggest a style" in the bot: the numbered sheet, its buttons, /suggest in groups, and the
picker's pages by category."""

from __future__ import annotations

from typing import Any

from bot import texts
from bot.handlers.common import SERVICES
from bot.i18n import gettext_for
from styles.catalog import default_catalog
from tests.bot.conftest import (
    ANN,
    BOB,
    GROUP,
    StartBot,
    buttons,
    image_bytes,
    menu,
    nth_photo,
    press,
    says,
)
from tests.bot.fakeapi import FakeTelegram

SHEET_WORDS = "the best fits first"


async def ranking(app: Any, sheet: dict[str, Any]) -> list[str]:
    """The slugs a sheet's numbers stand for, as the job service ranked them."""
    job_id = buttons(sheet)["★1"].split(":")[1]
    record = await app.bot_data[SERVICES].service.get(job_id)
    return [r.slug for r in record.result.ranking]


def painting(slug: str) -> str:
    return texts.painting_name(default_catalog().get(slug), "en")


async def test_suggest_then_a_number(tg: FakeTelegram, start_bot: StartBot) -> None:
    app = await start_bot()
    tg.send_photo(ANN, ANN, image_bytes(120, 90))
    press(tg, await menu(tg, ANN, texts.BTN_SUGGEST), texts.BTN_SUGGEST)
    sheet = await nth_photo(tg, ANN)
    assert SHEET_WORDS in sheet["caption"]
    numbers = [text for text in buttons(sheet) if text != texts.BTN_SURPRISE]
    count = len(default_catalog())
    assert numbers == ["★1", "★2", "★3", *map(str, range(4, count + 1))]
    ranked = await ranking(app, sheet)
    assert sorted(ranked) == sorted(e.slug for e in default_catalog())
    press(tg, sheet, "5")
    result = await nth_photo(tg, ANN, 2)
    assert result["caption"].split("\n")[0] == painting(ranked[4])
    assert texts.BTN_FULL_QUALITY in buttons(result)


async def test_surprise_me_picks_one_of_the_top_three(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    app = await start_bot()
    tg.send_photo(ANN, ANN, image_bytes(120, 90))
    press(tg, await menu(tg, ANN, texts.BTN_SUGGEST), texts.BTN_SUGGEST)
    sheet = await nth_photo(tg, ANN)
    top = {painting(slug) for slug in (await ranking(app, sheet))[:3]}
    press(tg, sheet, "★1", user_id=BOB)  # not Bob's sheet: nothing happens
    press(tg, sheet, texts.BTN_SURPRISE)
    result = await nth_photo(tg, ANN, 2)
    assert result["caption"].split("\n")[0] in top


async def test_suggest_as_a_reply_in_a_group(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    photo = tg.send_photo(GROUP, ANN, image_bytes(120, 90))
    tg.send_text(GROUP, ANN, "/suggest", reply_to=photo["message_id"])
    sheet = await nth_photo(tg, GROUP)
    assert SHEET_WORDS in sheet["caption"]
    assert sheet["reply_to_message"]["message_id"] == photo["message_id"]
    tg.send_text(GROUP, BOB, "/suggest")  # no photo to work on
    await says(tg, GROUP, texts.GROUP_USAGE)


async def test_picker_pages_by_category(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    tg.send_photo(ANN, ANN, image_bytes(120, 90))
    choose = await menu(tg, ANN, texts.BTN_NEXT)
    pages = len({e.category for e in default_catalog()}) + 1  # paintings take two pages
    assert f"Painting · 1/{pages}" in buttons(choose)
    press(tg, choose, texts.BTN_NEXT)
    await menu(tg, ANN, f"Painting · 2/{pages}")
    press(tg, await menu(tg, ANN, f"Painting · 2/{pages}"), texts.BTN_NEXT)
    third = await menu(tg, ANN, f"Ukiyo-e · 3/{pages}")
    ukiyo_e = {texts.button_label(e, "en") for e in default_catalog().by_category("ukiyo-e")}
    assert ukiyo_e <= set(buttons(third))


async def test_russian_sheet_and_buttons(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    ru = gettext_for("ru")
    tg.user(ANN, language_code="ru")
    tg.send_photo(ANN, ANN, image_bytes(120, 90))
    choose = await menu(tg, ANN, ru(texts.BTN_SUGGEST))
    assert any(label.startswith("Живопись · 1/") for label in buttons(choose))
    press(tg, choose, ru(texts.BTN_SUGGEST))
    sheet = await nth_photo(tg, ANN)
    assert "лучшие впереди" in sheet["caption"] and ru(texts.BTN_SURPRISE) in buttons(sheet)
