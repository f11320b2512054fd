"""A contact sheet of the gallery: one thumbnail per work, its short label and year beneath
(the artist, or "Klimt: The Kiss" where an artist has several works).

A sheet shows the whole gallery or one category of it (``category="mosaic"``); cached sheets
are kept per category, so drawing one category never throws away another's.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from styles.catalog import Catalog, StyleEntry
from styles.categories import CATEGORIES

__all__ = ["cached_contact_sheet", "contact_sheet", "label_band_height", "sheet_key"]

SHEET_VERSION = 2  # bump when the drawing changes, so cached sheets are rebuilt
BACKGROUND = (246, 245, 241)
INK = (34, 34, 34)
MUTED = (110, 110, 110)
FONT_NAMES = ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_PREFIX = "contact-sheet-"
_ALL = "all"  # the scope name of the whole-gallery sheet in cache file names
# contact-sheet-<scope>-<key>.jpg; sheets from before categories have no scope
_CACHED = re.compile(r"contact-sheet-(?:(?P<scope>[a-z0-9-]+)-)?[0-9a-f]{20}\.jpg")

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
    for n, (text, colour) in enumerate(((entry.short_label, INK), (entry.year, MUTED))):
        line = _fit(draw, text, font, tile - 2 * pad)
        draw.text(
            (x + tile // 2, top + n * _line_height(tile)), line, font=font, fill=colour, anchor="ma"
        )


def sheet_entries(catalog: Catalog, category: str | None = None) -> Sequence[StyleEntry]:
    """The entries a sheet shows: all, or one category's; ValueError for an unknown one."""
    if category is None:
        return catalog.entries
    if category not in {c.slug for c in CATEGORIES}:
        raise ValueError(f"unknown category {category!r}")
    return catalog.by_category(category)


def contact_sheet(
    catalog: Catalog, *, category: str | None = None, tile: int = 256, columns: int = 4
) -> Image.Image:
    """A grid of thumbnails (catalog order, aspect kept) with artist and year under each,
    of the whole catalog or of one ``category`` (a slug from styles.categories).

    The image is ``columns * tile`` wide (fewer columns if there are fewer entries) and
    ``rows * (tile + label_band_height(tile))`` high.
    """
    if tile < 32 or columns < 1:
        raise ValueError("tile must be at least 32 pixels and columns at least 1")
    entries = sheet_entries(catalog, category)
    if not entries:
        raise ValueError("the catalog is empty" if category is None else f"no {category} here")
    cols = min(columns, len(entries))
    rows = math.ceil(len(entries) / cols)
    cell_h = tile + label_band_height(tile)
    sheet = Image.new("RGB", (cols * tile, rows * cell_h), BACKGROUND)
    for n, entry in enumerate(entries):
        row, col = divmod(n, cols)
        _draw_cell(sheet, entry, col * tile, row * cell_h, tile)
    return sheet


def sheet_key(
    catalog: Catalog, *, category: str | None = None, tile: int = 256, columns: int = 4
) -> str:
    """A hash of everything the sheet shows: entries, their files' size and mtime, layout."""
    parts: list[object] = [SHEET_VERSION, category, tile, columns]
    for e in sheet_entries(catalog, category):
        stat = e.path.stat()
        parts.append([e.slug, e.short_label, e.year, str(e.path), stat.st_mtime_ns, stat.st_size])
    blob = json.dumps(parts, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:20]


def cached_contact_sheet(
    catalog: Catalog,
    cache_dir: Path,
    *,
    category: str | None = None,
    tile: int = 256,
    columns: int = 4,
) -> Path:
    """Path of a JPEG of :func:`contact_sheet`, drawn only when no sheet for this exact
    catalog, category and layout exists in ``cache_dir`` yet (written atomically; stale
    sheets of the same category from older catalogs are removed)."""
    cache_dir = Path(cache_dir)
    key = sheet_key(catalog, category=category, tile=tile, columns=columns)
    target = cache_dir / f"{_PREFIX}{category or _ALL}-{key}.jpg"
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    image = contact_sheet(catalog, category=category, tile=tile, columns=columns)
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
    _remove_stale(cache_dir, keep=target, scope=category or _ALL)
    return target


def _remove_stale(cache_dir: Path, keep: Path, scope: str) -> None:
    """Remove older sheets of the same scope, and any from before sheets had scopes."""
    for old in cache_dir.glob(f"{_PREFIX}*.jpg"):
        found = _CACHED.fullmatch(old.name)
        if old == keep or found is None or found["scope"] not in (scope, None):
            continue
        with contextlib.suppress(OSError):
            old.unlink()
