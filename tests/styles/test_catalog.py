from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from styles.catalog import (
    CATALOG_PATH,
    Catalog,
    CatalogError,
    Lookup,
    StyleEntry,
    default_catalog,
    load_catalog,
    normalize,
)

EXPECTED_SLUGS = [
    "van-gogh",
    "munch",
    "hokusai",
    "monet",
    "kandinsky",
    "matisse",
    "picabia",
    "turner",
    "mondrian",
    "leger",
    "hoitsu",
    "kuniyoshi",
    "kyosai",
    "roman-mosaic",
    "tiffany",
    "seurat",
    "delaunay",
    "mucha",
    "klimt",
    "klimt-tree-of-life",
    "macke",
    "macke-strollers",
    "picabia-edtaonisl",
    "gauguin",
    "petrov-vodkin",
    "vrubel",
    "vermeer",
    "bruegel",
    "rembrandt",
    "toulouse-lautrec",
]
UNVERIFIED = ["mondrian", "hoitsu", "roman-mosaic", "macke", "macke-strollers"]


def write_catalog(root: Path, styles: list[dict[str, Any]], *, images: bool = True) -> Path:
    """A small catalog in ``root`` (catalog.toml + images/), one tiny JPEG per style."""
    (root / "images").mkdir(parents=True, exist_ok=True)
    lines = []
    for n, style in enumerate(styles):
        if images and "file" in style:
            Image.new("RGB", (40, 30), (30 * n % 256, 90, 160)).save(
                root / "images" / style["file"]
            )
        lines.append("[[style]]")
        for key, value in style.items():
            if isinstance(value, bool):
                lines.append(f"{key} = {'true' if value else 'false'}")
            elif isinstance(value, int | float):
                lines.append(f"{key} = {value}")
            elif isinstance(value, dict):  # an inline table of numbers
                pairs = ", ".join(f"{k} = {v}" for k, v in value.items())
                lines.append(f"{key} = {{ {pairs} }}")
            elif isinstance(value, list):
                lines.append(f"{key} = [{', '.join(_q(v) for v in value)}]")
            else:
                lines.append(f"{key} = {_q(value)}")
        lines.append("")
    path = root / "catalog.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _q(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def style(slug: str, artist: str, **extra: Any) -> dict[str, Any]:
    return {
        "slug": slug,
        "artist": artist,
        "title": f"Work of {artist}",
        "year": "1900",
        "file": f"{slug}.jpg",
        "category": "painting",
        **extra,
    }


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return default_catalog()


def slug_of(found: Lookup) -> str | None:
    return found.entry.slug if found.entry is not None else None


# --- the bundled catalog -----------------------------------------------------------------


def test_bundled_catalog_has_every_painting(catalog: Catalog) -> None:
    assert [e.slug for e in catalog.entries] == EXPECTED_SLUGS
    assert len(catalog) == len(EXPECTED_SLUGS)
    assert list(catalog) == list(catalog.entries)
    assert default_catalog() is catalog  # cached


@pytest.mark.parametrize("slug", EXPECTED_SLUGS)
def test_every_image_decodes(catalog: Catalog, slug: str) -> None:
    entry = catalog.get(slug)
    assert entry.path.is_absolute()
    assert entry.path.parent == CATALOG_PATH.parent / "images"
    with Image.open(entry.path) as im:
        im.draft("RGB", (128, 128))
        rgb = im.convert("RGB")
    assert rgb.width > 0 and rgb.height > 0
    assert rgb.getextrema() != ((0, 0), (0, 0), (0, 0))


def test_get_unknown_slug_raises_key_error(catalog: Catalog) -> None:
    with pytest.raises(KeyError):
        catalog.get("picasso")


def test_labels(catalog: Catalog) -> None:
    assert catalog.get("van-gogh").label == "Vincent van Gogh — The Starry Night (1889)"
    assert catalog.get("hokusai").label == (
        "Katsushika Hokusai — The Great Wave off Kanagawa (c. 1831)"
    )
    assert catalog.get("leger").short_label == "Fernand Léger"


@pytest.mark.parametrize("slug", UNVERIFIED)
def test_unverified_titles_are_descriptions(catalog: Catalog, slug: str) -> None:
    entry = catalog.get(slug)
    assert entry.title_verified is False
    assert "—" not in entry.label and '"' not in entry.label
    assert entry.label.startswith(f"{entry.artist}, ")
    # a description is no name to look the painting up by (its words may be aliases)
    assert normalize(entry.title) not in entry.names()
    assert normalize(entry.title_ru) not in entry.names()
    found = catalog.lookup(entry.title)
    assert found.entry != entry or found.guessed


def test_verified_titles(catalog: Catalog) -> None:
    unverified = {e.slug for e in catalog if not e.title_verified}
    assert unverified == set(UNVERIFIED)


