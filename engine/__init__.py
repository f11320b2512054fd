"""Neural style transfer (Gatys et al.) on VGG19; knows nothing about Telegram."""

from engine.errors import Cancelled, EngineError, ImageError, VideoError
from engine.imageio import decode_image, encode_image, resize_long_side, save_image
from engine.optimize import StyleTransfer, stylize
from engine.params import INITS, PRESETS, QUALITIES, Init, Quality, StyleParams, strength_multiplier
from engine.results import Progress, StyleResult

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
