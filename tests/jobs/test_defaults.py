"""A painting's own defaults applied to a run's parameters."""

from __future__ import annotations

from engine.params import StyleParams
from jobs.defaults import with_defaults
from styles.catalog import Catalog, default_catalog
from styles.defaults import StyleDefaults


def test_defaults_apply_unless_kept() -> None:
    base = StyleParams(quality="fast", strength=0.7)
    defaults = StyleDefaults(style_scale=1.5, strength=0.4)
    assert defaults.changes() == {"style_scale": 1.5, "strength": 0.4}
    assert with_defaults(base, defaults) == base.with_(style_scale=1.5, strength=0.4)
    assert with_defaults(base, defaults, keep=["strength"]) == base.with_(style_scale=1.5)
    assert with_defaults(base, StyleDefaults()) is base


def test_bundled_defaults_make_valid_params() -> None:
    catalog: Catalog = default_catalog()
    base = StyleParams(quality="fast")
    for entry in catalog:
        params = with_defaults(base, entry.defaults)  # StyleParams validates on construction
        assert params.quality == "fast"
        assert params.style_scale == (entry.defaults.style_scale or base.style_scale)
    assert any(e.defaults != StyleDefaults() for e in catalog)
