"""The bundled style gallery: public-domain paintings, looked up by the artist's name.

The gallery is described by ``catalog.toml`` (beside this module); the images live in the
``images/`` folder next to that file. :func:`load_catalog` reads and validates it once at
start-up and raises :class:`CatalogError` with a readable message when something is wrong.

Look-up (:meth:`Catalog.lookup`) tries, in this order, and stops at the first step that
finds something:

1. exact name: the slug, the artist's display name, a verified title or an alias;
2. words: every known word of the query (e.g. "gogh", "vincent", "scream") points at the
   same painting(s);
3. part of a name: the query (at least 3 letters) is contained in a name ("hok");
4. fuzzy: :class:`difflib.SequenceMatcher` similarity to a name or a word of a name
   ("kandinski", "monnet", "mattise").

Case, accents, "ё"/"е", punctuation, hyphens and spaces never matter ("VAN-GOGH", "vangogh",
"Тернер" all work). A step that finds several paintings equally well answers with all of them
as candidates instead of guessing. In particular an alias listed under two paintings (say two
works by one artist) is allowed and makes that name ambiguous; only an alias that is another
painting's *slug* is rejected, so that a slug always means one painting.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

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
MAX_SUGGESTIONS = 3
FUZZY_THRESHOLD = 0.75
FUZZY_MARGIN = 0.03
MIN_WORD = 3
# Words too common to identify a painting on their own ("van" is in "van Dyck" too).
STOPWORDS = frozenset({"the", "and", "off", "with", "des", "les", "van", "von", "der", "ван"})

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NON_WORD = re.compile(r"[\W_]+")
_REQUIRED: dict[str, type] = {"slug": str, "artist": str, "title": str, "year": str, "file": str}
_OPTIONAL: dict[str, type] = {"title_verified": bool, "aliases": list}


class CatalogError(Exception):
    """The gallery description is broken; the message says where and how."""


def normalize(text: str) -> str:
    """Fold a name for comparison: casefold, no accents, 'ё' -> 'е', words split by spaces."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("ё", "е"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", text).split())


def _compact(normalized: str) -> str:
    return normalized.replace(" ", "")


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

    @property
    def label(self) -> str:
        """E.g. "Vincent van Gogh — The Starry Night (1889)"; a description follows a comma."""
        if self.title_verified:
            return f"{self.artist} — {self.title} ({self.year})"
        return f"{self.artist}, {self.title} ({self.year})"

    @property
    def short_label(self) -> str:
        return self.artist

    def names(self) -> tuple[str, ...]:
        """Every normalised name this painting answers to exactly (no duplicates)."""
        raw = [self.slug, self.artist, *self.aliases]
        if self.title_verified:
            raw.append(self.title)
        return tuple(dict.fromkeys(n for n in map(normalize, raw) if n))


@dataclass(frozen=True)
class Lookup:
    """The answer to :meth:`Catalog.lookup`.

    ``entry`` is the one confident match, or None. Then ``candidates`` holds either the
    paintings the query fits equally well (``ambiguous`` is True) or, when nothing fits,
    up to three closest suggestions, best first. ``guessed`` is True when ``entry`` was
    found by a fuzzy or partial match (worth telling the user which artist was taken).
    """

    entry: StyleEntry | None
    candidates: tuple[StyleEntry, ...] = ()
    ambiguous: bool = False
    guessed: bool = False

    @property
    def ok(self) -> bool:
        return self.entry is not None


def _found(hits: Sequence[StyleEntry], *, guessed: bool = False) -> Lookup:
    if len(hits) == 1:
        return Lookup(hits[0], guessed=guessed)
    return Lookup(None, tuple(hits), ambiguous=True)


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _words(normalized: str) -> list[str]:
    return [w for w in normalized.split() if len(w) >= MIN_WORD and w not in STOPWORDS]


class _Index:
    """Name tables behind :meth:`Catalog.lookup`; entries are kept in catalog order."""

    def __init__(self, entries: Sequence[StyleEntry]) -> None:
        self.exact: dict[str, list[StyleEntry]] = {}
        self.words: dict[str, list[StyleEntry]] = {}
        self.fuzzy: list[tuple[StyleEntry, frozenset[str]]] = []
        for entry in entries:
            names = entry.names()
            compact = {_compact(n) for n in names}
            words = {w for n in names for w in _words(n)}
            for key in (*names, *compact):
                _add(self.exact, key, entry)
            for word in words:
                _add(self.words, word, entry)
            keys = {k for k in compact | words if len(k) > MIN_WORD}
            self.fuzzy.append((entry, frozenset(keys)))


def _add(table: dict[str, list[StyleEntry]], key: str, entry: StyleEntry) -> None:
    bucket = table.setdefault(key, [])
    if entry not in bucket:
        bucket.append(entry)


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
        self._index = _Index(self.entries)

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

    def lookup(self, query: str) -> Lookup:
        """Find the painting a person means by ``query`` (see the module docstring)."""
        name = normalize(query)
        if not name:
            return Lookup(None)
        exact = self._index.exact.get(name) or self._index.exact.get(_compact(name))
        if exact:
            return _found(exact)
        return self._by_words(name) or self._by_part(name) or self._by_similarity(name)

    def _by_words(self, name: str) -> Lookup | None:
        words = _words(name)
        known = [self._index.words[w] for w in words if w in self._index.words]
        if not known:
            return None
        common = [e for e in known[0] if all(e in hits for hits in known[1:])]
        if not common:  # "monet or matisse": offer each one that was named
            common = [e for e in self.entries if any(e in hits for hits in known)]
        return _found(common, guessed=len(known) < len(words))

    def _by_part(self, name: str) -> Lookup | None:
        part = _compact(name)
        if len(part) < MIN_WORD or name in STOPWORDS:
            return None
        hits = [e for e, keys in self._index.fuzzy if any(part in key for key in keys)]
        return _found(hits, guessed=True) if hits else None

    def _by_similarity(self, name: str) -> Lookup:
        probes = {_compact(name), *(w for w in _words(name) if len(w) > MIN_WORD)}
        scored = [
            (max((_similarity(p, key) for p in probes for key in keys), default=0.0), i)
            for i, (_, keys) in enumerate(self._index.fuzzy)
        ]
        scored.sort(key=lambda item: (-item[0], item[1]))
        best = scored[0][0] if scored else 0.0
        if best < FUZZY_THRESHOLD:
            return Lookup(None, tuple(self.entries[i] for _, i in scored[:MAX_SUGGESTIONS]))
        close = [self.entries[i] for s, i in scored if s >= max(best - FUZZY_MARGIN, 0.0)]
        return _found(close, guessed=True)


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
    return StyleEntry(
        slug=slug,
        artist=table["artist"].strip(),
        title=table["title"].strip(),
        title_verified=table.get("title_verified", True),
        year=table["year"].strip(),
        path=_check_image(images, table["file"], where),
        aliases=tuple(a.strip() for a in aliases),
    )


def _check_fields(table: dict[str, Any], where: str) -> None:
    for key, kind in _REQUIRED.items():
        if key not in table:
            raise CatalogError(f"{where}: missing field {key!r}")
        if not isinstance(table[key], kind) or not table[key].strip():
            raise CatalogError(f"{where}: field {key!r} must be a non-empty string")
    for key, kind in _OPTIONAL.items():
        if key in table and not isinstance(table[key], kind):
            raise CatalogError(f"{where}: field {key!r} must be a {kind.__name__}")
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
