"""Loss terms of Gatys et al., each normalised by its target so the weights are portable.

Style: mean over layers of ||G(x) - G(s)||² / ||G(s)||²; content: ||F(x) - F(c)||² / ||F(c)||².
These are exactly the figures the quality evaluator reports, so the weights trade them
off directly. Gram matrices and losses are computed in float32 even under autocast.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch

from engine.params import CONTENT_LAYER, STYLE_LAYERS, StyleParams


def gram(features: torch.Tensor) -> torch.Tensor:
    """G = F Fᵀ / (H·W) for a (1, C, H, W) activation, in float32."""
    _, c, h, w = features.shape
    # (H·W, C) is a free view of a channels_last tensor; (C, H·W) would be a copy.
    flat = features.float().permute(0, 2, 3, 1).reshape(h * w, c)
    return (flat.T @ flat) / (h * w)


def blended_gram(grams: Sequence[torch.Tensor], weights: Sequence[float]) -> torch.Tensor:
    """Weighted mean of several styles' Gram matrices (style blending)."""
    total = float(sum(weights))
    out = torch.zeros_like(grams[0])
    for g, w in zip(grams, weights, strict=True):
        out += g * (w / total)
    return out


def relative_error(x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """||x - target||² / ||target||² in float32."""
    x, target = x.float(), target.float()
    return (x - target).pow(2).sum() / target.pow(2).sum().clamp_min(1e-12)


def style_loss(
    feats: Mapping[str, torch.Tensor],
    target_grams: Mapping[str, torch.Tensor],
    layer_weights: Mapping[str, float],
) -> torch.Tensor:
    """Weighted mean over layers of the relative Gram error."""
    total = sum(layer_weights.values())
    loss = torch.zeros((), device=next(iter(target_grams.values())).device)
    for name, weight in layer_weights.items():
        if weight:
            loss = loss + relative_error(gram(feats[name]), target_grams[name]) * (weight / total)
    return loss


def tv_loss(image: torch.Tensor) -> torch.Tensor:
    """Mean squared difference of neighbouring pixels (in the image's own units)."""
    dx = image[..., :, 1:] - image[..., :, :-1]
    dy = image[..., 1:, :] - image[..., :-1, :]
    return dx.float().pow(2).mean() + dy.float().pow(2).mean()


def gatys_loss(
    feats: Mapping[str, torch.Tensor],
    content_target: torch.Tensor,
    grams: Mapping[str, torch.Tensor],
    x: torch.Tensor,
    params: StyleParams,
    style_weight: float | None,
) -> tuple[torch.Tensor, float]:
    """Content + style + smoothness, weighted, and the style weight used.

    The first evaluation (``style_weight`` None) fixes the style weight from the starting
    image's own errors (`StyleParams.effective_style_weight`); callers keep it for the rest
    of the run (a clip: for every frame, so frames don't flicker)."""
    layers = dict(zip(STYLE_LAYERS, params.style_layer_weights, strict=True))
    content = relative_error(feats[CONTENT_LAYER], content_target)
    style = style_loss(feats, grams, layers)
    if style_weight is None:
        style_weight = params.effective_style_weight((float(content.detach()), float(style)))
    smooth = tv_loss(x / 255.0)  # on 0..1 pixels; the network input is in 0..255 units
    loss = params.content_weight * content + style_weight * style + params.tv_weight * smooth
    return loss, style_weight
