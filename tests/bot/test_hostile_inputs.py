"""Odd and hostile image files sent as documents: each one ends with a picture or a short
message naming the problem, and the bot carries on as if nothing happened.

The files are made here with Pillow (or by hand); the bot runs against the fake Bot API with
the tiny engine (48 px, 2 steps per scale).
"""

from __future__ import annotations

import io
import logging
import struct
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from PIL import Image

from bot import texts
from tests.bot.conftest import (
    ANN,
    StartBot,
    buttons,
    decode,
    image_bytes,
    menu,
    nth_photo,
    painted,
    photos,
    press,
    says,
)
from tests.bot.fakeapi import FakeTelegram
from tests.helpers import SAMPLES

ARTIST = "Vincent van Gogh"
SIZE = 48  # the tiny engine's long side


def cat(width: int = 80, height: int = 60) -> Image.Image:
    """A real photo (the bundled cat, resized), so the engine has something to work on."""
    with Image.open(SAMPLES / "cat.jpg") as im:
        return im.convert("RGB").resize((width, height))


def encoded(image: Image.Image, fmt: str, **options: Any) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **options)
    return buf.getvalue()


def animated(fmt: str) -> bytes:
    frames = [cat(64, 48), cat(64, 48).rotate(180), Image.new("RGB", (64, 48), (0, 90, 200))]
    return encoded(frames[0], fmt, save_all=True, append_images=frames[1:], duration=80, loop=0)


def sixteen_bit_grey() -> bytes:
    grey = np.asarray(cat(60, 40).convert("L"), dtype=np.uint16) * 257
    image = Image.fromarray(grey)
    assert image.mode == "I;16"
    return encoded(image, "PNG")


def rgba_with_holes() -> bytes:
    image = cat(60, 40).convert("RGBA")
    image.paste((0, 0, 0, 0), (0, 0, 30, 40))  # the left half fully transparent
    return encoded(image, "PNG")


def palette_with_transparency() -> bytes:
    image = cat(60, 40).quantize(16)
    assert image.mode == "P"
    return encoded(image, "PNG", transparency=0)


def rotated_by_exif() -> bytes:
    """Stored 120×60 (landscape) with Orientation 6: upright it is 60×120, a portrait."""
    exif = Image.Exif()
    exif[0x0112] = 6
    return encoded(cat(120, 60), "JPEG", exif=exif.tobytes(), quality=90)


def corrupt_exif() -> bytes:
    """A fine JPEG whose EXIF block (APP1) is garbage: the EXIF is ignored, not the photo."""
    data = encoded(cat(60, 40), "JPEG")
    payload = b"Exif\x00\x00MM\x00*" + struct.pack(">IH", 8, 50) + b"\x01\x12\x00\x03"
    app1 = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + app1 + data[2:]  # right after the SOI marker


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


HTML = b"<!DOCTYPE html><html><head><title>Not a photo</title></head><body>hi</body></html>\n"
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(200)  # no decoder here

# (file bytes, file name, MIME type, what the user is told)
REFUSED: dict[str, tuple[Callable[[], bytes], str, str, str]] = {
    "zero bytes": (lambda: b"", "empty.jpg", "image/jpeg", "The file is empty"),
    "html as png": (lambda: HTML, "photo.png", "image/png", "doesn't look like an image"),
    "truncated jpeg": (
        lambda: truncated(image_bytes(200, 150)), "cut.jpg", "image/jpeg",
        "damaged or incomplete",
    ),
    "truncated png": (
        lambda: truncated(encoded(cat(), "PNG")), "cut.png", "image/png", "damaged or incomplete",
    ),
    "1x1": (lambda: encoded(cat(1, 1), "PNG"), "dot.png", "image/png", "too small (1×1)"),
    "1x5000 strip": (
        lambda: encoded(cat(1, 5000), "PNG"), "strip.png", "image/png",
        "too long and thin (1×5000)",
    ),
    # Named and typed as a JPEG, so only the engine finds out (a .HEIC is refused on arrival).
    "heic as jpeg": (lambda: HEIC, "IMG_0001.jpg", "image/jpeg", "HEIC/HEIF images are not"),
}  # fmt: skip

