"""The suggestion sheet: a person's photo in many styles, numbered best first, with the top
few framed, and each tile's short label (the artist) beneath it.

The numbers are the ones a person taps ("3" renders the third tile's style), so they are
drawn large on a badge in each tile's corner.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PIL import Image, ImageDraw

from styles.catalog import StyleEntry
from styles.sheet import BACKGROUND, INK, MUTED, _fit, _font, _font_size, label_band_height

GOLD = (201, 152, 40)
BADGE = (34, 34, 34)
BADGE_TEXT = (255, 255, 255)


def ranked_sheet(
    tiles: Sequence[tuple[StyleEntry, Image.Image]],
    *,
    marked: int = 3,
    tile: int = 192,
    columns: int = 6,
) -> Image.Image:
    """A grid of ``tiles`` in the order given (best first): number badges 1..n, the first
    ``marked`` framed in gold, and the artist under each."""
    if not tiles:
        raise ValueError("no tiles to draw")
    if tile < 48 or columns < 1:
        raise ValueError("tile must be at least 48 pixels and columns at least 1")
    cols = min(columns, len(tiles))
    rows = math.ceil(len(tiles) / cols)
    cell_h = tile + label_band_height(tile)
    sheet = Image.new("RGB", (cols * tile, rows * cell_h), BACKGROUND)
    for n, (entry, picture) in enumerate(tiles):
        row, col = divmod(n, cols)
        _draw_tile(sheet, entry, picture, (col * tile, row * cell_h), tile, n + 1, n < marked)
    return sheet


def _draw_tile(
    sheet: Image.Image,
    entry: StyleEntry,
    picture: Image.Image,
    at: tuple[int, int],
    tile: int,
    number: int,
    top: bool,
) -> None:
    x, y = at
    pad = max(3, tile // 24)
    thumb = picture.copy()
    thumb.thumbnail((tile - 2 * pad, tile - 2 * pad))
    left, upper = x + (tile - thumb.width) // 2, y + (tile - thumb.height) // 2
    sheet.paste(thumb, (left, upper))
    draw = ImageDraw.Draw(sheet)
    if top:
        frame = (left - pad + 1, upper - pad + 1, left + thumb.width + pad - 2,
                 upper + thumb.height + pad - 2)  # fmt: skip
        draw.rectangle(frame, outline=GOLD, width=pad - 1)
    _badge(draw, (left + 2, upper + 2), str(number), tile, GOLD if top else BADGE)
    font = _font(_font_size(tile))
    below = y + tile + _font_size(tile) // 3
    lines = ((entry.short_label, INK), (entry.year, MUTED))
    for n, (text, colour) in enumerate(lines):
        line = _fit(draw, text, font, tile - 2 * pad)
        draw.text((x + tile // 2, below + n * math.ceil(_font_size(tile) * 1.3)), line,
                  font=font, fill=colour, anchor="ma")  # fmt: skip


def _badge(
    draw: ImageDraw.ImageDraw, at: tuple[int, int], text: str, tile: int, fill: tuple[int, ...]
) -> None:
    size = max(18, tile // 6)
    font = _font(max(10, size * 2 // 3))
    x, y = at
    width = max(size, int(draw.textlength(text, font=font)) + size // 2)
    draw.rounded_rectangle((x, y, x + width, y + size), radius=size // 3, fill=fill)
    draw.text((x + width / 2, y + size / 2), text, font=font, fill=BADGE_TEXT, anchor="mm")
