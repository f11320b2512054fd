"""A contact sheet of the gallery: one thumbnail per painting, the artist and year beneath."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import os
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from styles.catalog import Catalog, StyleEntry

__all__ = ["cached_contact_sheet", "contact_sheet", "label_band_height", "sheet_key"]

SHEET_VERSION = 1  # bump when the drawing changes, so cached sheets are rebuilt
BACKGROUND = (246, 245, 241)
INK = (34, 34, 34)
MUTED = (110, 110, 110)
FONT_NAMES = ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_PREFIX = "contact-sheet-"

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont | ImageFont.TransposedFont


def _font_size(tile: int) -> int:
    return max(9, tile // 16)


def _line_height(tile: int) -> int:
    return math.ceil(_font_size(tile) * 1.3)


def label_band_height(tile: int) -> int:
    """Height in pixels of the caption strip under each tile (two lines and some air)."""
    return 2 * _line_height(tile) + _font_size(tile)


@functools.cache
def _font(size: int) -> Font:
    """DejaVu Sans (Cyrillic, accents) where installed, else Pillow's scalable default."""
    for name in FONT_NAMES:
        with contextlib.suppress(OSError):
            return ImageFont.truetype(name, size)
    return ImageFont.load_default(size=size)


def _fit(draw: ImageDraw.ImageDraw, text: str, font: Font, width: int) -> str:
    """``text``, shortened with an ellipsis until it fits ``width`` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _thumbnail(entry: StyleEntry, box: int) -> Image.Image:
    with Image.open(entry.path) as im:
        im.draft("RGB", (box, box))  # JPEG: decode at a reduced scale, much faster
        thumb = im.convert("RGB")
    thumb.thumbnail((box, box), Image.Resampling.LANCZOS)
    return thumb


def _draw_cell(sheet: Image.Image, entry: StyleEntry, x: int, y: int, tile: int) -> None:
    pad = max(2, tile // 32)
    thumb = _thumbnail(entry, tile - 2 * pad)
    sheet.paste(thumb, (x + (tile - thumb.width) // 2, y + (tile - thumb.height) // 2))
    draw = ImageDraw.Draw(sheet)
    font = _font(_font_size(tile))
    top = y + tile + _font_size(tile) // 3
    for n, (text, colour) in enumerate(((entry.artist, INK), (entry.year, MUTED))):
        line = _fit(draw, text, font, tile - 2 * pad)
        draw.text(
            (x + tile // 2, top + n * _line_height(tile)), line, font=font, fill=colour, anchor="ma"
        )


def contact_sheet(catalog: Catalog, *, tile: int = 256, columns: int = 4) -> Image.Image:
    """A grid of thumbnails (catalog order, aspect kept) with artist and year under each.

    The image is ``columns * tile`` wide (fewer columns if the catalog is smaller) and
    ``rows * (tile + label_band_height(tile))`` high.
    """
    if tile < 32 or columns < 1:
        raise ValueError("tile must be at least 32 pixels and columns at least 1")
    if len(catalog) == 0:
        raise ValueError("the catalog is empty")
    cols = min(columns, len(catalog))
    rows = math.ceil(len(catalog) / cols)
    cell_h = tile + label_band_height(tile)
    sheet = Image.new("RGB", (cols * tile, rows * cell_h), BACKGROUND)
    for n, entry in enumerate(catalog):
        row, col = divmod(n, cols)
        _draw_cell(sheet, entry, col * tile, row * cell_h, tile)
    return sheet


def sheet_key(catalog: Catalog, *, tile: int = 256, columns: int = 4) -> str:
    """A hash of everything the sheet shows: entries, their files' size and mtime, layout."""
    parts: list[object] = [SHEET_VERSION, tile, columns]
    for e in catalog:
        stat = e.path.stat()
        parts.append([e.slug, e.artist, e.year, str(e.path), stat.st_mtime_ns, stat.st_size])
    blob = json.dumps(parts, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:20]


def cached_contact_sheet(
    catalog: Catalog, cache_dir: Path, *, tile: int = 256, columns: int = 4
) -> Path:
    """Path of a JPEG of :func:`contact_sheet`, drawn only when no sheet for this exact
    catalog and layout exists in ``cache_dir`` yet (written atomically; stale sheets from
    older catalogs are removed)."""
    cache_dir = Path(cache_dir)
    target = cache_dir / f"{_PREFIX}{sheet_key(catalog, tile=tile, columns=columns)}.jpg"
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    image = contact_sheet(catalog, tile=tile, columns=columns)
    fd, tmp = tempfile.mkstemp(prefix=f".{_PREFIX}", suffix=".tmp", dir=cache_dir)
    try:
        with os.fdopen(fd, "wb") as fh:
            image.save(fh, format="JPEG", quality=88, optimize=True)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _remove_stale(cache_dir, keep=target)
    return target


def _remove_stale(cache_dir: Path, keep: Path) -> None:
    for old in cache_dir.glob(f"{_PREFIX}*.jpg"):
        if old != keep:
            with contextlib.suppress(OSError):
                old.unlink()