# (file bytes, file name, MIME type, upright size of the picture inside)
ACCEPTED: dict[str, tuple[Callable[[], bytes], str, str, tuple[int, int]]] = {
    "16-bit grey png": (sixteen_bit_grey, "grey16.png", "image/png", (60, 40)),
    "cmyk jpeg": (
        lambda: encoded(cat(60, 40).convert("CMYK"), "JPEG"), "print.jpg", "image/jpeg", (60, 40),
    ),
    "rgba png": (rgba_with_holes, "cutout.png", "image/png", (60, 40)),
    "palette png with transparency": (
        palette_with_transparency, "sticker.png", "image/png", (60, 40),
    ),
    "animated gif": (lambda: animated("GIF"), "loop.gif", "image/gif", (64, 48)),
    "animated webp": (lambda: animated("WEBP"), "loop.webp", "image/webp", (64, 48)),
    "exif orientation 6": (rotated_by_exif, "phone.jpg", "image/jpeg", (60, 120)),
    "corrupt exif": (corrupt_exif, "odd.jpg", "image/jpeg", (60, 40)),
    "tall strip 60x600": (lambda: encoded(cat(60, 600), "PNG"), "tall.png", "image/png", (60, 600)),
    "path in the file name": (
        lambda: encoded(cat(60, 40), "PNG"), "../../../etc/passwd.png", "image/png", (60, 40),
    ),
}  # fmt: skip


def engine_size(width: int, height: int) -> tuple[int, int]:
    """What the tiny engine makes of an upright width×height picture."""
    scale = SIZE / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def no_errors_logged(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not bad, [r.getMessage() for r in bad]


async def still_works(tg: FakeTelegram, photos_before: int) -> None:
    """A normal photo and an artist afterwards: the conversation is not stuck."""
    tg.send_photo(ANN, ANN, image_bytes(120, 90))
    press(tg, await menu(tg, ANN, ARTIST), ARTIST)
    result = await nth_photo(tg, ANN, photos_before + 1)
    assert result["caption"].startswith(ARTIST)


@pytest.mark.parametrize("case", list(REFUSED))
async def test_unusable_file_is_explained(
    tg: FakeTelegram, start_bot: StartBot, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    make, name, mime, problem = REFUSED[case]
    await start_bot()
    tg.send_document(ANN, ANN, make(), file_name=name, mime_type=mime)
    press(tg, await menu(tg, ANN, ARTIST), ARTIST)
    told = await says(tg, ANN, problem)
    assert told["text"].startswith(ARTIST) and len(told["text"]) < 250
    assert not buttons(told)  # the job is over: no cancel button left behind
    assert photos(tg, ANN) == []
    await still_works(tg, 0)
    no_errors_logged(caplog)


@pytest.mark.parametrize("case", list(ACCEPTED))
@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")  # Pillow's, for "corrupt exif"
async def test_odd_but_valid_file_is_stylised(
    tg: FakeTelegram, start_bot: StartBot, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    make, name, mime, upright = ACCEPTED[case]
    await start_bot()
    sent = tg.send_document(ANN, ANN, make(), file_name=name, mime_type=mime)
    press(tg, await menu(tg, ANN, ARTIST), ARTIST)
    result = await nth_photo(tg, ANN)
    width, height = engine_size(*upright)
    assert painted(result, f"{ARTIST} — The Starry Night", f"{width}×{height}")
    assert result["reply_to_message"]["message_id"] == sent["message_id"]
    picture = decode(tg, result)
    assert picture.mode == "RGB" and picture.size == (width, height)  # upright, aspect kept
    full = await tg.wait_for_message(ANN, lambda m: "document" in m, timeout=30)
    assert decode(tg, full).size == (width, height)
    no_errors_logged(caplog)


@pytest.mark.parametrize("kind", ["sticker", "video"])
async def test_sticker_or_video_is_not_a_style(
    tg: FakeTelegram, start_bot: StartBot, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    await start_bot()
    tg.send_photo(ANN, ANN, image_bytes(120, 90))
    choose = await menu(tg, ANN, ARTIST)
    if kind == "sticker":
        tg.send_sticker(ANN, ANN)
    else:
        tg.send_video(ANN, ANN)
    await says(tg, ANN, texts.NOT_A_STYLE)
    press(tg, choose, ARTIST)  # the menu shown before still works
    result = await nth_photo(tg, ANN)
    assert result["caption"].startswith(ARTIST)
    assert len(tg.calls_to("file")) == 1  # only the content photo was downloaded
    no_errors_logged(caplog)
