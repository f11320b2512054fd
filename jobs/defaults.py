"""A gallery painting's own defaults (`styles.defaults.StyleDefaults`) applied to a run."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from engine.params import StyleParams
from styles.defaults import StyleDefaults


def with_defaults(
    base: StyleParams, defaults: StyleDefaults, *, keep: Iterable[str] = ()
) -> StyleParams:
    """``base`` with the painting's defaults, except for the fields named in ``keep`` (what
    the person chose explicitly, which always wins)."""
    kept = set(keep)
    changes = {k: v for k, v in defaults.changes().items() if k not in kept}
    return replace(base, **changes) if changes else base  # type: ignore[arg-type]
