"""`python -m bot` for real: start-up checks, polling the fake API, a clean stop on SIGINT,
and a killed process whose queued work is done after the restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest

from bot import texts
from bot.__main__ import main
from tests.bot.conftest import ANN, BOB, image_bytes, menu, nth_photo, press, says
from tests.bot.fakeapi import FakeTelegram
from tests.bot.test_settings import TOKEN, VARIABLES
from tests.helpers import ROOT


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
    monkeypatch.setattr("engine.devices.resolve_device", _no_such_device)
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.startswith("ENGINE_DEVICE: ")


def _no_such_device(name: str) -> None:
    from engine import EngineError

    raise EngineError(f"{name} is not available.")


def bot_env(tg: FakeTelegram, tmp_path: Path, steps: int, budget: float = 300) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    env.update(
        TELEGRAM_BOT_TOKEN=tg.token, TELEGRAM_API_BASE_URL=tg.base_url,
        TELEGRAM_FILE_BASE_URL=tg.file_base_url, DATA_DIR=str(tmp_path / "data"),
        ENGINE_DEVICE="cpu", ENGINE_SIZE="48", ENGINE_STEPS=str(steps), PROGRESS_INTERVAL="0.1",
        JOB_TIME_BUDGET=str(budget), LOG_LEVEL="DEBUG",
        PYTHONPATH=str(ROOT),  # this checkout's code, whatever the environment installed
    )  # fmt: skip
    return env


def start_process(
    env: dict[str, str], cwd: Path, stderr: IO[bytes], module: str = "bot"
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", module], cwd=cwd, env=env, stderr=stderr,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


async def test_polls_and_stops_cleanly_telling_the_user(tg: FakeTelegram, tmp_path: Path) -> None:
    log = tmp_path / "bot.log"
    with log.open("wb") as stderr:
        proc = start_process(bot_env(tg, tmp_path, steps=400), tmp_path, stderr)
        try:
            await tg.wait_for_call("setMyCommands", timeout=60)
            tg.send_text(ANN, ANN, "/start")
            await says(tg, ANN, "Send me a photo")
            tg.send_photo(ANN, ANN, image_bytes())
            press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh")
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


async def test_a_killed_bot_finishes_its_queue_after_a_restart(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    """SIGKILL (a crash, the OOM killer) mid-job: nobody is told, but nothing is lost."""
    with (tmp_path / "bot.log").open("wb") as stderr:
        proc = start_process(bot_env(tg, tmp_path, steps=5000), tmp_path, stderr)
        try:
            await tg.wait_for_call("setMyCommands", timeout=60)
            tg.send_photo(ANN, ANN, image_bytes())
            press(tg, await menu(tg, ANN, "Vincent van Gogh"), "Vincent van Gogh", ANN)
            await says(tg, ANN, "Stylising… ", timeout=60)
            tg.send_photo(BOB, BOB, image_bytes())
            press(tg, await menu(tg, BOB, "Claude Monet"), "Claude Monet", BOB)
            await says(tg, BOB, texts.QUEUED.format(position=1))
        finally:
            proc.kill()
            proc.wait(timeout=60)
        # A job keeps the parameters it was asked with; the time budget is the worker's.
        proc = start_process(bot_env(tg, tmp_path, steps=2, budget=1), tmp_path, stderr)
        try:
            ann, bob = await nth_photo(tg, ANN, timeout=60), await nth_photo(tg, BOB, timeout=60)
        finally:
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=60) == 0
    assert ann["caption"].startswith("Vincent van Gogh")
    assert bob["caption"].startswith("Claude Monet")
    blobs = [path.name for path in (tmp_path / "data" / "blobs").iterdir()]
    assert not [name for name in blobs if name.startswith("in-")]  # the photos are deleted
