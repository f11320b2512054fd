"""Downloads with limits and retries (against the fake Bot API), Telegram's photo limits."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from PIL import Image
from telegram import Bot

from bot import media
from bot.models import Photo
from tests.bot.conftest import image_bytes
from tests.bot.fakeapi import FakeTelegram

MB = 1024 * 1024


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(tg.token, base_url=tg.base_url, base_file_url=tg.file_base_url) as b:
        yield b


async def test_download_returns_the_bytes(tg: FakeTelegram, bot: Bot) -> None:
    data = image_bytes()
    rec = tg.add_file(data, file_name="cat.jpg")
    tg.reset_connection("file")  # one dropped download: retried
    assert await media.download(bot, Photo(rec.file_id), max_bytes=MB) == data
    assert len(tg.calls_to("file")) == 2


async def test_download_refuses_big_files(tg: FakeTelegram, bot: Bot) -> None:
    huge = tg.add_file(b"x" * 100, declared_size=25 * MB)  # Telegram: "file is too big"
    with pytest.raises(media.FileTooBig):
        await media.download(bot, Photo(huge.file_id), max_bytes=20 * MB)
    assert tg.calls_to("getFile")[-1].error == "Bad Request: file is too big"
    over = tg.add_file(image_bytes())
    with pytest.raises(media.FileTooBig):  # over our own MAX_UPLOAD_MB, though Telegram would
        await media.download(bot, Photo(over.file_id), max_bytes=100)


def test_photo_limits() -> None:
    assert media.fits_photo(1024, 768, 2 * MB)
    assert not media.fits_photo(1024, 768, 11 * MB)
    assert not media.fits_photo(6000, 4001, MB)  # width + height over 10000
    assert not media.fits_photo(2100, 100, MB)  # ratio over 20
    assert media.fits_photo(2000, 100, MB)


def test_document_encoding_is_lossless_png() -> None:
    image = Image.new("RGB", (40, 30), (10, 200, 30))
    data, ext = media.encode_document(image)
    assert ext == "png"
    assert Image.open(io.BytesIO(data)).tobytes() == image.tobytes()
