"""Files in and out: which messages carry an image (or a clip), downloads with limits (retried on
network trouble), and encoding results within Telegram's photo limits."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from PIL import Image
from telegram import Bot, Message
from telegram.error import BadRequest

from bot import clips
from bot.models import Photo
from bot.ratelimit import with_retries
from engine import encode_image

# Telegram's limits for sendPhoto; anything beyond goes out as a document.
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_SIDES = 10_000  # width + height
PHOTO_MAX_RATIO = 20.0
DOCUMENT_MAX_BYTES = 50 * 1024 * 1024
IMAGE_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff"}
)


class FileTooBig(Exception):
    """Telegram won't let a bot download the file, or it is over MAX_UPLOAD_MB."""


# Image files the engine can't read, known by their name or type when they arrive (so they
# are refused at once rather than after a wait in the queue): iPhones' HEIC, say.
UNREADABLE_SUFFIXES = frozenset(
    {".heic", ".heif", ".avif", ".jxl", ".svg", ".psd", ".dng", ".cr2", ".nef", ".arw", ".raw"}
)
READABLE_MIMES = frozenset(
    {"image/jpeg", "image/jpg", "image/pjpeg", "image/png", "image/webp", "image/bmp",
     "image/x-ms-bmp", "image/gif", "image/tiff"}
)  # fmt: skip


def image_of(message: Message | None) -> Photo | None:
    """The image a message carries: the largest photo size, or an image document."""
    if message is None:
        return None
    if message.photo:
        best = message.photo[-1]
        return Photo(best.file_id, as_document=False, file_size=best.file_size)
    doc = message.document
    if doc is None:
        return None
    mime = (doc.mime_type or "").lower()
    suffix = Path(doc.file_name or "").suffix.lower()
    if mime.startswith("image/") or suffix in IMAGE_EXTENSIONS:
        return Photo(doc.file_id, as_document=True, file_size=doc.file_size)
    return None


def content_of(message: Message | None) -> Photo | None:
    """What a request can start from: an image, or a clip (bot/clips.py)."""
    return image_of(message) or clips.clip_of(message)


def unreadable_kind(message: Message | None) -> str | None:
    """'HEIC' for an image file the engine can't read (by its name or type), else None."""
    doc = message.document if message is not None else None
    if doc is None:
        return None
    mime = (doc.mime_type or "").lower()
    suffix = Path(doc.file_name or "").suffix.lower()
    if suffix in UNREADABLE_SUFFIXES:
        return suffix.lstrip(".").upper()
    readable = mime in READABLE_MIMES or suffix in IMAGE_EXTENSIONS
    if mime.startswith("image/") and not readable:
        return mime.removeprefix("image/").split("+")[0].upper()
    return None


def has_document(message: Message | None) -> bool:
    return message is not None and message.document is not None


def too_big(photo: Photo, max_bytes: int) -> bool:
    """Known to be over the limit already (Telegram tells the size with the message)."""
    return photo.file_size is not None and photo.file_size > max_bytes


async def download(bot: Bot, photo: Photo, *, max_bytes: int) -> bytes:
    """Fetch a Telegram file, refusing anything over `max_bytes`."""
    if too_big(photo, max_bytes):
        raise FileTooBig(photo.file_id)
    try:
        tg_file = await bot.get_file(photo.file_id)
    except BadRequest as exc:
        if "too big" in exc.message.lower():
            raise FileTooBig(photo.file_id) from exc
        raise
    if tg_file.file_size is not None and tg_file.file_size > max_bytes:
        raise FileTooBig(photo.file_id)
    data = await with_retries(tg_file.download_as_bytearray, "file download")
    if len(data) > max_bytes:
        raise FileTooBig(photo.file_id)
    return bytes(data)


def fits_photo(width: int, height: int, size: int) -> bool:
    """Whether Telegram accepts these as a photo (else it must go as a document)."""
    return (
        size <= PHOTO_MAX_BYTES
        and width + height <= PHOTO_MAX_SIDES
        and max(width, height) <= PHOTO_MAX_RATIO * min(width, height)
    )


def encode_photo(image: Image.Image) -> bytes:
    return encode_image(image, "JPEG", quality=93)


def encode_document(image: Image.Image) -> tuple[bytes, Literal["png", "jpg"]]:
    """Lossless PNG, or a high-quality JPEG if the PNG would be over the upload limit."""
    png = encode_image(image, "PNG")
    if len(png) <= DOCUMENT_MAX_BYTES:
        return png, "png"
    return encode_image(image, "JPEG", quality=97), "jpg"
