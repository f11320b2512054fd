from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from engine.errors import ImageError
from engine.imageio import decode_image, encode_image, resize_long_side, save_image


def encoded(image: Image.Image, fmt: str, **kw: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **kw)
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge canvas (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_jpeg_round_trip() -> None:
    img = Image.new("RGB", (40, 30), (200, 10, 10))
    out = decode_image(encoded(img, "JPEG"))
    assert out.mode == "RGB" and out.size == (40, 30)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"hello, this is a text file\n" * 10, "doesn't look like an image"),
        (b"<html><body>hi</body></html>", "doesn't look like an image"),
    ],
)
def test_not_an_image(data: bytes, message: str) -> None:
    with pytest.raises(ImageError, match=message):
        decode_image(data)


def test_truncated_jpeg() -> None:
    data = encoded(Image.effect_noise((64, 64), 50).convert("RGB"), "JPEG")
    with pytest.raises(ImageError, match="damaged or incomplete"):
        decode_image(data[: len(data) // 2])


def test_decompression_bomb_is_refused_before_decoding() -> None:
    with pytest.raises(ImageError, match="too many pixels"):
        decode_image(png_declaring(50_000, 50_000))


def test_pixel_cap_below_pillows_own() -> None:
    with pytest.raises(ImageError, match="too many pixels"):
        decode_image(encoded(Image.new("RGB", (100, 100)), "PNG"), max_pixels=5_000)


def test_byte_cap() -> None:
    with pytest.raises(ImageError, match="too large"):
        decode_image(encoded(Image.new("RGB", (64, 64)), "BMP"), max_bytes=1000)


def test_unsupported_format() -> None:
    with pytest.raises(ImageError, match="not supported"):
        decode_image(encoded(Image.new("RGB", (20, 20)), "PPM"))


@pytest.mark.parametrize("size", [(1, 1), (1, 5000), (5000, 1), (10, 400)])
def test_degenerate_shapes(size: tuple[int, int]) -> None:
    with pytest.raises(ImageError, match=r"too small|too long and thin"):
        decode_image(encoded(Image.new("RGB", size), "PNG"))


def test_sixteen_bit_grey_png_is_scaled_not_clipped() -> None:
    arr = np.full((20, 30), 32768, dtype=np.uint16)
    data = encoded(Image.fromarray(arr), "PNG")
    out = decode_image(data)
    assert out.mode == "RGB"
    assert out.getpixel((0, 0)) == (128, 128, 128)


def test_cmyk_jpeg() -> None:
    data = encoded(Image.new("CMYK", (20, 20), (0, 255, 255, 0)), "JPEG", quality=95)
    r, g, b = decode_image(data).getpixel((10, 10))
    assert r > 200 and g < 60 and b < 60


def test_rgba_is_composited_on_white() -> None:
    img = Image.new("RGBA", (20, 20), (255, 0, 0, 0))
    img.paste((0, 0, 255, 255), (0, 0, 10, 20))
    out = decode_image(encoded(img, "PNG"))
    assert out.getpixel((15, 10)) == (255, 255, 255)  # fully transparent -> white
    assert out.getpixel((5, 10)) == (0, 0, 255)


def test_palette_with_transparency() -> None:
    img = Image.new("P", (20, 20), 0)
    img.putpalette([0, 0, 0, 10, 200, 10] + [0] * 762)
    img.paste(1, (0, 0, 10, 20))
    out = decode_image(encoded(img, "PNG", transparency=0))
    assert out.getpixel((15, 5)) == (255, 255, 255)
    assert out.getpixel((5, 5)) == (10, 200, 10)


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_animated_takes_first_frame(fmt: str) -> None:
    frames = [Image.new("RGB", (24, 24), c) for c in ((250, 0, 0), (0, 250, 0), (0, 0, 250))]
    data = encoded(frames[0], fmt, save_all=True, append_images=frames[1:], duration=50, loop=0)
    r, g, b = decode_image(data).getpixel((12, 12))
    assert r > 200 and g < 50 and b < 50


def test_exif_rotation_is_applied() -> None:
    img = Image.new("RGB", (60, 20), (0, 0, 0))
    img.paste((255, 255, 255), (0, 0, 10, 20))  # white strip on the left
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    out = decode_image(encoded(img, "JPEG", exif=exif.tobytes(), quality=95))
    assert out.size == (20, 60)
    assert out.getpixel((10, 3))[0] > 200  # the strip is now at the top
    assert out.getpixel((10, 55))[0] < 50


def test_path_input_and_missing_file(tmp_path) -> None:
    path = save_image(Image.new("RGB", (30, 20), (1, 2, 3)), tmp_path / "a.png")
    assert decode_image(path).getpixel((0, 0)) == (1, 2, 3)  # PNG is lossless
    with pytest.raises(ImageError, match="No such image"):
        decode_image(tmp_path / "missing.jpg")


def test_resize_keeps_aspect_ratio() -> None:
    out = resize_long_side(Image.new("RGB", (1000, 500)), 256)
    assert out.size == (256, 128)


def test_encode_formats() -> None:
    img = Image.new("RGB", (16, 16), (9, 9, 9))
    assert encode_image(img, "JPEG")[:2] == b"\xff\xd8"
    assert encode_image(img, "PNG")[:8] == b"\x89PNG\r\n\x1a\n"
