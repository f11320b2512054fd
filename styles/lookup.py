"""Look-up of a painting by what a person types: the name tables and the four steps.

See :mod:`styles.catalog` for the rules; :class:`NameIndex` is built once per catalog.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from styles.catalog import StyleEntry

__all__ = ["Lookup", "NameIndex", "normalize"]

MAX_SUGGESTIONS = 3
FUZZY_THRESHOLD = 0.75
FUZZY_MARGIN = 0.03
MIN_WORD = 3
# Words too common to identify a painting on their own ("van" is in "van Dyck" too).
STOPWORDS = frozenset({"the", "and", "off", "with", "des", "les", "van", "von", "der", "ван"})

_NON_WORD = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """Fold a name for comparison: casefold, no accents, 'ё' -> 'е', words split by spaces."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("ё", "е"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", text).split())


def _compact(normalized: str) -> str:
    return normalized.replace(" ", "")


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


class NameIndex:
    """Name tables behind :meth:`Catalog.lookup`; entries are kept in catalog order."""

    def __init__(self, entries: Sequence[StyleEntry]) -> None:
        self.entries = tuple(entries)
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

    def lookup(self, query: str) -> Lookup:
        """Find the painting a person means by ``query`` (see :mod:`styles.catalog`)."""
        name = normalize(query)
        if not name:
            return Lookup(None)
        exact = self.exact.get(name) or self.exact.get(_compact(name))
        if exact:
            return _found(exact)
        return self._by_words(name) or self._by_part(name) or self._by_similarity(name)

    def _by_words(self, name: str) -> Lookup | None:
        words = _words(name)
        known = [self.words[w] for w in words if w in self.words]
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
        # A prefix is what people type when they abbreviate: "mon" is Monet or Mondrian,
        # not also "Demon"; a part from the middle counts only when nothing starts so.
        fuzzy = self.fuzzy
        hits = [e for e, keys in fuzzy if any(key.startswith(part) for key in keys)]
        hits = hits or [e for e, keys in fuzzy if any(part in key for key in keys)]
        return _found(hits, guessed=True) if hits else None

    def _by_similarity(self, name: str) -> Lookup:
        probes = {_compact(name), *(w for w in _words(name) if len(w) > MIN_WORD)}
        scored = [
            (max((_similarity(p, key) for p in probes for key in keys), default=0.0), i)
            for i, (_, keys) in enumerate(self.fuzzy)
        ]
        scored.sort(key=lambda item: (-item[0], item[1]))
        best = scored[0][0] if scored else 0.0
        if best < FUZZY_THRESHOLD:
            return Lookup(None, tuple(self.entries[i] for _, i in scored[:MAX_SUGGESTIONS]))
        close = [self.entries[i] for s, i in scored if s >= max(best - FUZZY_MARGIN, 0.0)]
        primary = _surname_typo(close, probes, best)
        return _found([primary] if primary else close, guessed=True)


def _surname_typo(close: Sequence[StyleEntry], probes: set[str], best: float) -> StyleEntry | None:
    """Several works of one artist tie, and the query is closest to a name only one of them
    has: a typo of the bare surname ("klimpt", "климпт") goes where the surname goes, to the
    best-known work (whose slug or alias it is); "gustav klimpt" stays ambiguous."""
    if len(close) < 2 or len({e.artist for e in close}) > 1:
        return None
    hits = [
        e
        for e in close
        if max(_similarity(p, _compact(n)) for p in probes for n in e.names()) >= best
    ]
    return hits[0] if len(hits) == 1 else None


def _add(table: dict[str, list[StyleEntry]], key: str, entry: StyleEntry) -> None:
    bucket = table.setdefault(key, [])
    if entry not in bucket:
        bucket.append(entry)
