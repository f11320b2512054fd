"""The richer gallery: categories, Russian names, works that share an artist, defaults."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest
from PIL import Image

from styles.catalog import Catalog, default_catalog, load_catalog
from styles.categories import CATEGORIES, Category, category_info, find_category
from styles.defaults import StyleDefaults
from tests.styles.test_catalog import slug_of, style, write_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return default_catalog()


# --- images and categories ---------------------------------------------------------------


def test_every_entry_image_exists_decodes_and_is_reasonably_sized(catalog: Catalog) -> None:
    for entry in catalog:
        assert entry.path.is_file(), entry.slug
        assert entry.path.suffix == ".jpg", entry.slug  # pyproject's package-data: images/*.jpg
        assert entry.path.stat().st_size < 1_000_000, entry.slug
        with Image.open(entry.path) as im:
            assert im.format == "JPEG", entry.slug  # package-data ships images/*.jpg only
            assert max(im.size) <= 1024, entry.slug
            im.load()  # decodes the whole file, not only the header


def test_every_entry_has_russian_names_and_a_known_category(catalog: Catalog) -> None:
    known = set(get_args(Category))
    for entry in catalog:
        assert entry.category in known, entry.slug
        assert entry.artist_ru and entry.title_ru, entry.slug
        assert entry.label_ru.startswith(entry.artist_ru), entry.slug


def test_categories_are_ordered_and_labelled_in_both_languages() -> None:
    assert [c.slug for c in CATEGORIES] == list(get_args(Category))
    for info in CATEGORIES:
        assert info.en and info.en.isascii()
        assert info.ru and any("а" <= ch.casefold() <= "я" for ch in info.ru)
        assert info.label("en") == info.en and info.label("ru-RU") == info.ru
        assert category_info(info.slug) is info
    assert len({c.en for c in CATEGORIES}) == len({c.ru for c in CATEGORIES}) == len(CATEGORIES)
    with pytest.raises(KeyError):
        category_info("baroque")


def test_bundled_catalog_covers_every_category(catalog: Catalog) -> None:
    assert catalog.categories() == CATEGORIES
    total = sum(len(catalog.by_category(c.slug)) for c in CATEGORIES)
    assert total == len(catalog)
    assert [e.slug for e in catalog.by_category("mosaic")] == ["roman-mosaic"]
    assert [e.slug for e in catalog.by_category("sketch")] == ["macke-strollers"]
    assert catalog.by_category("baroque") == ()


def test_categories_present_keep_display_order(tmp_path: Path) -> None:
    cat = load_catalog(
        write_catalog(
            tmp_path,
            [
                style("a", "Ann Artist", category="sketch"),
                style("b", "Bob Artist", category="mosaic"),
                style("c", "Cy Artist", category="sketch"),
            ],
        )
    )
    assert [c.slug for c in cat.categories()] == ["mosaic", "sketch"]
    assert [e.slug for e in cat.by_category("sketch")] == ["a", "c"]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("mosaic", "mosaic"),
        ("Мозаика", "mosaic"),
        ("stained glass", "stained-glass"),
        ("Stained-Glass", "stained-glass"),
        ("витраж", "stained-glass"),
        ("ukiyoe", "ukiyo-e"),
        ("укиё-э", "ukiyo-e"),
        ("Art Nouveau", "art-nouveau"),
        ("модерн", "art-nouveau"),
        ("pointil", "pointillism"),
        ("drawing", "sketch"),
        ("Абстракция", "abstract"),
    ],
)
def test_find_category(name: str, slug: str) -> None:
    found = find_category(name)
    assert found is not None and found.slug == slug


@pytest.mark.parametrize("name", ["", "baroque", "ab", "-"])
def test_find_category_unknown(name: str) -> None:
    assert find_category(name) is None


# --- look-up of the new works ------------------------------------------------------------

# slug: (English name, Russian name, a typo)
NEW_WORKS = {
    "kuniyoshi": ("Kuniyoshi", "Куниёси", "Kuniyoshy"),
    "kyosai": ("Kyōsai", "Кёсай", "Kyossai"),
    "roman-mosaic": ("Roman mosaic", "Римская мозаика", "mosiac"),
    "tiffany": ("Tiffany", "Тиффани", "Tifanny"),
    "seurat": ("Georges Seurat", "Сёра", "Seurrat"),
    "delaunay": ("Delaunay", "Делоне", "Delanay"),
    "mucha": ("Alphonse Mucha", "Муха", "Muccha"),
    "klimt": ("Klimt", "Климт", "Klimpt"),
    "klimt-tree-of-life": ("Tree of Life", "Древо жизни", "tree of lief"),
    "macke": ("Macke", "Маке", "Mackke"),
    "macke-strollers": ("Macke drawing", "Маке рисунок", "Makce sketch"),
    "picabia-edtaonisl": ("Edtaonisl", "Эдтаонисл", "Edtaonsl"),
    "gauguin": ("Paul Gauguin", "Гоген", "Gaugain"),
    "petrov-vodkin": ("Petrov-Vodkin", "Петров-Водкин", "Petrov Votkin"),
    "vrubel": ("Mikhail Vrubel", "Врубель", "Vroubel"),
    "vermeer": ("Vermeer", "Вермеер", "Vermeeer"),
    "bruegel": ("Pieter Bruegel", "Брейгель", "Breugel"),
    "rembrandt": ("Rembrandt", "Рембрандт", "Rembrndt"),
    "toulouse-lautrec": ("Toulouse-Lautrec", "Тулуз-Лотрек", "Toulous Lautrec"),
}


@pytest.mark.parametrize(
    ("query", "slug"), [(q, slug) for slug, names in NEW_WORKS.items() for q in names]
)
def test_new_works_by_english_russian_and_typo(catalog: Catalog, query: str, slug: str) -> None:
    found = catalog.lookup(query)
    assert slug_of(found) == slug, found


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("kiss", "klimt"),
        ("The Kiss", "klimt"),
        ("поцелуй", "klimt"),
        ("Климт поцелуй", "klimt"),
        ("klimt tree", "klimt-tree-of-life"),
        ("Древо жизни", "klimt-tree-of-life"),
        ("picabia", "picabia"),  # the surname is the slug of the best-known work
        ("Пикабия", "picabia"),
        ("picasbia", "picabia"),
        ("Udnie", "picabia"),
        ("picabia edtaonisl", "picabia-edtaonisl"),
        ("Маке", "macke"),
        ("Makke", "macke"),
        ("macke strollers", "macke-strollers"),
        ("sketch", "macke-strollers"),
        ("mosaic", "roman-mosaic"),
        ("витраж", "tiffany"),
        ("Henri", "matisse"),  # an alias beats a word of Toulouse-Lautrec's name
        ("Гог", "van-gogh"),  # not Гоген
        ("красный конь", "petrov-vodkin"),
        ("Охотники на снегу", "bruegel"),
    ],
)
def test_titles_and_works_that_share_an_artist(catalog: Catalog, query: str, slug: str) -> None:
    assert slug_of(catalog.lookup(query)) == slug


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("Gustav Klimt", ["klimt", "klimt-tree-of-life"]),
        ("Густав Климт", ["klimt", "klimt-tree-of-life"]),
        ("gustav klimpt", ["klimt", "klimt-tree-of-life"]),
        ("Francis Picabia", ["picabia", "picabia-edtaonisl"]),
        ("Франсис Пикабиа", ["picabia", "picabia-edtaonisl"]),
        ("August Macke", ["macke", "macke-strollers"]),
        ("Август Маке", ["macke", "macke-strollers"]),
        ("Анри", ["matisse", "toulouse-lautrec"]),
    ],
)
def test_full_name_of_an_artist_with_several_works_asks(
    catalog: Catalog, query: str, slugs: list[str]
) -> None:
    found = catalog.lookup(query)
    assert found.entry is None and found.ambiguous, found
    assert [e.slug for e in found.candidates] == slugs  # catalog order: best-known first
    labels = [e.label for e in found.candidates]
    assert len(set(labels)) == len(labels)  # the choice shows which work is which


def test_works_that_share_an_artist_have_distinct_buttons(catalog: Catalog) -> None:
    shorts = [e.short_label for e in catalog]
    assert len(set(shorts)) == len(shorts)
    assert catalog.get("klimt").short_label == "Klimt: The Kiss"
    assert catalog.get("munch").short_label == "Edvard Munch"  # the artist by default


def test_no_two_entries_share_an_exact_surname_alias(catalog: Catalog) -> None:
    # every name but an artist's full display name points at one work only
    owners: dict[str, set[str]] = {}
    for entry in catalog:
        for name in entry.names():
            owners.setdefault(name, set()).add(entry.slug)
    shared = {name for name, slugs in owners.items() if len(slugs) > 1}
    full_names = {n for e in catalog for n in map(_norm, (e.artist, e.artist_ru))}
    assert shared <= full_names, shared - full_names


def _norm(text: str) -> str:
    from styles.catalog import normalize

    return normalize(text)


# --- per-style defaults ------------------------------------------------------------------


def test_defaults_are_read_from_the_catalog(tmp_path: Path) -> None:
    cat = load_catalog(
        write_catalog(
            tmp_path,
            [
                style("plain", "Plain Painter"),
                style("tiles", "Tile Maker", defaults={"style_scale": 2, "strength": 0.6}),
            ],
        )
    )
    assert cat.get("plain").defaults == StyleDefaults()
    tiles = cat.get("tiles")
    assert tiles.defaults == StyleDefaults(style_scale=2.0, strength=0.6)
