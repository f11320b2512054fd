"""Hostile image files shared by the bot's and the API's tests."""

from __future__ import annotations

import struct
import zlib


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims to be width×height: signature and IHDR, no pixels at all (the
    first bytes of a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def heic_like() -> bytes:
    """The start of an iPhone HEIC photo: an ISO media 'ftyp' box of brand heic."""
    return b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64
