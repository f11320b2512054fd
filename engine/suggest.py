"""Which style suits a photo: the photo painted in every candidate style as a small tile
by the instant network, and the tiles ranked.

The ranking favours styles in which the photo stays itself (docs/SUGGEST.md):

    score = STRUCTURE_WEIGHT · structure + (1 − STRUCTURE_WEIGHT) · palette

- structure (0..1): how much of the photo's drawing survives in the tile, the correlation
  between the gradient magnitude of the photo's luminance and the tile's (both lightly
  blurred, so brush texture does not count as drawing). A style that dissolves faces and
  outlines into its own texture scores low.
- palette (0..1): how close the painting's colours are to the photo's, the intersection of
  their chroma histograms (Cb × Cr, 8 × 8 bins). A painting in the photo's own colours reads
  as harmonious; one far from them recolours the whole scene.

Everything is deterministic: the same photo gives the same order, ties broken by the
candidates' own order.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from engine import color, instant
from engine.errors import Cancelled
from engine.imageio import resize_long_side
from engine.tensors import to_pil, to_tensor

STRUCTURE_WEIGHT = 0.6
CHROMA_BINS = 8
_RGB_TO_YCC = color.RGB_TO_YCC.numpy()
_YCC_OFFSET = np.array([0.0, 0.5, 0.5]).reshape(3, 1, 1)


@dataclass(frozen=True)
class SuggestParams:
    tile_side: int = 192  # long side of each tile, px (the sheet draws them at this size)
    strength: float = 0.5  # as StyleParams.strength
    cuda: bool = False


@dataclass(frozen=True)
class Candidate:
    """A style to try. `key` names it (a gallery slug); its vector and palette are cached
    under `key` and `version` (say, the file's size and time), so `load` is called once."""

    key: str
    load: Callable[[], Image.Image]
    version: str = ""

    @property
    def cache_key(self) -> str:
        return f"{self.key}@{self.version}"


@dataclass(frozen=True)
class Suggestion:
    key: str
    score: float
    structure: float
    palette: float
    tile: Image.Image


@dataclass(frozen=True)
class _StyleFacts:
    vector: np.ndarray
    chroma: np.ndarray


_facts: dict[str, _StyleFacts] = {}


def suggest(
    photo: Image.Image,
    candidates: Sequence[Candidate],
    params: SuggestParams = SuggestParams(),
    *,
    should_cancel: Callable[[], bool] = lambda: False,
    on_tile: Callable[[int, int], None] | None = None,
) -> list[Suggestion]:
    """Every candidate's tile and score, best first. Raises Cancelled between tiles."""
    small = to_tensor(resize_long_side(photo, params.tile_side))
    own_vector = instant.style_vector(to_pil(small))
    own_chroma = chroma_histogram(small)
    edges = _edges(small)
    weight = instant.vector_weight(params.strength)
    found: list[Suggestion] = []
    for n, candidate in enumerate(candidates):
        if should_cancel():
            raise Cancelled()
        facts = _style_facts(candidate)
        vector = weight * facts.vector + (1.0 - weight) * own_vector
        tile = instant.paint(small, vector, params.cuda)
        structure = _correlation(edges, _edges(tile))
        palette = float(np.minimum(own_chroma, facts.chroma).sum())
        score = STRUCTURE_WEIGHT * structure + (1.0 - STRUCTURE_WEIGHT) * palette
        found.append(Suggestion(candidate.key, round(score, 4), structure, palette, to_pil(tile)))
        if on_tile is not None:
            on_tile(n + 1, len(candidates))
    return sorted(found, key=lambda s: -s.score)  # stable: ties keep the candidates' order


def missing(candidates: Sequence[Candidate]) -> int:
    """How many candidates' style facts are not cached yet."""
    return sum(c.cache_key not in _facts for c in candidates)


def load_facts(path: Path) -> int:
    """Add the style facts `save_facts` wrote to the process's cache; how many were read.
    A missing or unreadable file reads as none (they are recomputed)."""
    try:
        raw = json.loads(path.read_text("utf-8"))
        found = {
            key: _StyleFacts(np.asarray(v["vector"], np.float32).reshape(1, 1, 1, -1),
                             np.asarray(v["chroma"], np.float64))
            for key, v in raw.items()
        }  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return 0
    _facts.update(found)
    return len(found)


def save_facts(path: Path, candidates: Sequence[Candidate]) -> None:
    """Write the candidates' cached style facts (a few kB), atomically, for the next
    process; facts of other (say, replaced) paintings are left out."""
    chosen = {c.cache_key: _facts[c.cache_key] for c in candidates if c.cache_key in _facts}
    raw = {k: {"vector": f.vector.ravel().tolist(), "chroma": f.chroma.tolist()}
           for k, f in chosen.items()}  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(raw), "utf-8")
    os.replace(tmp, path)


def _style_facts(candidate: Candidate) -> _StyleFacts:
    facts = _facts.get(candidate.cache_key)
    if facts is None:
        style = candidate.load()
        style.thumbnail((2 * instant.STYLE_SIDE, 2 * instant.STYLE_SIDE))
        facts = _StyleFacts(instant.style_vector(style), chroma_histogram(to_tensor(style)))
        _facts[candidate.cache_key] = facts
    return facts


def chroma_histogram(rgb: torch.Tensor) -> np.ndarray:
    """The picture's colours as a normalised Cb × Cr histogram (brightness left out)."""
    ycc = _ycbcr(rgb)
    bins = np.clip(ycc[1:] * CHROMA_BINS, 0, CHROMA_BINS - 1).astype(np.int64)
    counts = np.bincount((bins[0] * CHROMA_BINS + bins[1]).ravel(), minlength=CHROMA_BINS**2)
    out: np.ndarray = counts / counts.sum()
    return out


def _ycbcr(rgb: torch.Tensor) -> np.ndarray:
    """3×H×W full-range YCbCr in 0..1 (numpy: on pictures this small torch's overhead wins)."""
    pixels = rgb[0].detach().float().cpu().numpy()
    out: np.ndarray = np.einsum("ij,jhw->ihw", _RGB_TO_YCC, pixels) + _YCC_OFFSET
    return out


def _edges(rgb: torch.Tensor) -> np.ndarray:
    """Gradient magnitude of the lightly blurred (3 × 3 box) luminance."""
    y = np.pad(_ycbcr(rgb)[0], 2, mode="edge")
    h, w = y.shape[0] - 2, y.shape[1] - 2
    blurred = sum(y[i : i + h, j : j + w] for i in range(3) for j in range(3))
    gy, gx = np.gradient(blurred / 9.0)
    out: np.ndarray = np.hypot(gx, gy)[1:-1, 1:-1].ravel()
    return out


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    denominator = max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-12)
    return max(0.0, float(a @ b) / denominator)
