"""Re-running a result with its buttons (also after a restart), /settings, /artists."""

from __future__ import annotations

from pathlib import Path

from bot import texts
from bot.app import build_application
from tests.bot.conftest import (
    ANN,
    StartBot,
    buttons,
    image_bytes,
    make_settings,
    menu,
    nth_photo,
    painted,
    press,
    running,
    says,
)
from tests.bot.fakeapi import FakeTelegram


async def test_rerun_buttons(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    photo = tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh")
    first = await nth_photo(tg, ANN)

    press(tg, first, texts.BTN_STRONGER)  # no need to send the photo again
    stronger = await nth_photo(tg, ANN, 2)
    assert painted(stronger, "Vincent van Gogh — The Starry Night", "48×36")
    assert stronger["reply_to_message"]["message_id"] == photo["message_id"]
    assert texts.BTN_STRONGER in buttons(stronger)  # 0.75: one more step is possible
    assert tg.file_bytes(stronger["photo"][-1]["file_id"]) != tg.file_bytes(
        first["photo"][-1]["file_id"]
    )

    press(tg, stronger, texts.BTN_ANOTHER_ARTIST)
    choose = await says(tg, ANN, texts.CHOOSE_STYLE)
    press(tg, choose, "Claude Monet")
    monet = await nth_photo(tg, ANN, 3)
    assert painted(monet, "Claude Monet — Water Lilies", "48×36")
    assert monet["reply_to_message"]["message_id"] == photo["message_id"]


async def test_settings_and_results_survive_a_restart(tg: FakeTelegram, tmp_path: Path) -> None:
    settings = make_settings(tg, tmp_path / "data")
    async with running(build_application(settings)):
        tg.send_text(ANN, ANN, "/settings")
        panel = await menu(tg, ANN, "High")
        assert "Quality: Fast" in panel["text"] and "✓ Fast" in buttons(panel)
        press(tg, panel, "High")
        await tg.wait_until(lambda: "✓ High" in buttons(tg.message(ANN, panel["message_id"])))
        press(tg, panel, "Stronger")
        await tg.wait_until(lambda: "✓ Stronger" in buttons(tg.message(ANN, panel["message_id"])))
        tg.send_photo(ANN, ANN, image_bytes())
        press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh")
        result = await nth_photo(tg, ANN)
        assert texts.BTN_HIGHER_QUALITY not in buttons(result)  # already "high"

    async with running(build_application(settings)):  # a restart, same DATA_DIR
        tg.send_text(ANN, ANN, "/settings")
        await says(tg, ANN, "Quality: High · Style strength: Stronger · Original colours: off")
        press(tg, result, texts.BTN_KEEP_COLORS)  # a button from before the restart
        again = await nth_photo(tg, ANN, 2)
        assert again["caption"].startswith("Vincent van Gogh — The Starry Night")
        assert texts.BTN_STYLE_COLORS in buttons(again)


async def test_artists_sheet_is_uploaded_once(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    tg.send_text(ANN, ANN, "/artists")
    sheet = await says(tg, ANN, texts.ARTISTS_CAPTION)
    assert "photo" in sheet and sheet["photo"][-1]["width"] >= 512
    tg.send_text(ANN, ANN, "/artists")
    await tg.wait_until(lambda: len(tg.calls_to("sendPhoto", ANN)) == 2)
    first, second = tg.calls_to("sendPhoto", ANN)
    assert first.files and not second.files  # the second time by file_id
    assert second.params["photo"] == sheet["photo"][-1]["file_id"]
