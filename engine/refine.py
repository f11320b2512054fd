"""A few optimisation steps per video frame, tied to the previous frame (Ruder et al. 2016).

Each frame starts from the temporally blended instant frame (the warped previous result
where the flow holds) and minimises the usual content, style and smoothness losses plus a
temporal loss: the squared difference to the warped previous result, weighted by the
occlusion mask. The style's Gram matrices are computed once per clip. Meant for GPUs; on a
CPU it is correct but takes about a second a step at 480 px.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from PIL import Image

from engine import color
from engine.devices import autocast, configure, resolve_device
from engine.imageio import resize_long_side
from engine.losses import blended_gram, gram, relative_error, style_loss, tv_loss
from engine.model import load_vgg19
from engine.params import CONTENT_LAYER, STYLE_LAYERS, StyleParams
from engine.steppers import make_stepper
from engine.tensors import to_tensor

TEMPORAL_WEIGHT = 200.0  # on the masked mean squared difference in 0..1 pixels


class FrameRefiner:
    """Refine frames of one clip at one size (width, height) with one style."""

    def __init__(
        self, styles: Sequence[Image.Image], params: StyleParams, size: tuple[int, int],
        temporal_weight: float = TEMPORAL_WEIGHT,
    ) -> None:  # fmt: skip
        self.params = params
        self.size = size
        self.temporal_weight = temporal_weight
        self.device = resolve_device(params.device)
        configure(self.device)
        self.model = load_vgg19(self.device, params.pooling)
        self.blend = params.style_blend or (1.0,) * len(styles)
        self._styles = list(styles)
        self._grams: dict[str, torch.Tensor] | None = None
        self.loss = float("nan")
        self.style_weight: float | None = None  # one for the clip, so frames don't flicker

    def refine(
        self, content: torch.Tensor, start: torch.Tensor, anchor: torch.Tensor | None,
        mask: torch.Tensor | None, steps: int, stop: Callable[[], bool] = lambda: False,
    ) -> torch.Tensor:  # fmt: skip
        """`steps` L-BFGS steps from `start`; all images 1×3×H×W in 0..1 (mask 1×1×H×W).

        `anchor` is the previous result warped onto this frame (None on the first frame).
        `stop()` is asked between steps; the image so far is returned when it says yes."""
        grams = self._style_grams(content)
        with torch.no_grad(), autocast(self.device):
            target = self.model(self._input(content), [CONTENT_LAYER])[CONTENT_LAYER].float()
        x = self._input(start).contiguous().requires_grad_(True)
        fixed = None if anchor is None else self._input(anchor).detach()
        weight = None if mask is None else mask.to(self.device).expand_as(x)
        optimizer = make_stepper(x, "lbfgs", self.params.adam_lr, self.params.lbfgs_history)

        def closure() -> torch.Tensor:
            x.grad = None
            loss = self._loss(x, target, grams, fixed, weight)
            loss.backward()  # type: ignore[no-untyped-call]
            self.loss = float(loss.detach())
            return loss

        for _ in range(steps):
            if stop():
                break
            optimizer.step(closure)
        return self.model.deprocess(x.detach().float()).clamp(0, 1).cpu()

    def _loss(
        self, x: torch.Tensor, target: torch.Tensor, grams: dict[str, torch.Tensor],
        anchor: torch.Tensor | None, mask: torch.Tensor | None,
    ) -> torch.Tensor:  # fmt: skip
        p = self.params
        layers = dict(zip(STYLE_LAYERS, p.style_layer_weights, strict=True))
        with autocast(self.device):
            feats = self.model(x.contiguous(memory_format=torch.channels_last),
                               [CONTENT_LAYER, *STYLE_LAYERS])  # fmt: skip
        content = relative_error(feats[CONTENT_LAYER], target)
        style = style_loss(feats, grams, layers)
        if self.style_weight is None:  # from the first frame's start, kept for the whole clip
            start = (float(content.detach()), float(style.detach()))
            self.style_weight = p.effective_style_weight(start)
        loss = p.content_weight * content + self.style_weight * style
        loss = loss + p.tv_weight * tv_loss(x / 255.0)
        if anchor is not None and mask is not None:
            diff = ((x - anchor) / 255.0) ** 2 * mask
            loss = loss + self.temporal_weight * diff.sum() / mask.sum().clamp(min=1.0)
        return loss

    def _style_grams(self, content: torch.Tensor) -> dict[str, torch.Tensor]:
        if self._grams is not None:
            return self._grams
        p = self.params
        side = max(16, round(max(self.size) * p.style_scale))
        per_style = []
        with torch.no_grad(), autocast(self.device):
            for image in self._styles:
                rgb = to_tensor(resize_long_side(image, side))
                if p.preserve_colors:
                    rgb = color.recolour_style(rgb, content, p.color_mode)
                feats = self.model(self._input(rgb), STYLE_LAYERS)
                per_style.append({name: gram(f).float() for name, f in feats.items()})
        self._grams = {
            name: blended_gram([g[name] for g in per_style], self.blend) for name in STYLE_LAYERS
        }
        return self._grams

    def _input(self, rgb: torch.Tensor) -> torch.Tensor:
        x = self.model.preprocess(rgb.to(self.device))
        return x.contiguous(memory_format=torch.channels_last)