# --- look-up -----------------------------------------------------------------------------

EXACT = {
    "Ван Гог": "van-gogh",
    "Мунк": "munch",
    "Хокусай": "hokusai",
    "Моне": "monet",
    "Кандинский": "kandinsky",
    "Матисс": "matisse",
    "Пикабиа": "picabia",
    "Тёрнер": "turner",
    "Тернер": "turner",
    "Мондриан": "mondrian",
    "Леже": "leger",
    "Хоицу": "hoitsu",
    "Винсент Ван Гог": "van-gogh",
    "Эдвард Мунк": "munch",
    "Van Gogh": "van-gogh",
    "van gogh": "van-gogh",
    "VAN-GOGH": "van-gogh",
    "vangogh": "van-gogh",
    "gogh": "van-gogh",
    "Vincent": "van-gogh",
    "Léger": "leger",
    "leger": "leger",
    "LEGER": "leger",
    "Hokusai": "hokusai",
    "Katsushika Hokusai": "hokusai",
    "munch": "munch",
    "the scream": "munch",
    "starry night": "van-gogh",
    "The Starry Night": "van-gogh",
    "turner": "turner",
    "J. M. W. Turner": "turner",
    "great wave": "hokusai",
    "water lilies": "monet",
    "Sakai Hōitsu": "hoitsu",
    "hoitsu": "hoitsu",
    "kandinsky": "kandinsky",
    "  Claude   MONET ": "monet",
    "Vincent Gogh": "van-gogh",
    "mondrian": "mondrian",
}


@pytest.mark.parametrize(("query", "slug"), EXACT.items())
def test_exact_and_word_matches(catalog: Catalog, query: str, slug: str) -> None:
    found = catalog.lookup(query)
    assert slug_of(found) == slug, found
    assert found.ok and found.candidates == () and not found.guessed


NEAR = {
    "van gog": "van-gogh",
    "vangog": "van-gogh",
    "Ван-Гог": "van-gogh",
    "munh": "munch",
    "much": "mucha",  # a prefix of Mucha's name beats a typo of Munch's
    "kandinski": "kandinsky",
    "кандинскии": "kandinsky",
    "hokusay": "hokusai",
    "monnet": "monet",
    "mattise": "matisse",
    "mondrain": "mondrian",
    "picasbia": "picabia",
    "Матис": "matisse",
    "hok": "hokusai",
}


@pytest.mark.parametrize(("query", "slug"), NEAR.items())
def test_near_misses_resolve(catalog: Catalog, query: str, slug: str) -> None:
    found = catalog.lookup(query)
    best = found.entry or found.candidates[0]
    assert best.slug == slug, found
    assert found.ok  # with this catalog every one of them resolves


@pytest.mark.parametrize("query", ["qwertyuiop", "pizza", "12345", "asdfgh", "Пикассо"])
def test_nonsense_gives_suggestions(catalog: Catalog, query: str) -> None:
    found = catalog.lookup(query)
    assert found.entry is None and not found.ok and not found.ambiguous
    assert 1 <= len(found.candidates) <= 3
    assert len(set(found.candidates)) == len(found.candidates)


def test_suggestions_are_closest_first(catalog: Catalog) -> None:
    assert catalog.lookup("picasso").candidates[0].slug == "picabia"


@pytest.mark.parametrize("query", ["", "   ", "-", "?!"])
def test_empty_query(catalog: Catalog, query: str) -> None:
    assert catalog.lookup(query) == Lookup(None, ())


def test_shared_prefix_is_ambiguous(catalog: Catalog) -> None:
    found = catalog.lookup("mon")  # Monet and Mondrian
    assert found.entry is None and found.ambiguous
    assert {e.slug for e in found.candidates} == {"monet", "mondrian"}


def test_two_artists_named_offers_both(catalog: Catalog) -> None:
    found = catalog.lookup("monet or matisse")
    assert [e.slug for e in found.candidates] == ["monet", "matisse"]


def test_normalize() -> None:
    assert normalize("  Fernand   LÉGER! ") == "fernand leger"
    assert normalize("Тёрнер") == normalize("ТЕРНЕР") == "тернер"
    assert normalize("Van-Gogh's") == "van gogh s"
    assert normalize("Кандинский") == "кандинскии"


# --- small temporary catalogs ------------------------------------------------------------


def test_shared_surname_is_ambiguous(tmp_path: Path) -> None:
    cat = load_catalog(
        write_catalog(
            tmp_path,
            [
                style("john-smith", "John Smith"),
                style("anna-smith", "Anna Smith"),
                style("other", "Someone Else"),
            ],
        )
    )
    found = cat.lookup("smith")
    assert found.entry is None and found.ambiguous
    assert [e.slug for e in found.candidates] == ["john-smith", "anna-smith"]
    assert slug_of(cat.lookup("anna smith")) == "anna-smith"
    assert slug_of(cat.lookup("john")) == "john-smith"


