"""Running the bot: a wrong or revoked token, missing weights, one log line per job with no
personal data, and errors that never leave a button spinning."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot import texts
from bot.__main__ import main
from bot.app import BAD_TOKEN, TokenRefused, build_application, polling
from tests.bot.conftest import (
    ANN,
    StartBot,
    image_bytes,
    make_settings,
    menu,
    nth_photo,
    press,
    says,
)
from tests.bot.fakeapi import FakeTelegram
from tests.bot.test_main import bot_env
from tests.bot.test_settings import TOKEN, VARIABLES


def test_wrong_token_ends_with_one_line(tg: FakeTelegram, tmp_path: Path) -> None:
    env = {**bot_env(tg, tmp_path, steps=2), "TELEGRAM_BOT_TOKEN": TOKEN}  # not the fake's
    done = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == BAD_TOKEN
    assert "Traceback" not in done.stderr
    assert TOKEN not in done.stderr + done.stdout and "AAHsecret" not in done.stderr


def test_missing_weights_stop_start_up(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("ENGINE_DEVICE", "cpu")
    monkeypatch.setenv("STYLE_VGG19_WEIGHTS", str(tmp_path / "vgg19.bin"))
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("The engine's weights are missing: ") and "vgg19.bin" in error
    assert len(error.strip().splitlines()) == 1


async def test_one_log_line_per_job_without_personal_data(
    tg: FakeTelegram, start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await start_bot()
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh")
    await nth_photo(tg, ANN)
    await tg.wait_until(lambda: any("ended:" in r.getMessage() for r in caplog.records))
    [line] = [r.getMessage() for r in caplog.records if "ended:" in r.getMessage()]
    assert " kind=gallery quality=fast " in line and line.endswith("outcome=done")
    assert "user=" in line and str(ANN) not in line and "Ann" not in line
    every = "\n".join(r.getMessage() for r in caplog.records)
    assert str(ANN) not in every.replace(line, "")  # no chat or user ids anywhere


async def test_a_failing_button_is_answered(
    tg: FakeTelegram, start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    await start_bot()
    tg.send_text(ANN, ANN, "/help")
    help_message = await says(tg, ANN, "How it works")
    tg.press_button(ANN, ANN, help_message["message_id"], "set:not-a-user:q")  # breaks a step
    told = await tg.wait_for_call("answerCallbackQuery", lambda c: "text" in c.params)
    assert told.params["text"] == texts.SOMETHING_WRONG
    assert any(r.levelno == logging.ERROR for r in caplog.records)


async def test_polling_with_a_refused_token_raises_without_it(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    """What `make run` (the API with the bot as a companion) gets."""
    settings = make_settings(tg, tmp_path / "data", telegram_bot_token=TOKEN)
    with pytest.raises(TokenRefused) as refused:
        async with polling(build_application(settings)):
            pass
    assert str(refused.value) == BAD_TOKEN and refused.value.__cause__ is None
    assert TOKEN not in str(refused.value)
