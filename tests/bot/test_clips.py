"""Clips as content: a video, an animation, a round video note or a video file, painted and
sent back as a clip; refused early (by what Telegram tells, then by the engine's probe),
never as a style, never queued when refused."""

from __future__ import annotations

import logging
from pathlib import Path

import av
import pytest

from bot import texts
from bot.handlers import SERVICES
from bot.i18n import gettext_for
from tests import clips
from tests.bot.conftest import (
    ANN,
    BOB,
    GROUP,
    Message,
    StartBot,
    buttons,
    image_bytes,
    input_files,
    menu,
    painted,
    press,
    says,
)
from tests.bot.fakeapi import FakeTelegram

ARTIST = "Vincent van Gogh"
STARRY = f"{ARTIST} — The Starry Night"
FPS = 6  # frames a second: few frames, so a clip job takes a second or two on a CPU
SIZE = "48×32"  # what the tests' engine size (48 px) makes of the 96×64 clips


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bot-clips")


@pytest.fixture(scope="module")
def video(folder: Path) -> bytes:
    return clips.pan(folder / "pan.mp4", fps=FPS).read_bytes()


@pytest.fixture(scope="module")
def silent(folder: Path) -> bytes:
    return clips.pan(folder / "silent.mp4", fps=FPS, tone=False).read_bytes()


async def sent(tg: FakeTelegram, chat_id: int, kind: str, timeout: float = 60) -> Message:
    """The first clip of `kind` ("video", "animation") the bot has sent to the chat."""
    return await tg.wait_for_message(chat_id, lambda m: kind in m, timeout=timeout)


def frames_and_sound(
    tg: FakeTelegram, message: Message, kind: str, folder: Path
) -> tuple[int, bool]:
    path = folder / f"{message['message_id']}-{kind}.mp4"
    path.write_bytes(tg.file_bytes(message[kind]["file_id"]))
    with av.open(str(path)) as clip:
        frames = sum(1 for _ in clip.decode(video=0))
        return frames, bool(clip.streams.audio)


