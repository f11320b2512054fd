"""The quality evaluator every contender is judged by (never tuned to the engine).

VGG19 with the original weights and max pooling. Output, content and style are each
resized so their long side is 512 px (or a given side, to judge a smaller output at
its own size). With G = F Fᵀ / (H·W):

- style error: mean over relu1_1..relu5_1 of ||G(out) − G(style)||² / ||G(style)||²
- content error: ||F(out) − F(content)||² / ||F(content)||² at relu4_2

Lower is better on both.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from PIL import Image

from engine.imageio import resize_long_side
from engine.losses import gram, relative_error
from engine.model import load_vgg19
from engine.params import CONTENT_LAYER, STYLE_LAYERS
from engine.tensors import to_tensor

EVAL_SIDE = 512


@dataclass(frozen=True)
class Quality:
    style_error: float
    content_error: float

    def at_least_as_good_as(self, other: Quality) -> bool:
        return self.style_error <= other.style_error and self.content_error <= other.content_error


def _features(
    image: Image.Image, layers: list[str], side: int = EVAL_SIDE
) -> dict[str, torch.Tensor]:
    model = load_vgg19("cpu", "max")
    x = model.preprocess(to_tensor(resize_long_side(image, side)))
    with torch.no_grad():
        feats: dict[str, torch.Tensor] = model(
            x.contiguous(memory_format=torch.channels_last), layers
        )
    return feats


def style_error(output: Image.Image, style: Image.Image, side: int = EVAL_SIDE) -> float:
    a = _features(output, list(STYLE_LAYERS), side)
    b = _features(style, list(STYLE_LAYERS), side)
    errors = [relative_error(gram(a[n]), gram(b[n])).item() for n in STYLE_LAYERS]
    return sum(errors) / len(errors)


def content_error(output: Image.Image, content: Image.Image, side: int = EVAL_SIDE) -> float:
    a = _features(output, [CONTENT_LAYER], side)[CONTENT_LAYER]
    b = _features(content, [CONTENT_LAYER], side)[CONTENT_LAYER]
    if a.shape != b.shape:
        raise ValueError(f"output and content differ in shape: {a.shape} vs {b.shape}")
    return relative_error(a, b).item()


def evaluate(
    output: Image.Image, content: Image.Image, style: Image.Image, side: int = EVAL_SIDE
) -> Quality:
    """Both errors with everything at a `side` px long side (512 unless told)."""
    return Quality(style_error(output, style, side), content_error(output, content, side))
