"""Bad weather between the bot and Telegram: flood limits, server errors, hanging downloads,
a user who blocks the bot at the last moment, edits that change nothing. The picture still
arrives (or the user is told why not), nothing is logged as an error, the worker goes on.

PTB 22 turns HTTP 400 into BadRequest (final), 403 into Forbidden, 429 into RetryAfter (the
rate limiter waits and retries) and any other 5xx into NetworkError, which the application's
rate limiter and file downloads retry with backoff (bot/ratelimit.py, with_retries).
"""

from __future__ import annotations

import logging

import pytest

from bot import ratelimit, texts
from tests.bot.conftest import (
    ANN,
    BOB,
    StartBot,
    image_bytes,
    menu,
    nth_photo,
    photos,
    press,
    says,
)
from tests.bot.fakeapi import BLOCKED, NOT_MODIFIED, FakeTelegram

ARTIST = "Vincent van Gogh"


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Network retries back off for 10 ms instead of half a second (the count is the same)."""
    monkeypatch.setattr(ratelimit, "NETWORK_RETRY_DELAY", 0.01)


def no_errors_logged(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not bad, [f"{r.name}: {r.getMessage()}" for r in bad]


def statuses(tg: FakeTelegram, method: str) -> list[int]:
    return [c.status for c in tg.calls_to(method)]


async def request_a_picture(tg: FakeTelegram, user: int = ANN, artist: str = ARTIST) -> None:
    tg.send_photo(user, user, image_bytes(120, 90))
    press(tg, await menu(tg, user, artist), artist, user)


@pytest.mark.parametrize("method", ["sendMessage", "editMessageText", "sendPhoto"])
async def test_flood_control_is_waited_out(
    tg: FakeTelegram, start_bot: StartBot, caplog: pytest.LogCaptureFixture, method: str
) -> None:
    """429 with retry_after on the menu, the first status edit or the result upload."""
    await start_bot()
    tg.fail(method, retry_after=1)
    await request_a_picture(tg)
    result = await nth_photo(tg, ANN)
    assert result["caption"].startswith(ARTIST)
    refused, retried = tg.calls_to(method)[:2]
    assert (refused.status, retried.status) == (429, 200)
    assert retried.time - refused.time >= 1.0  # it waited as told
    no_errors_logged(caplog)


@pytest.mark.parametrize("method", ["sendPhoto", "editMessageText", "getFile", "file"])
@pytest.mark.usefixtures("quick_retries")
async def test_server_errors_are_retried(
    tg: FakeTelegram, start_bot: StartBot, caplog: pytest.LogCaptureFixture, method: str
) -> None:
    """500, 502 and 503 in a row: three retries are allowed, the fourth attempt gets through."""
    await start_bot()
    for status, description in [(500, "Internal Server Error"), (502, "Bad Gateway"),
                                (503, "Service Unavailable")]:  # fmt: skip
        tg.fail(method, status=status, description=description)
    await request_a_picture(tg)
    result = await nth_photo(tg, ANN)
    assert result["caption"].startswith(ARTIST)
    assert statuses(tg, method)[:4] == [500, 502, 503, 200]
    assert len(photos(tg, ANN)) == 1
    assert "retrying" in caplog.text  # each failed attempt is a warning, not an error
    no_errors_logged(caplog)


@pytest.mark.usefixtures("quick_retries")
async def test_upload_failing_past_the_retries_runs_the_job_again(
    tg: FakeTelegram, start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Four 503s use up the rate limiter's retries: that run fails, the queue runs it again."""
    await start_bot(job_retry_delay=0)
    tg.fail("sendPhoto", status=503, description="Service Unavailable", times=4)
    await request_a_picture(tg)
    result = await nth_photo(tg, ANN)
    assert result["caption"].startswith(ARTIST)
    assert statuses(tg, "sendPhoto") == [503, 503, 503, 503, 200]
    edits = [c.params["text"] for c in tg.calls_to("editMessageText", ANN)]
    assert any(texts.RETRYING in text for text in edits)  # the user saw it was retried
    no_errors_logged(caplog)


