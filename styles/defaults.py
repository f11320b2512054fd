"""Per-painting defaults for a run, read from a style's ``defaults`` table in catalog.toml.

Some paintings need other settings than the engine's defaults to look like themselves. The
engine scales the style image to the output's size times ``style_scale``: a Seurat's dots or
a mosaic's tiles shrink to a pixel or two at 256 px and are lost, so such works are shown
bigger (``style_scale`` > 1), which makes their marks come out bigger in the result. Only a
few, bounded settings are allowed, so a catalog typo cannot wreck a run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

__all__ = ["BOUNDS", "StyleDefaults", "parse_defaults"]

# Allowed range per setting (inclusive): the engine's own limits or narrower.
BOUNDS: dict[str, tuple[float, float]] = {
    "style_scale": (0.25, 4.0),
    "strength": (0.0, 1.0),
}


@dataclass(frozen=True)
class StyleDefaults:
    """Settings a painting prefers; None means "the engine's default". Plain data: the job
    service (`jobs.defaults`) applies it to a run's parameters."""

    style_scale: float | None = None
    strength: float | None = None

    def changes(self) -> dict[str, float]:
        """The settings that are set, by StyleParams field name."""
        pairs = ((f.name, getattr(self, f.name)) for f in fields(self))
        return {name: value for name, value in pairs if value is not None}


def parse_defaults(table: Any, where: str) -> StyleDefaults:
    """Validate a ``defaults`` table; ValueError with a readable message when it is wrong."""
    if not isinstance(table, Mapping):
        raise ValueError(f"{where}: 'defaults' must be a table")
    unknown = set(table) - set(BOUNDS)
    if unknown:
        names, allowed = ", ".join(sorted(unknown)), ", ".join(BOUNDS)
        raise ValueError(f"{where}: unknown default(s) {names} (allowed: {allowed})")
    values: dict[str, float] = {}
    for key, value in table.items():
        low, high = BOUNDS[key]
        # bool is an int in Python; "true" is never a number here
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{where}: default {key!r} must be a number")
        if not low <= value <= high:
            raise ValueError(f"{where}: default {key!r} must be between {low} and {high}")
        values[key] = float(value)
    return StyleDefaults(**values)
