from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from styles.catalog import Catalog, default_catalog, load_catalog
from styles.sheet import (
    BACKGROUND,
    cached_contact_sheet,
    contact_sheet,
    label_band_height,
    sheet_key,
)
from tests.styles.test_catalog import style, write_catalog

TILE = 96


@pytest.fixture(scope="module")
def sheet() -> Image.Image:
    return contact_sheet(default_catalog(), tile=TILE, columns=4)


def test_sheet_size(sheet: Image.Image) -> None:
    rows = math.ceil(len(default_catalog()) / 4)
    assert sheet.mode == "RGB"
    assert sheet.size == (4 * TILE, rows * (TILE + label_band_height(TILE)))


def test_every_tile_and_caption_is_drawn(sheet: Image.Image) -> None:
    cell_h = TILE + label_band_height(TILE)
    n = len(default_catalog())
    for i in range(4 * math.ceil(n / 4)):
        row, col = divmod(i, 4)
        x, y = col * TILE, row * cell_h
        picture = sheet.crop((x, y, x + TILE, y + TILE))
        caption = sheet.crop((x, y + TILE, x + TILE, y + cell_h))
        drawn = [_differs(picture), _differs(caption)]
        assert drawn == ([True, True] if i < n else [False, False]), f"cell {i}"


def _differs(region: Image.Image) -> bool:
    """Whether a region holds anything but the plain background."""
    stat = ImageStat.Stat(region)
    far = max(abs(m - b) for m, b in zip(stat.mean, BACKGROUND, strict=True))
    return far > 2 or max(stat.stddev) > 4


def test_small_catalog_uses_fewer_columns(tmp_path: Path) -> None:
    cat = load_catalog(write_catalog(tmp_path, [style("a", "Ann A"), style("b", "Бо Б")]))
    image = contact_sheet(cat, tile=64, columns=4)
    assert image.size == (2 * 64, 64 + label_band_height(64))


def test_bad_layout_rejected() -> None:
    with pytest.raises(ValueError):
        contact_sheet(default_catalog(), tile=8)
    with pytest.raises(ValueError):
        contact_sheet(default_catalog(), columns=0)


def _small(tmp_path: Path, *names: str) -> Catalog:
    root = tmp_path / "gallery"
    styles = [style(f"s{i}", name) for i, name in enumerate(names)]
    return load_catalog(write_catalog(root, styles))


def test_cached_sheet_is_made_once(tmp_path: Path) -> None:
    cat = _small(tmp_path, "Ann One", "Bob Two")
    cache = tmp_path / "cache" / "nested"
    first = cached_contact_sheet(cat, cache, tile=64, columns=2)
    assert first.is_file() and first.parent == cache
    stamp = first.stat().st_mtime_ns
    os.utime(first, ns=(stamp - 10**9, stamp - 10**9))  # a rewrite would show a new mtime
    stamp = first.stat().st_mtime_ns
    again = cached_contact_sheet(cat, cache, tile=64, columns=2)
    assert again == first and again.stat().st_mtime_ns == stamp
    with Image.open(first) as im:
        assert im.format == "JPEG" and im.size == (128, 64 + label_band_height(64))
    assert sorted(p.name for p in cache.iterdir()) == [first.name]  # no temp files left


def test_cached_sheet_follows_the_catalog(tmp_path: Path) -> None:
    cat = _small(tmp_path, "Ann One", "Bob Two")
    cache = tmp_path / "cache"
    first = cached_contact_sheet(cat, cache, tile=64)
    bigger = _small(tmp_path, "Ann One", "Bob Two", "Cy Three")
    second = cached_contact_sheet(bigger, cache, tile=64)
    assert second != first and second.is_file()
    assert not first.exists()  # the stale sheet is cleaned up
    with Image.open(second) as im:
        assert im.width == 3 * 64
    assert cached_contact_sheet(bigger, cache, tile=80) != second  # layout is in the key


def test_key_changes_when_an_image_changes(tmp_path: Path) -> None:
    cat = _small(tmp_path, "Ann One")
    before = sheet_key(cat)
    image = cat.get("s0").path
    Image.new("RGB", (50, 50), (200, 10, 10)).save(image)
    os.utime(image, ns=(1, 1))
    assert sheet_key(cat) != before


# --- one category ------------------------------------------------------------------------


def _mixed(tmp_path: Path) -> Catalog:
    styles = [
        style("p1", "Ann One"),
        style("m1", "Bob Two", category="mosaic"),
        style("p2", "Cy Three"),
    ]
    return load_catalog(write_catalog(tmp_path / "gallery", styles))


def test_sheet_of_one_category(tmp_path: Path) -> None:
    cat = _mixed(tmp_path)
    paintings = contact_sheet(cat, category="painting", tile=64, columns=4)
    assert paintings.size == (2 * 64, 64 + label_band_height(64))
    mosaics = contact_sheet(cat, category="mosaic", tile=64, columns=4)
    assert mosaics.size == (64, 64 + label_band_height(64))
    with pytest.raises(ValueError, match="no sketch"):
        contact_sheet(cat, category="sketch", tile=64)
    with pytest.raises(ValueError, match="unknown category"):
        contact_sheet(cat, category="baroque", tile=64)


def test_bundled_sheet_per_category(tmp_path: Path) -> None:
    cat = default_catalog()
    for info in cat.categories():
        count = len(cat.by_category(info.slug))
        image = contact_sheet(cat, category=info.slug, tile=48, columns=4)
        assert image.width == min(count, 4) * 48, info.slug
        assert image.height == math.ceil(count / 4) * (48 + label_band_height(48)), info.slug


def test_cached_sheets_are_kept_per_category(tmp_path: Path) -> None:
    cat = _mixed(tmp_path)
    cache = tmp_path / "cache"
    legacy = cache / "contact-sheet-0123456789abcdef0123.jpg"  # named before categories
    cache.mkdir()
    legacy.write_bytes(b"old")
    whole = cached_contact_sheet(cat, cache, tile=64)
    paintings = cached_contact_sheet(cat, cache, category="painting", tile=64)
    mosaics = cached_contact_sheet(cat, cache, category="mosaic", tile=64)
    assert len({whole, paintings, mosaics}) == 3
    assert all(p.is_file() for p in (whole, paintings, mosaics))  # none removed another
    assert not legacy.exists()
    assert "-mosaic-" in mosaics.name and "-all-" in whole.name
    assert cached_contact_sheet(cat, cache, category="mosaic", tile=64) == mosaics
    assert sheet_key(cat, category="mosaic") != sheet_key(cat, category="painting")
    # a new layout of one category replaces only that category's old sheet
    bigger = cached_contact_sheet(cat, cache, category="painting", tile=80)
    assert not paintings.exists() and bigger.is_file()
    assert whole.is_file() and mosaics.is_file()
