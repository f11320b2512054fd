"""Colour preservation (Gatys et al. 2017, "Controlling perceptual factors").

Two ways: luminance-only transfer (optimise on luminance, then put the content's
chroma back) and colour matching (recolour the style to the content's colour statistics
before the transfer).
"""

from __future__ import annotations

import torch

# Full-range BT.601 YCbCr, as JPEG and Pillow use it.
RGB_TO_YCC = torch.tensor(
    [[0.299, 0.587, 0.114], [-0.168736, -0.331264, 0.5], [0.5, -0.418688, -0.081312]]
)
_OFFSET = torch.tensor([0.0, 0.5, 0.5]).view(1, 3, 1, 1)


def rgb_to_ycbcr(rgb: torch.Tensor) -> torch.Tensor:
    m = RGB_TO_YCC.to(rgb)
    return torch.einsum("ij,bjhw->bihw", m, rgb) + _OFFSET.to(rgb)


def ycbcr_to_rgb(ycc: torch.Tensor) -> torch.Tensor:
    m = torch.linalg.inv(RGB_TO_YCC.double()).to(ycc)
    return torch.einsum("ij,bjhw->bihw", m, ycc - _OFFSET.to(ycc))


def luminance_image(rgb: torch.Tensor, like: torch.Tensor | None = None) -> torch.Tensor:
    """Grey RGB image of the luminance; with `like`, its mean/std matched to like's."""
    y = rgb_to_ycbcr(rgb)[:, :1]
    if like is not None:
        ref = rgb_to_ycbcr(like)[:, :1]
        y = (y - y.mean()) / y.std().clamp_min(1e-6) * ref.std() + ref.mean()
    return y.clamp(0, 1).expand(-1, 3, -1, -1).contiguous()


def merge_luminance(stylised: torch.Tensor, content: torch.Tensor) -> torch.Tensor:
    """The stylised image's luminance with the content's chroma."""
    y = rgb_to_ycbcr(stylised)[:, :1]
    chroma = rgb_to_ycbcr(content)[:, 1:]
    return ycbcr_to_rgb(torch.cat([y, chroma], dim=1)).clamp(0, 1)


def match_colors(style: torch.Tensor, content: torch.Tensor) -> torch.Tensor:
    """Affine recolouring of `style` so its RGB mean and covariance equal the content's."""
    s = style.reshape(3, -1).double()
    c = content.reshape(3, -1).double()
    mu_s, mu_c = s.mean(1, keepdim=True), c.mean(1, keepdim=True)
    cov_s = torch.cov(s) + torch.eye(3, dtype=s.dtype) * 1e-5
    cov_c = torch.cov(c) + torch.eye(3, dtype=c.dtype) * 1e-5
    transform = _sqrtm(cov_c) @ torch.linalg.inv(_sqrtm(cov_s))
    out: torch.Tensor = transform @ (s - mu_s) + mu_c
    return out.reshape(style.shape).to(style.dtype).clamp(0, 1)


def recolour_style(style: torch.Tensor, content: torch.Tensor, mode: str) -> torch.Tensor:
    """The style image prepared for colour preservation in `mode` (luminance or match)."""
    if mode == "match":
        return match_colors(style, content)
    return luminance_image(style, like=luminance_image(content))


def _sqrtm(m: torch.Tensor) -> torch.Tensor:
    vals, vecs = torch.linalg.eigh(m)
    root: torch.Tensor = vecs @ torch.diag(vals.clamp_min(0).sqrt()) @ vecs.T
    return root
