"""The optimisers a scale can step with: our L-BFGS (the default) or Adam."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import torch

from engine.lbfgs import LBFGS


class Stepper(Protocol):
    def step(self, closure: Callable[[], torch.Tensor]) -> float: ...


class Adam:
    def __init__(self, x: torch.Tensor, lr: float) -> None:
        self.opt = torch.optim.Adam([x], lr=lr)

    def step(self, closure: Callable[[], torch.Tensor]) -> float:
        loss = float(closure().detach())
        self.opt.step()
        return loss


def make_stepper(
    x: torch.Tensor,
    kind: str,
    adam_lr: float,
    history: int,
    previous: Stepper | None = None,
    previous_numel: int = 0,
) -> Stepper:
    """A fresh optimiser for `x`; L-BFGS inherits the previous scale's curvature scale."""
    if kind == "adam":
        return Adam(x, adam_lr * 255.0)  # the lr is in 0..1 pixel units, x in 0..255
    gamma = None
    if isinstance(previous, LBFGS) and previous.gamma is not None and previous_numel:
        # The inverse curvature per pixel grows with the pixel count (the losses are
        # normalised over the whole image), so rescale what the last scale learned.
        gamma = previous.gamma * x.numel() / previous_numel
    return LBFGS(x, history=history, gamma=gamma)
