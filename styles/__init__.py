"""The bundled style gallery: famous paintings, looked up by the artist's name."""

from styles.catalog import (
    Catalog,
    CatalogError,
    Lookup,
    StyleEntry,
    default_catalog,
    load_catalog,
    normalize,
)

__all__ = [
    "Catalog",
    "CatalogError",
    "Lookup",
    "StyleEntry",
    "default_catalog",
    "load_catalog",
    "normalize",
]
