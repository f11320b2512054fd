"""The bundled style gallery: public-domain paintings, looked up by the artist's name.

The gallery is described by ``catalog.toml`` (beside this module); the images live in the
``images/`` folder next to that file. :func:`load_catalog` reads and validates it once at
start-up and raises :class:`CatalogError` with a readable message when something is wrong.

Look-up (:meth:`Catalog.lookup`) tries, in this order, and stops at the first step that
finds something:

1. exact name: the slug, the artist's display name (English or Russian), a verified title
   (English or Russian) or an alias;
2. words: every known word of the query (e.g. "gogh", "vincent", "scream") points at the
   same painting(s);
3. part of a name: the query (at least 3 letters) starts a name ("hok"), or failing that is
   contained in one;
4. fuzzy: :class:`difflib.SequenceMatcher` similarity to a name or a word of a name
   ("kandinski", "monnet", "mattise").

Case, accents, "ё"/"е", punctuation, hyphens and spaces never matter ("VAN-GOGH", "vangogh",
"Тернер" all work). A step that finds several paintings equally well answers with all of them
as candidates instead of guessing. In particular an alias listed under two paintings (say two
works by one artist) is allowed and makes that name ambiguous; only an alias that is another
painting's *slug* is rejected, so that a slug always means one painting.

Several works by one artist: the artist's full name is ambiguous (the bot asks which one),
while the bare surname is the slug of the best-known work and so picks that one ("klimt"
is The Kiss; "klimt tree" or "древо жизни" find the other).
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from styles.categories import CATEGORIES, Category, CategoryInfo, category_info
from styles.defaults import StyleDefaults, parse_defaults
from styles.lookup import Lookup, NameIndex, normalize

__all__ = [
    "CATALOG_PATH",
    "Catalog",
    "CatalogError",
    "Lookup",
    "StyleEntry",
    "default_catalog",
    "load_catalog",
    "normalize",
]

CATALOG_PATH = Path(__file__).resolve().with_name("catalog.toml")
IMAGES_DIR = "images"

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_REQUIRED: dict[str, type] = {
    "slug": str, "artist": str, "title": str, "year": str, "file": str, "category": str,
}  # fmt: skip
_OPTIONAL: dict[str, type] = {
    "title_verified": bool, "aliases": list, "artist_ru": str, "title_ru": str, "short": str,
    "short_ru": str, "defaults": dict,
}  # fmt: skip
_OPTIONAL_TEXT = ("artist_ru", "title_ru", "short", "short_ru")


class CatalogError(Exception):
    """The gallery description is broken; the message says where and how."""


@dataclass(frozen=True)
class StyleEntry:
    """One painting of the gallery."""

    slug: str
    artist: str
    title: str
    title_verified: bool
    year: str
    path: Path
    aliases: tuple[str, ...]
    category: Category = "painting"
    artist_ru: str = ""  # "" -> the English name is shown
    title_ru: str = ""
    short: str = ""  # button text; "" -> the artist (set it where an artist has two works)
    short_ru: str = ""  # the same in Russian; "" -> the Russian artist's name
    defaults: StyleDefaults = field(default_factory=StyleDefaults)

    @property
    def label(self) -> str:
        """E.g. "Vincent van Gogh — The Starry Night (1889)"; a description follows a comma."""
        return self._label(self.artist, self.title)

    @property
    def label_ru(self) -> str:
        """The label in Russian, English where a Russian name is missing."""
        return self._label(self.artist_ru or self.artist, self.title_ru or self.title)

    def _label(self, artist: str, title: str) -> str:
        if self.title_verified:
            return f"{artist} — {title} ({self.year})"
        return f"{artist}, {title} ({self.year})"

    @property
    def short_label(self) -> str:
        return self.short or self.artist

    @property
    def category_info(self) -> CategoryInfo:
        return category_info(self.category)

    def names(self) -> tuple[str, ...]:
        """Every normalised name this painting answers to exactly (no duplicates)."""
        raw = [self.slug, self.artist, self.artist_ru, *self.aliases]
        if self.title_verified:
            raw += [self.title, self.title_ru]
        return tuple(dict.fromkeys(n for n in map(normalize, raw) if n))


class Catalog:
    """The gallery: entries in catalog order, look-up by slug or by (approximate) name."""

    def __init__(self, entries: Iterable[StyleEntry], source: Path | None = None) -> None:
        self.entries: tuple[StyleEntry, ...] = tuple(entries)
        self.source = source
        self._by_slug: dict[str, StyleEntry] = {}
        for entry in self.entries:
            if entry.slug in self._by_slug:
                raise CatalogError(f"{self._where()}duplicate slug {entry.slug!r}")
            self._by_slug[entry.slug] = entry
        self._check_aliases()
        self._index = NameIndex(self.entries)

    def _where(self) -> str:
        return f"{self.source}: " if self.source is not None else ""

    def _check_aliases(self) -> None:
        slugs = {normalize(slug): entry for slug, entry in self._by_slug.items()}
        for entry in self.entries:
            for name in entry.names():
                owner = slugs.get(name)
                if owner is not None and owner is not entry:
                    raise CatalogError(
                        f"{self._where()}style {entry.slug!r}: the name {name!r} is the slug "
                        f"of style {owner.slug!r}; a slug must mean one painting"
                    )

    def get(self, slug: str) -> StyleEntry:
        """The entry with this slug; KeyError if there is none."""
        try:
            return self._by_slug[slug]
        except KeyError:
            raise KeyError(slug) from None

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[StyleEntry]:
        return iter(self.entries)

    def __contains__(self, slug: object) -> bool:
        return slug in self._by_slug

    def by_category(self, category: str) -> tuple[StyleEntry, ...]:
        """The entries of one category, in catalog order (empty for an unknown one)."""
        return tuple(e for e in self.entries if e.category == category)

    def categories(self) -> tuple[CategoryInfo, ...]:
        """The categories that have at least one entry, in display order."""
        present = {e.category for e in self.entries}
        return tuple(c for c in CATEGORIES if c.slug in present)

    def lookup(self, query: str) -> Lookup:
        """Find the painting a person means by ``query`` (see the module docstring)."""
        return self._index.lookup(query)


# --- loading -------------------------------------------------------------------------------


def load_catalog(path: Path | None = None) -> Catalog:
    """Read and validate a catalog file (default: ``catalog.toml`` beside this module).

    Image files are resolved against the ``images/`` folder next to the catalog file; each
    must exist and be a readable image (only its header is read here).
    """
    path = (path or CATALOG_PATH).resolve()
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise CatalogError(f"{path}: catalog file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: not valid TOML: {exc}") from None
    tables = data.get("style")
    if not isinstance(tables, list) or not tables:
        raise CatalogError(f"{path}: no [[style]] tables found")
    unknown = set(data) - {"style"}
    if unknown:
        raise CatalogError(f"{path}: unexpected top-level keys: {', '.join(sorted(unknown))}")
    images = path.parent / IMAGES_DIR
    entries = [_parse_entry(table, n, images, path) for n, table in enumerate(tables, 1)]
    return Catalog(entries, source=path)


def _parse_entry(table: Any, number: int, images: Path, source: Path) -> StyleEntry:
    where = f"{source}: [[style]] #{number}"
    if not isinstance(table, dict):
        raise CatalogError(f"{where}: expected a table")
    if isinstance(table.get("slug"), str):
        where = f"{where} ({table['slug']!r})"
    _check_fields(table, where)
    slug: str = table["slug"]
    if not _SLUG_RE.fullmatch(slug):
        raise CatalogError(f"{where}: slug must be lowercase letters, digits and hyphens")
    aliases: list[Any] = table.get("aliases", [])
    if not all(isinstance(a, str) and a.strip() for a in aliases):
        raise CatalogError(f"{where}: 'aliases' must be a list of non-empty strings")
    category = _check_category(table["category"], where)
    try:
        defaults = parse_defaults(table.get("defaults", {}), where)
    except ValueError as exc:
        raise CatalogError(str(exc)) from None
    return StyleEntry(
        slug=slug,
        artist=table["artist"].strip(),
        title=table["title"].strip(),
        title_verified=table.get("title_verified", True),
        year=table["year"].strip(),
        path=_check_image(images, table["file"], where),
        aliases=tuple(a.strip() for a in aliases),
        category=category,
        artist_ru=table.get("artist_ru", "").strip(),
        title_ru=table.get("title_ru", "").strip(),
        short=table.get("short", "").strip(),
        short_ru=table.get("short_ru", "").strip(),
        defaults=defaults,
    )


def _check_category(name: str, where: str) -> Category:
    for info in CATEGORIES:
        if info.slug == name:
            return info.slug
    allowed = ", ".join(c.slug for c in CATEGORIES)
    raise CatalogError(f"{where}: unknown category {name!r} (allowed: {allowed})")


def _check_fields(table: dict[str, Any], where: str) -> None:
    for key, kind in _REQUIRED.items():
        if key not in table:
            raise CatalogError(f"{where}: missing field {key!r}")
        if not isinstance(table[key], kind) or not table[key].strip():
            raise CatalogError(f"{where}: field {key!r} must be a non-empty string")
    for key, kind in _OPTIONAL.items():
        if key in table and not isinstance(table[key], kind):
            raise CatalogError(f"{where}: field {key!r} must be a {kind.__name__}")
    for key in _OPTIONAL_TEXT:
        if key in table and not table[key].strip():
            raise CatalogError(f"{where}: field {key!r} must not be empty")
    unknown = set(table) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        allowed = ", ".join([*_REQUIRED, *_OPTIONAL])
        names = ", ".join(sorted(unknown))
        raise CatalogError(f"{where}: unknown field(s) {names} (allowed: {allowed})")


def _check_image(images: Path, name: str, where: str) -> Path:
    path = (images / name).resolve()
    if not path.is_file():
        raise CatalogError(f"{where}: image file not found: {path}")
    try:
        with Image.open(path) as im:
            width, height = im.size
    except (UnidentifiedImageError, OSError) as exc:
        raise CatalogError(f"{where}: not a readable image: {path} ({exc})") from None
    if width <= 0 or height <= 0:
        raise CatalogError(f"{where}: empty image: {path}")
    return path


@functools.cache
def default_catalog() -> Catalog:
    """The bundled gallery, loaded once per process."""
    return load_catalog()
