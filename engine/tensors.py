"""PIL images to and from the float tensors the networks take (kept apart from `imageio`, so
the clients can decode and encode pictures without loading torch)."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image


def to_tensor(image: Image.Image) -> torch.Tensor:
    """RGB PIL image -> float tensor (1, 3, H, W) in 0..1."""
    arr = np.asarray(image.convert("RGB"), dtype=np.float32) / 255.0
    return torch.from_numpy(arr.copy()).permute(2, 0, 1).unsqueeze(0)


def to_pil(tensor: torch.Tensor) -> Image.Image:
    """Float tensor (1, 3, H, W) in 0..1 -> RGB PIL image (clamped, rounded)."""
    arr = tensor.detach().float().squeeze(0).clamp(0, 1).mul(255).round().byte()
    return Image.fromarray(arr.permute(1, 2, 0).cpu().numpy(), "RGB")