@pytest.mark.usefixtures("quick_retries")
async def test_upload_that_never_gets_through_is_explained(
    tg: FakeTelegram, start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    await start_bot(job_retry_delay=0, job_attempts=2)
    tg.fail("sendPhoto", status=503, description="Service Unavailable", times=None)
    await request_a_picture(tg)
    await says(tg, ANN, texts.GAVE_UP.format(attempts=2), timeout=30)
    assert statuses(tg, "sendPhoto") == [503] * 8  # 2 runs, 4 attempts each
    assert photos(tg, ANN) == []
    no_errors_logged(caplog)

    tg.clear_faults()  # Telegram is back: so is the bot
    await request_a_picture(tg)
    result = await nth_photo(tg, ANN)
    assert result["caption"].startswith(ARTIST)


async def test_a_file_gone_from_telegram_is_explained(
    tg: FakeTelegram, start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    """A file path that no longer works: 404, which PTB raises as InvalidToken. Final."""
    await start_bot()
    tg.fail("file", status=404, description="Not Found")
    await request_a_picture(tg)
    await says(tg, ANN, texts.DOWNLOAD_FAILED)
    assert statuses(tg, "file") == [404]  # not retried: it can't help
    no_errors_logged(caplog)


@pytest.mark.usefixtures("quick_retries")
async def test_download_hanging_past_the_read_timeout_is_retried(
    tg: FakeTelegram, start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Downloads use PTB's default read timeout (HTTPXRequest: 5 s): one hang costs one retry."""
    app = await start_bot()
    read_timeout = app.bot.request.read_timeout
    assert read_timeout is not None and read_timeout <= 10  # else a hang would never end
    tg.delay("file", read_timeout + 0.5)
    await request_a_picture(tg)
    result = await nth_photo(tg, ANN, timeout=read_timeout + 20)
    assert result["caption"].startswith(ARTIST)
    assert "file download failed (Timed out)" in caplog.text
    await tg.wait_until(lambda: len(tg.calls_to("file")) == 2)  # the hung one ends late
    no_errors_logged(caplog)


async def test_blocked_just_when_the_picture_is_ready(
    tg: FakeTelegram, start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Ann blocks the bot while her picture is made: it is dropped quietly, Bob's comes next."""
    caplog.set_level(logging.INFO)
    await start_bot(engine_steps=400, job_time_budget=2)  # each job stops early, at 2 s
    tg.fail("sendPhoto", status=403, description=BLOCKED, chat_id=ANN)
    await request_a_picture(tg, ANN)
    await says(tg, ANN, "Stylising… ")
    await request_a_picture(tg, BOB, "Claude Monet")  # queued, or next once Ann's is done

    result = await nth_photo(tg, BOB)
    assert result["caption"].startswith("Claude Monet")
    assert statuses(tg, "sendPhoto") == [403, 200]
    assert photos(tg, ANN) == [] and tg.calls_to("sendDocument") == []
    assert "bot was blocked by the user" in caplog.text
    no_errors_logged(caplog)


async def test_message_not_modified_is_harmless(
    tg: FakeTelegram, start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Every edit answers "message is not modified"; the picture still comes."""
    await start_bot(engine_steps=20)  # long enough for some progress edits
    tg.fail("editMessageText", status=400, description=NOT_MODIFIED, times=None)
    await request_a_picture(tg)
    result = await nth_photo(tg, ANN)
    assert result["caption"].startswith(ARTIST)
    assert statuses(tg, "editMessageText").count(400) >= 2  # the menu's and the job's
    assert set(statuses(tg, "editMessageText")) == {400}
    no_errors_logged(caplog)


@pytest.mark.usefixtures("quick_retries")
async def test_a_failed_full_quality_file_does_not_send_the_photo_twice(
    tg: FakeTelegram, start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Sent as a file: photo, then file. The file never gets through; the photo has arrived,
    so the job is over (a second run would send the photo again)."""
    await start_bot(job_retry_delay=0.05)
    tg.fail("sendDocument", status=500, times=None)
    tg.send_document(ANN, ANN, image_bytes(), file_name="cat.jpg")
    press(tg, await menu(tg, ANN, ARTIST), ARTIST)
    await nth_photo(tg, ANN)
    await tg.wait_until(lambda: "full-quality file not sent" in caplog.text)
    status_id = tg.calls_to("editMessageText")[0].params["message_id"]
    await tg.wait_until(lambda: tg.is_deleted(ANN, status_id))  # the job ended normally
    assert len(photos(tg, ANN)) == 1
    no_errors_logged(caplog)
