"""Decoding untrusted images safely and encoding results.

Every failure raises `ImageError` with a message a person can read; nothing here knows
where the bytes came from.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from engine.errors import ImageError

ALLOWED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "BMP", "GIF", "TIFF"})
MAX_BYTES = 20 * 1024 * 1024  # Telegram bots cannot download more than 20 MB anyway
MAX_PIXELS = 40_000_000  # 40 MP: any phone photo, far below a decompression bomb
MIN_SIDE = 8
MAX_ASPECT = 20.0
HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})

Encoding = Literal["JPEG", "PNG"]


def decode_image(
    source: bytes | Path | str, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS
) -> Image.Image:
    """Read an image from bytes or a path into an upright 8-bit RGB image."""
    data = _read_bytes(source, max_bytes)
    image = _open_checked(data, max_pixels)
    try:
        image.seek(0)  # animated GIF/WebP: the first frame
        image = ImageOps.exif_transpose(image) or image
        rgb = to_rgb(image)
    except ImageError:
        raise
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageError("This image file is damaged or incomplete, so it can't be read.") from exc
    _check_shape(rgb)
    return rgb


def _read_bytes(source: bytes | Path | str, max_bytes: int) -> bytes:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise ImageError(_too_big_bytes(max_bytes), "too_large")
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise ImageError(f"No such image file: {path}") from exc
        except IsADirectoryError as exc:
            raise ImageError(f"{path} is a folder, not an image.") from exc
    if not data:
        raise ImageError("The file is empty.")
    if len(data) > max_bytes:
        raise ImageError(_too_big_bytes(max_bytes), "too_large")
    return data


def _too_big_bytes(max_bytes: int) -> str:
    return f"The file is too large (the limit is {max_bytes // (1024 * 1024)} MB)."


def _open_checked(data: bytes, max_pixels: int) -> Image.Image:
    """Open lazily and check format and pixel count before any pixel is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(_too_many_pixels(max_pixels), "too_large") from exc
    except UnidentifiedImageError as exc:
        if _is_heif(data):  # what iPhones save; Pillow can't read it without a plugin
            raise ImageError(
                "HEIC/HEIF images are not supported. Please send a JPEG, PNG, WebP, BMP, GIF "
                "or TIFF.",
                "unsupported",
            ) from exc
        raise ImageError(
            "That doesn't look like an image. Please send a JPEG, PNG, WebP, BMP, GIF or TIFF.",
            "unsupported",
        ) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageError("This image file is damaged or incomplete, so it can't be read.") from exc
    if image.format not in ALLOWED_FORMATS:
        raise ImageError(
            f"{image.format or 'This'} images are not supported. "
            "Please send a JPEG, PNG, WebP, BMP, GIF or TIFF.",
            "unsupported",
        )
    width, height = image.size
    if width * height > max_pixels:
        raise ImageError(_too_many_pixels(max_pixels), "too_large")
    return image


def _is_heif(data: bytes) -> bool:
    """An ISO media file ('ftyp' box) of a HEIF brand: a HEIC photo, most likely."""
    return data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS


def _too_many_pixels(max_pixels: int) -> str:
    return (
        f"The image has too many pixels (the limit is {max_pixels / 1e6:.0f} megapixels). "
        "Please send a smaller one."
    )


def to_rgb(image: Image.Image) -> Image.Image:
    """Convert any Pillow mode to 8-bit RGB; transparency is composited on white."""
    image.load()
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        return _sixteen_bit_to_rgb(image)
    if mode == "F":
        arr = np.clip(np.asarray(image, dtype=np.float32), 0.0, 255.0).astype(np.uint8)
        return Image.fromarray(arr, "L").convert("RGB")
    if mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        canvas.alpha_composite(rgba)
        return canvas.convert("RGB")
    return image.convert("RGB")


def _sixteen_bit_to_rgb(image: Image.Image) -> Image.Image:
    """Scale 16-bit grey to 8 bits; Pillow's own convert would clip at 255."""
    arr = np.asarray(image).astype(np.int64)
    peak = 65535 if arr.max(initial=0) > 255 or image.mode.startswith("I;16") else 255
    arr8 = np.clip(np.rint(arr * (255.0 / peak)), 0, 255).astype(np.uint8)
    return Image.fromarray(arr8, "L").convert("RGB")


def _check_shape(image: Image.Image) -> None:
    width, height = image.size
    # The shape first: a 1×5000 strip is too thin rather than too small.
    if max(width, height) / min(width, height) > MAX_ASPECT:
        raise ImageError(
            f"The image is too long and thin ({width}×{height}); "
            f"the sides may differ by at most {MAX_ASPECT:.0f}×.",
            "bad_shape",
        )
    if min(width, height) < MIN_SIDE:
        raise ImageError(
            f"The image is too small ({width}×{height}); it needs at least {MIN_SIDE} px a side.",
            "bad_shape",
        )


def resize_long_side(image: Image.Image, long_side: int) -> Image.Image:
    """Resize keeping the aspect ratio so the longer side is `long_side` px."""
    width, height = image.size
    scale = long_side / max(width, height)
    new = (max(1, round(width * scale)), max(1, round(height * scale)))
    if new == image.size:
        return image.copy()
    return image.resize(new, Image.Resampling.LANCZOS, reducing_gap=3.0)


def encode_image(image: Image.Image, fmt: Encoding = "JPEG", *, quality: int = 93) -> bytes:
    """Encode an RGB image as JPEG (small, for photos) or PNG (lossless)."""
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=quality, optimize=True, subsampling=0)
    else:
        image.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


def save_image(image: Image.Image, path: Path | str) -> Path:
    """Write by extension: .png is lossless, anything else JPEG."""
    path = Path(path)
    fmt: Encoding = "PNG" if path.suffix.lower() == ".png" else "JPEG"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encode_image(image, fmt))
    return path
