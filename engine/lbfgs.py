"""A small L-BFGS for one image tensor, one function evaluation per step.

Why not `torch.optim.LBFGS`: its first iteration on a fresh problem takes a step of
1/‖g‖₁, which for a whole image is a no-op, so every new scale of a coarse-to-fine run
wastes two or three full-price evaluations before the curvature estimate kicks in. Here
the initial inverse-Hessian scale (γ = sᵀy / yᵀy) is carried from the previous scale,
rescaled for the new pixel count, so the first step at a new scale is already a good one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import torch


class LBFGS:
    """Minimise `closure()` over `x` in place. `closure` must fill `x.grad`."""

    def __init__(self, x: torch.Tensor, history: int = 20, gamma: float | None = None) -> None:
        self.x = x
        self.pairs: deque[tuple[torch.Tensor, torch.Tensor, float]] = deque(maxlen=history)
        self.gamma = gamma  # initial inverse-Hessian scale; None: from the first gradient
        self._prev_x: torch.Tensor | None = None
        self._prev_g: torch.Tensor | None = None

    def step(self, closure: Callable[[], torch.Tensor]) -> float:
        loss = float(closure().detach())
        assert self.x.grad is not None
        # float32 history: at 1024 px each stored vector is 8 MB, and there are 2 × history.
        g = self.x.grad.detach().reshape(-1).float()
        with torch.no_grad():
            self._remember(g)
            d = self._direction(g)
            self._prev_x = self.x.detach().reshape(-1).float().clone()
            self._prev_g = g
            self.x.add_(d.view_as(self.x).to(self.x.dtype))
        return loss

    def _remember(self, g: torch.Tensor) -> None:
        if self._prev_x is None or self._prev_g is None:
            return
        s = self.x.detach().reshape(-1).float() - self._prev_x
        y = g - self._prev_g
        sy = float(s @ y)
        if sy > 1e-10 * float(y @ y):  # keep only pairs with positive curvature
            self.pairs.append((s, y, 1.0 / sy))
            self.gamma = sy / float(y @ y)

    def _direction(self, g: torch.Tensor) -> torch.Tensor:
        """The two-loop recursion: d = −H g."""
        q = -g.clone()
        alphas = []
        for s, y, rho in reversed(self.pairs):
            a = rho * float(s @ q)
            q.add_(y, alpha=-a)
            alphas.append(a)
        gamma = self.gamma if self.gamma is not None else self._first_gamma(g)
        q.mul_(gamma)
        for (s, y, rho), a in zip(self.pairs, reversed(alphas), strict=True):
            b = rho * float(y @ q)
            q.add_(s, alpha=a - b)
        return q

    @staticmethod
    def _first_gamma(g: torch.Tensor) -> float:
        # No curvature known yet: a gradient step that moves pixels by ~1 (of 255) on average.
        return 1.0 / max(float(g.abs().mean()), 1e-12)
