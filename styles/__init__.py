"""The bundled style gallery: public-domain works, looked up by the artist's name."""

from styles.catalog import (
    Catalog,
    CatalogError,
    Lookup,
    StyleEntry,
    default_catalog,
    load_catalog,
    normalize,
)
from styles.categories import CATEGORIES, Category, CategoryInfo, find_category
from styles.defaults import StyleDefaults

__all__ = [
    "CATEGORIES",
    "Catalog",
    "CatalogError",
    "Category",
    "CategoryInfo",
    "Lookup",
    "StyleDefaults",
    "StyleEntry",
    "default_catalog",
    "find_category",
    "load_catalog",
    "normalize",
]
