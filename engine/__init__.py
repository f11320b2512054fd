"""Neural style transfer (Gatys et al.) on VGG19; knows nothing about Telegram."""

from engine.errors import Cancelled, EngineError, ImageError
from engine.imageio import decode_image, encode_image, resize_long_side, save_image
from engine.optimize import Progress, StyleResult, StyleTransfer, stylize
from engine.params import PRESETS, QUALITIES, Quality, StyleParams, strength_multiplier

__all__ = [
    "PRESETS",
    "QUALITIES",
    "Cancelled",
    "EngineError",
    "ImageError",
    "Progress",
    "Quality",
    "StyleParams",
    "StyleResult",
    "StyleTransfer",
    "decode_image",
    "encode_image",
    "resize_long_side",
    "save_image",
    "strength_multiplier",
    "stylize",
]
