"""Uploaded images: size checked while reading, format and pixels checked before decoding."""

from __future__ import annotations

import asyncio

from fastapi import UploadFile

from api.problems import Problem
from engine import ImageError, decode_image

CHUNK = 256 * 1024
STATUS = {"too_large": 413, "unsupported": 415}  # everything else: 422


async def read_image(upload: UploadFile, field: str, max_bytes: int) -> bytes:
    """The upload's bytes, once they are known to decode into a usable image."""
    data = bytearray()
    while chunk := await upload.read(CHUNK):
        data += chunk
        if len(data) > max_bytes:
            raise Problem(
                413, "too_large",
                f"{field}: the file is too large (the limit is {max_bytes // 2**20} MB).",
            )  # fmt: skip
    try:
        await asyncio.to_thread(decode_image, bytes(data), max_bytes=max_bytes)
    except ImageError as exc:
        status = STATUS.get(exc.reason, 422)
        code = {413: "too_large", 415: "unsupported_image"}.get(status, "bad_image")
        raise Problem(status, code, f"{field}: {exc}") from None
    return bytes(data)