async def test_a_video_comes_back_painted_with_its_caption(
    tg: FakeTelegram, start_bot: StartBot, video: bytes, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    caplog.set_level(logging.INFO, logger="bot.delivery")
    await start_bot()
    asked = tg.send_video(ANN, ANN, video, duration=1, size=(96, 64))
    choose = await menu(tg, ANN, ARTIST)
    assert texts.BTN_SUGGEST not in buttons(choose)  # suggestions are tried on photos
    press(tg, choose, ARTIST)
    result = await sent(tg, ANN, "video")
    assert painted(result, STARRY, SIZE)
    assert texts.QUALITY_NAMES["instant"] in result["caption"]  # the clip quality, not "fast"
    assert "1 s, 6 frames" in result["caption"]
    assert result["reply_to_message"]["message_id"] == asked["message_id"]
    assert tg.calls_to("sendVideo")[0].params.get("supports_streaming") is True
    assert frames_and_sound(tg, result, "video", tmp_path) == (FPS, True)
    assert set(buttons(result)) == {texts.BTN_ANOTHER_ARTIST, texts.BTN_STRONGER,
                                    texts.BTN_WEAKER, texts.BTN_KEEP_COLORS}  # fmt: skip
    await tg.wait_until(lambda: "kind=video" in caplog.text)
    assert "quality=instant" in caplog.text


async def test_an_animation_comes_back_as_an_animation(
    tg: FakeTelegram, start_bot: StartBot, silent: bytes, tmp_path: Path
) -> None:
    await start_bot(bot_previews=True)
    tg.send_animation(ANN, ANN, silent)
    press(tg, await menu(tg, ANN, ARTIST), ARTIST)
    result = await sent(tg, ANN, "animation")
    assert painted(result, STARRY, SIZE)
    assert frames_and_sound(tg, result, "animation", tmp_path) == (FPS, False)
    assert tg.calls_to("sendVideo") == []
    assert tg.calls_to("sendPhoto") == []  # no first look: clips are painted at once


async def test_stronger_under_a_clip_paints_it_again(
    tg: FakeTelegram, start_bot: StartBot, video: bytes
) -> None:
    await start_bot()
    tg.send_video(ANN, ANN, video, duration=1)
    press(tg, await menu(tg, ANN, ARTIST), ARTIST)
    first = await sent(tg, ANN, "video")
    assert "50%" in first["caption"]
    press(tg, first, texts.BTN_STRONGER)
    await tg.wait_until(lambda: len(tg.calls_to("sendVideo")) == 2, timeout=60)
    again = [m for m in tg.sent_messages(ANN) if "video" in m][-1]
    assert painted(again, STARRY, SIZE) and "75%" in again["caption"]
    assert again["reply_to_message"]["message_id"] == first["reply_to_message"]["message_id"]


async def test_a_video_note_comes_back_as_a_video_with_its_caption(
    tg: FakeTelegram, start_bot: StartBot, folder: Path
) -> None:
    await start_bot()
    round_clip = clips.pan(folder / "round.mp4", fps=FPS, size=(64, 64)).read_bytes()
    tg.send_video_note(ANN, ANN, round_clip)
    tg.send_text(ANN, ANN, "munch")  # typed, like for a photo
    result = await sent(tg, ANN, "video")
    assert painted(result, "Edvard Munch — The Scream", "48×48")


async def test_a_clip_over_the_limits_is_refused_on_arrival(
    tg: FakeTelegram, start_bot: StartBot, video: bytes
) -> None:
    await start_bot()
    tg.send_video(ANN, ANN, video, duration=45)  # Telegram tells its length
    await says(tg, ANN, texts.CLIP_TOO_LONG.format(seconds=20))
    tg.send_video(ANN, ANN, video, declared_size=21 * 1024 * 1024)
    await says(tg, ANN, texts.CLIP_TOO_BIG.format(mb=20))
    assert tg.calls_to("getFile") == []  # nothing was downloaded


@pytest.mark.parametrize("case", ["too long", "damaged"])
async def test_a_bad_clip_is_refused_before_it_is_queued(
    tg: FakeTelegram, start_bot: StartBot, video: bytes, tmp_path: Path, case: str
) -> None:
    """A file's length is unknown until it is probed; a damaged clip shows only then."""
    app = await start_bot()
    clip = tmp_path / "clip.mp4"
    if case == "too long":
        clips.ten_minutes(clip)
    else:
        clips.truncated(clip, clips.pan(tmp_path / "whole.mp4", fps=FPS))
    tg.send_document(ANN, ANN, clip.read_bytes(), file_name="clip.mp4", mime_type="video/mp4")
    choose = await menu(tg, ANN, ARTIST)
    assert texts.BTN_SUGGEST not in buttons(choose)
    press(tg, choose, ARTIST)
    expected = texts.CLIP_TOO_LONG.format(seconds=20) if case == "too long" else texts.CLIP_DAMAGED
    told = await says(tg, ANN, expected)
    assert told["text"].startswith(STARRY) and not buttons(told)
    service = app.bot_data[SERVICES].service
    assert await service.unsettled("telegram") == [] and input_files(tmp_path / "data") == []
    tg.send_video(ANN, ANN, video, duration=1)  # the next clip works
    press(tg, await menu(tg, ANN, ARTIST), ARTIST)
    assert painted(await sent(tg, ANN, "video"), STARRY, SIZE)


async def test_a_clip_is_never_a_style(tg: FakeTelegram, start_bot: StartBot, video: bytes) -> None:
    await start_bot()
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, texts.BTN_OWN_STYLE), texts.BTN_OWN_STYLE)
    await says(tg, ANN, texts.SEND_STYLE_PHOTO)
    tg.send_video(ANN, ANN, video, duration=1)
    await says(tg, ANN, texts.NOT_A_STYLE)
    assert tg.calls_to("getFile") == []


async def test_suggest_for_a_clip_offers_the_artists(
    tg: FakeTelegram, start_bot: StartBot, video: bytes
) -> None:
    await start_bot()
    tg.send_video(ANN, ANN, video, caption="/suggest", duration=1)
    await says(tg, ANN, texts.CLIP_NO_SUGGEST)
    await menu(tg, ANN, ARTIST)


async def test_reply_to_a_video_with_stylize_in_a_group(
    tg: FakeTelegram, start_bot: StartBot, video: bytes
) -> None:
    await start_bot()
    clip = tg.send_video(GROUP, ANN, video, duration=1, size=(96, 64))
    tg.send_text(GROUP, BOB, "/stylize munch", reply_to=clip["message_id"])
    result = await sent(tg, GROUP, "video")
    assert painted(result, "Edvard Munch — The Scream", SIZE)
    assert result["reply_to_message"]["message_id"] == clip["message_id"]


async def test_a_refusal_in_russian(tg: FakeTelegram, start_bot: StartBot, video: bytes) -> None:
    tg.user(ANN, first_name="Аня", language_code="ru")
    await start_bot()
    tg.send_video(ANN, ANN, video, duration=60)
    russian = gettext_for("ru")(texts.CLIP_TOO_LONG)
    assert russian != texts.CLIP_TOO_LONG
    await says(tg, ANN, russian.format(seconds=20))
