"""/privacy says what is kept and for how long; /forget deletes it all and says so."""

from __future__ import annotations

from pathlib import Path

from bot import texts
from bot.handlers import SERVICES
from tests.bot.conftest import (
    ANN,
    BOB,
    StartBot,
    buttons,
    image_bytes,
    input_files,
    menu,
    nth_photo,
    press,
    says,
)
from tests.bot.fakeapi import FakeTelegram


async def test_privacy_says_what_is_kept(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot(result_ttl=7200)
    tg.send_text(ANN, ANN, "/privacy")
    told = await says(tg, ANN, "What I keep, and for how long")
    assert "Finished pictures: 120 min," in told["text"] and "/forget" in told["text"]


async def test_forget_deletes_settings_drafts_jobs_and_files(
    tg: FakeTelegram, start_bot: StartBot, tmp_path: Path
) -> None:
    app = await start_bot(engine_steps=5000)
    s = app.bot_data[SERVICES]
    tg.send_text(ANN, ANN, "/language")
    press(tg, await menu(tg, ANN, "English"), "English")
    await says(tg, ANN, texts.LANGUAGE_SET)
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh")
    await says(tg, ANN, "Stylising… ", timeout=60)  # one job running
    tg.send_photo(ANN, ANN, image_bytes())
    await menu(tg, ANN, texts.BTN_OWN_STYLE)  # a second photo, waiting for its style
    assert len(s.drafts) == 1 and await s.store.language(ANN) == "en"
    tg.send_photo(BOB, BOB, image_bytes())  # someone else's request is left alone
    await menu(tg, BOB, "Vincent van Gogh")

    tg.send_text(ANN, ANN, "/forget")
    await says(tg, ANN, texts.FORGOTTEN)
    await says(tg, ANN, texts.JOB_CANCELLED, timeout=30)
    await tg.wait_until(lambda: input_files(tmp_path / "data") == [])
    assert await s.store.language(ANN) is None and await s.store.jobs_of(ANN) == []
    assert s.drafts.get(ANN, ANN) is None and s.drafts.get(BOB, BOB) is not None
    assert await s.service.active_of("telegram", str(ANN)) is None
    assert list((tmp_path / "data" / "blobs").glob("result-*")) == []


async def test_forget_removes_finished_results(
    tg: FakeTelegram, start_bot: StartBot, tmp_path: Path
) -> None:
    app = await start_bot()
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh")
    result = await nth_photo(tg, ANN)
    assert list((tmp_path / "data" / "blobs").glob("result-*"))
    tg.send_text(ANN, ANN, "/forget")
    await says(tg, ANN, texts.FORGOTTEN)
    assert list((tmp_path / "data" / "blobs").glob("result-*")) == []
    assert await app.bot_data[SERVICES].store.result(buttons(result)[texts.BTN_STRONGER]
                                                      .split(":")[1]) is None  # fmt: skip
    press(tg, result, texts.BTN_STRONGER)  # the re-run buttons no longer work
    told = await tg.wait_for_call("answerCallbackQuery", lambda c: "text" in c.params)
    assert told.params["text"] == texts.RESULT_GONE
