"""Neural style transfer (Gatys et al.) on VGG19; knows no other package of the project.

The names below load on first use (PEP 562): `from engine import StyleParams` reads only the
torch-free parameter module, so a client that never paints (the API or the bot in distributed
mode) never loads torch or onnxruntime. `from engine import stylize` loads the optimiser.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.errors import Cancelled, EngineError, ImageError, VideoError
    from engine.imageio import decode_image, encode_image, resize_long_side, save_image
    from engine.optimize import StyleTransfer, stylize
    from engine.params import (
        INITS,
        PRESETS,
        QUALITIES,
        Init,
        Quality,
        StyleParams,
        strength_multiplier,
    )
    from engine.results import Progress, StyleResult

# name -> the module that defines it
_HOMES = {
    "Cancelled": "errors",
    "EngineError": "errors",
    "ImageError": "errors",
    "VideoError": "errors",
    "decode_image": "imageio",
    "encode_image": "imageio",
    "resize_long_side": "imageio",
    "save_image": "imageio",
    "StyleTransfer": "optimize",
    "stylize": "optimize",
    "INITS": "params",
    "PRESETS": "params",
    "QUALITIES": "params",
    "Init": "params",
    "Quality": "params",
    "StyleParams": "params",
    "strength_multiplier": "params",
    "Progress": "results",
    "StyleResult": "results",
}

__all__ = [
    "INITS",
    "PRESETS",
    "QUALITIES",
    "Cancelled",
    "EngineError",
    "ImageError",
    "Init",
    "Progress",
    "Quality",
    "StyleParams",
    "StyleResult",
    "StyleTransfer",
    "VideoError",
    "decode_image",
    "encode_image",
    "resize_long_side",
    "save_image",
    "strength_multiplier",
    "stylize",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:  # a submodule (`engine.color`) or a typo
        try:
            return importlib.import_module(f"engine.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"engine.{name}":  # the module exists; something it needs does not
                raise
            raise AttributeError(f"module 'engine' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"engine.{home}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value
