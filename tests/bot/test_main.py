"""`python -m bot` for real: start-up checks, polling the fake API, a clean stop on SIGINT."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot import texts
from bot.__main__ import main
from tests.bot.conftest import ANN, image_bytes, menu, press, says
from tests.bot.fake_api import FakeTelegram
from tests.bot.test_settings import TOKEN, VARIABLES


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.mark.usefixtures("clean_env")
def test_unavailable_device_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("ENGINE_DEVICE", "mps")  # Apple GPUs only
    monkeypatch.setattr("bot.__main__.resolve_device", _no_such_device)
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.startswith("ENGINE_DEVICE: ")


def _no_such_device(name: str) -> None:
    from engine import EngineError

    raise EngineError(f"{name} is not available.")


async def test_polls_and_stops_cleanly_telling_the_user(tg: FakeTelegram, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    env.update(
        TELEGRAM_BOT_TOKEN=tg.token, TELEGRAM_API_BASE_URL=tg.base_url,
        TELEGRAM_FILE_BASE_URL=tg.file_base_url, DATA_DIR=str(tmp_path / "data"),
        ENGINE_DEVICE="cpu", ENGINE_SIZE="48", ENGINE_STEPS="400", PROGRESS_INTERVAL="0.1",
        LOG_LEVEL="DEBUG",
    )  # fmt: skip
    log = tmp_path / "bot.log"
    with log.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=tmp_path, env=env, stderr=stderr,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            await tg.wait_for_call("setMyCommands", timeout=60)
            tg.send_text(ANN, ANN, "/start")
            await says(tg, ANN, "Send me a photo")
            tg.send_photo(ANN, ANN, image_bytes())
            press(tg, await menu(tg, ANN, "Edvard Munch"), "Edvard Munch")
            await says(tg, ANN, "Stylising… ", timeout=60)
            proc.send_signal(signal.SIGINT)  # what Ctrl+C or `docker stop` does
            assert proc.wait(timeout=60) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
    await says(tg, ANN, texts.PAUSED_FOR_RESTART)  # the running job's user was told
    output = log.read_text()
    assert tg.token not in output  # not even at DEBUG
    assert "is up" in output and "Traceback" not in output
