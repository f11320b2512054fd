"""The gallery's categories: one ordered list with English and Russian labels.

The bot, the API and any page show categories in this order and with these labels, so they
live here once. A category is named in ``catalog.toml`` by its ``slug``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["CATEGORIES", "Category", "CategoryInfo", "category_info", "find_category"]

Category = Literal[
    "painting",
    "ukiyo-e",
    "mosaic",
    "stained-glass",
    "pointillism",
    "art-nouveau",
    "expressionism",
    "cubism",
    "sketch",
    "abstract",
]


@dataclass(frozen=True)
class CategoryInfo:
    """A category with its display labels; ``aliases`` are extra names people may type."""

    slug: Category
    en: str
    ru: str
    aliases: tuple[str, ...] = ()

    def label(self, lang: str = "en") -> str:
        """The label in ``lang`` ("ru" or anything else for English)."""
        return self.ru if lang.casefold().startswith("ru") else self.en


# Display order: the broad, familiar group first, then prints and crafts, then movements.
CATEGORIES: tuple[CategoryInfo, ...] = (
    CategoryInfo("painting", "Painting", "Живопись", ("paintings", "картины", "картина")),
    CategoryInfo("ukiyo-e", "Ukiyo-e", "Укиё-э", ("japanese prints", "японская гравюра")),
    CategoryInfo("mosaic", "Mosaic", "Мозаика"),
    CategoryInfo("stained-glass", "Stained glass", "Витраж", ("витражи",)),
    CategoryInfo("pointillism", "Pointillism", "Пуантилизм"),
    CategoryInfo("art-nouveau", "Art Nouveau", "Модерн", ("ар-нуво", "jugendstil")),
    CategoryInfo("expressionism", "Expressionism", "Экспрессионизм"),
    CategoryInfo("cubism", "Cubism", "Кубизм"),
    CategoryInfo("sketch", "Sketch", "Рисунок", ("drawing", "эскиз", "набросок")),
    CategoryInfo("abstract", "Abstract", "Абстракция", ("abstraction", "абстракционизм")),
)
assert [c.slug for c in CATEGORIES] == list(get_args(Category)), "keep both lists in step"

_BY_SLUG: dict[str, CategoryInfo] = {c.slug: c for c in CATEGORIES}


def _fold(text: str) -> str:
    # Same folding idea as catalog.normalize, kept local so this module imports nothing.
    text = unicodedata.normalize("NFKD", text.casefold().replace("ё", "е"))
    text = "".join(ch for ch in text if ch.isalnum())
    return text


def category_info(slug: str) -> CategoryInfo:
    """The category with this slug; KeyError if there is none."""
    try:
        return _BY_SLUG[slug]
    except KeyError:
        raise KeyError(slug) from None


def find_category(name: str) -> CategoryInfo | None:
    """A category by slug, English or Russian label or alias, forgiving case, ё, spaces and
    hyphens; a unique prefix of at least three letters also counts ("pointil", "мозаи")."""
    key = _fold(name)
    if not key:
        return None
    names = [(c, _fold(n)) for c in CATEGORIES for n in (c.slug, c.en, c.ru, *c.aliases)]
    for info, folded in names:
        if folded == key:
            return info
    if len(key) < 3:
        return None
    hits = {info.slug: info for info, folded in names if folded.startswith(key)}
    return next(iter(hits.values())) if len(hits) == 1 else None