def test_alias_shared_by_two_styles_is_ambiguous(tmp_path: Path) -> None:
    cat = load_catalog(
        write_catalog(
            tmp_path,
            [
                style("a-one", "Ann Artist", aliases=["Ann"]),
                style("a-two", "Ann Artist", aliases=["Ann"]),
            ],
        )
    )
    assert [e.slug for e in cat.lookup("ann").candidates] == ["a-one", "a-two"]
    assert [e.slug for e in cat.lookup("Ann Artist").candidates] == ["a-one", "a-two"]
    assert slug_of(cat.lookup("a-two")) == "a-two"


def test_minimal_entry_defaults(tmp_path: Path) -> None:
    cat = load_catalog(write_catalog(tmp_path, [style("solo", "Solo Painter")]))
    entry = cat.get("solo")
    assert entry == StyleEntry(
        "solo",
        "Solo Painter",
        "Work of Solo Painter",
        True,
        "1900",
        (tmp_path / "images" / "solo.jpg").resolve(),
        (),
    )
    assert cat.source == (tmp_path / "catalog.toml").resolve()


def test_duplicate_slug(tmp_path: Path) -> None:
    path = write_catalog(tmp_path, [style("twin", "A B"), style("twin", "C D", file="c.jpg")])
    with pytest.raises(CatalogError, match="duplicate slug 'twin'"):
        load_catalog(path)


def test_alias_that_is_another_slug(tmp_path: Path) -> None:
    path = write_catalog(
        tmp_path, [style("first", "A B"), style("second", "C D", aliases=["first"])]
    )
    with pytest.raises(CatalogError, match="slug of style 'first'"):
        load_catalog(path)


def test_missing_image_file(tmp_path: Path) -> None:
    path = write_catalog(tmp_path, [style("ghost", "No Image")], images=False)
    with pytest.raises(CatalogError, match=r"'ghost'.*image file not found.*ghost\.jpg"):
        load_catalog(path)


def test_unreadable_image(tmp_path: Path) -> None:
    path = write_catalog(tmp_path, [style("broken", "Broken Image")])
    (tmp_path / "images" / "broken.jpg").write_bytes(b"not a jpeg")
    with pytest.raises(CatalogError, match="not a readable image"):
        load_catalog(path)


@pytest.mark.parametrize("field", ["slug", "artist", "title", "year", "file", "category"])
def test_missing_field(tmp_path: Path, field: str) -> None:
    entry = style("partial", "Part Ial")
    del entry[field]
    path = write_catalog(tmp_path, [style("fine", "Fine Artist"), entry])
    with pytest.raises(CatalogError, match=rf"#2.*missing field '{field}'"):
        load_catalog(path)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"title_verified": "no"}, "'title_verified' must be a bool"),
        ({"aliases": "Just One"}, "'aliases' must be a list"),
        ({"aliases": ["ok", ""]}, "'aliases' must be a list of non-empty strings"),
        ({"year": 1900}, "'year' must be a non-empty string"),
        ({"alias": ["typo"]}, r"unknown field\(s\) alias"),
        ({"slug": "Bad Slug"}, "slug must be lowercase"),
        ({"category": "baroque"}, "unknown category 'baroque'"),
        ({"category": "Painting"}, "unknown category"),
        ({"artist_ru": " "}, "'artist_ru' must not be empty"),
        ({"short": 3}, "'short' must be a str"),
        ({"defaults": {"style_scale": 9}}, "'style_scale' must be between 0.25 and 4.0"),
        ({"defaults": {"strength": -0.1}}, "'strength' must be between"),
        ({"defaults": {"tv_weight": 1}}, r"unknown default\(s\) tv_weight"),
        ({"defaults": {"strength": "true"}}, "'strength' must be a number"),
        ({"defaults": ["x"]}, "'defaults' must be a dict"),
    ],
)
def test_bad_fields(tmp_path: Path, extra: dict[str, Any], message: str) -> None:
    entry = {**style("entry", "Some One"), **extra}
    entry["file"] = "entry.jpg"
    path = write_catalog(tmp_path, [entry])
    with pytest.raises(CatalogError, match=message):
        load_catalog(path)


def test_bad_toml(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text("[[style]\nslug = 'x'\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid TOML"):
        load_catalog(path)


def test_no_styles_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text("# nothing here\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="no \\[\\[style\\]\\] tables"):
        load_catalog(path)
    with pytest.raises(CatalogError, match="not found"):
        load_catalog(tmp_path / "absent.toml")
