"""The style's targets: the blended Gram matrices of the style images, read at one size.

Shared by the picture optimiser (once per scale) and the clip refiner (once per clip)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from PIL import Image

from engine import color
from engine.imageio import resize_long_side
from engine.losses import blended_gram, gram
from engine.model import VGG19Features
from engine.params import STYLE_LAYERS, StyleParams
from engine.tensors import to_tensor


def style_grams(
    model: VGG19Features,
    to_input: Callable[[torch.Tensor], torch.Tensor],
    styles: Sequence[Image.Image],
    blend: Sequence[float],
    side: int,
    content_rgb: torch.Tensor,
    params: StyleParams,
) -> dict[str, torch.Tensor]:
    """Each style image at `side` × the style scale (recoloured to the photo's colours when
    they are kept), its Gram matrices, blended by `blend`. Call under `torch.no_grad()`."""
    style_side = max(16, round(side * params.style_scale))
    per_style: list[dict[str, torch.Tensor]] = []
    for image in styles:
        rgb = to_tensor(resize_long_side(image, style_side))
        if params.preserve_colors:
            rgb = color.recolour_style(rgb, content_rgb, params.color_mode)
        feats = model(to_input(rgb), STYLE_LAYERS)
        per_style.append({name: gram(f).float() for name, f in feats.items()})
    return {name: blended_gram([g[name] for g in per_style], blend) for name in STYLE_LAYERS}
