"""Uploads: size checked while reading, format and pixels checked before decoding.

A photo is checked by decoding it; a clip (MP4/MOV, WebM, an animated GIF) by probing it
(`engine.probe`): truncated files, zero frames, sound only, absurd sizes, frame rates and
lengths are refused before the job is queued.
"""

from __future__ import annotations

import asyncio
import io

from fastapi import UploadFile
from PIL import Image

from api.problems import job_problem
from engine import ImageError, decode_image
from engine.imageio import HEIF_BRANDS
from jobs.errors import ErrorCode, input_refusal
from jobs.model import JobKind

CHUNK = 256 * 1024
EBML = b"\x1a\x45\xdf\xa3"  # WebM and Matroska
PICTURE_BRANDS = HEIF_BRANDS | {b"avif", b"avis"}  # ISO media files that are photos


async def read_image(upload: UploadFile, field: str, max_bytes: int) -> bytes:
    """The upload's bytes, once they are known to decode into a usable image."""
    data = await _read(upload, field, max_bytes)
    await _check_image(data, field, max_bytes)
    return data


async def read_content(upload: UploadFile, field: str, max_bytes: int) -> tuple[bytes, JobKind]:
    """A photo or a clip: its bytes and the kind of job it makes, once known to be usable."""
    data = await _read(upload, field, max_bytes)
    if not is_clip(data):
        await _check_image(data, field, max_bytes)
        return data, "image"
    try:
        await asyncio.to_thread(_probe, data, max_bytes)
    except ImageError as exc:
        raise job_problem(input_refusal(exc.reason, clip=True), f"{field}: {exc}") from None
    return data, "video"


def is_clip(data: bytes) -> bool:
    """MP4/MOV (an ISO media file that is not a HEIF or AVIF photo), WebM/MKV, or an animated
    GIF."""
    if data[4:8] == b"ftyp":
        return data[8:12] not in PICTURE_BRANDS
    if data[:4] == EBML:
        return True
    if data[:6] in (b"GIF87a", b"GIF89a"):
        try:
            with Image.open(io.BytesIO(data)) as gif:
                return bool(getattr(gif, "is_animated", False))
        except (OSError, ValueError, SyntaxError):
            return True  # a damaged GIF: the clip checks say why
    return False


def _probe(data: bytes, max_bytes: int) -> None:
    from engine.probe import VideoLimits, probe_bytes  # PyAV: loaded on the first clip

    probe_bytes(data, VideoLimits(max_bytes=max_bytes))


async def _read(upload: UploadFile, field: str, max_bytes: int) -> bytes:
    data = bytearray()
    while chunk := await upload.read(CHUNK):
        data += chunk
        if len(data) > max_bytes:
            raise job_problem(
                ErrorCode.TOO_LARGE,
                f"{field}: the file is too large (the limit is {max_bytes // 2**20} MB).",
            )
    return bytes(data)


async def _check_image(data: bytes, field: str, max_bytes: int) -> None:
    try:
        await asyncio.to_thread(decode_image, data, max_bytes=max_bytes)
    except ImageError as exc:
        raise job_problem(input_refusal(exc.reason, clip=False), f"{field}: {exc}") from None
