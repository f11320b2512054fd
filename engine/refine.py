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

from engine.devices import autocast, configure, resolve_device
from engine.losses import gatys_loss
from engine.model import load_vgg19
from engine.params import CONTENT_LAYER, STYLE_LAYERS, StyleParams
from engine.steppers import make_stepper
from engine.targets import style_grams

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
        with autocast(self.device):
            feats = self.model(x.contiguous(memory_format=torch.channels_last),
                               [CONTENT_LAYER, *STYLE_LAYERS])  # fmt: skip
        loss, self.style_weight = gatys_loss(
            feats, target, grams, x, self.params, self.style_weight
        )
        if anchor is not None and mask is not None:
            diff = ((x - anchor) / 255.0) ** 2 * mask
            loss = loss + self.temporal_weight * diff.sum() / mask.sum().clamp(min=1.0)
        return loss

    def _style_grams(self, content: torch.Tensor) -> dict[str, torch.Tensor]:
        if self._grams is not None:
            return self._grams
        with torch.no_grad(), autocast(self.device):
            self._grams = style_grams(self.model, self._input, self._styles, self.blend,
                                      max(self.size), content, self.params)  # fmt: skip
        return self._grams

    def _input(self, rgb: torch.Tensor) -> torch.Tensor:
        x = self.model.preprocess(rgb.to(self.device))
        return x.contiguous(memory_format=torch.channels_last)
