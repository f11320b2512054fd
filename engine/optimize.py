"""Per-request style optimisation (Gatys et al.), coarse to fine, one step at a time.

`StyleTransfer` is an iterator: each `next()` runs one optimiser step and yields a
`Progress`, so a caller can cancel, enforce a deadline or report between steps.
`stylize` drives it with callbacks for callers that don't need that control.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from PIL import Image

from engine import color, instant
from engine.devices import autocast, configure, resolve_device
from engine.errors import Cancelled, EngineError
from engine.imageio import resize_long_side
from engine.losses import gatys_loss
from engine.model import VGG19Features, load_vgg19
from engine.params import CONTENT_LAYER, STYLE_LAYERS, StyleParams
from engine.results import Progress, StyleResult
from engine.steppers import Stepper, make_stepper
from engine.targets import style_grams
from engine.tensors import to_pil, to_tensor

__all__ = ["Progress", "StyleResult", "StyleTransfer", "stylize"]


@dataclass
class _Scale:
    """The state of the scale being optimised."""

    index: int
    steps: int
    x: torch.Tensor  # the image being optimised, in the network's input space
    content_feat: torch.Tensor
    style_grams: dict[str, torch.Tensor]
    optimizer: Stepper
    done: int = 0
    best_loss: float = float("inf")
    best_x: torch.Tensor | None = None


class StyleTransfer:
    """Iterate to run the optimisation step by step; then call `result()`."""

    def __init__(
        self,
        content: Image.Image,
        styles: Sequence[Image.Image],
        params: StyleParams | None = None,
        *,
        time_budget: float | None = None,
    ) -> None:
        if not styles:
            raise EngineError("At least one style image is needed.")
        self.params = params or StyleParams()
        blend = self.params.style_blend or (1.0,) * len(styles)
        if len(blend) != len(styles):
            raise EngineError("Give one blend weight per style image.")
        self.blend = blend
        self.device = resolve_device(self.params.device)
        configure(self.device)
        # Load the networks before the clock starts (both are cached per process).
        if self.params.optimizes:
            _ = self.model
        if self.params.uses_instant:
            instant.load(cuda=self.device.type == "cuda")
        self.schedule = self.params.schedule()
        self.total_steps = sum(n for _, n in self.schedule)
        self._content_full = resize_long_side(content, self.params.output_size)
        self._content_rgb = to_tensor(self._content_full)
        self._style_images = list(styles)
        self._start = time.monotonic()
        self._deadline = None if time_budget is None else self._start + time_budget
        self._step = 0
        self._work_done = 0.0
        self._scale: _Scale | None = None
        self._finished = False
        self._loss = float("nan")
        self._instant: torch.Tensor | None = None  # 0..1 RGB at output size, once rendered
        self._style_weight: float | None = None  # set by the first evaluation
        torch.manual_seed(self.params.seed)

    @property
    def style_weight(self) -> float | None:
        """The style term's weight, set by the first evaluation (None before it)."""
        return self._style_weight

    @functools.cached_property
    def model(self) -> VGG19Features:
        """VGG19, loaded on first use: quality `instant` never needs it."""
        return load_vgg19(self.device, self.params.pooling)

    # -- the iterator ---------------------------------------------------------------------

    def __iter__(self) -> Iterator[Progress]:
        if self.params.uses_instant:
            yield self._instant_progress()
        for index, (side, steps) in enumerate(self.schedule):
            if not steps:
                continue  # quality `instant`: nothing to optimise
            self._scale = self._begin_scale(index, side, steps)
            for _ in range(steps):
                if self._out_of_time():
                    return
                yield self._one_step()
        self._finished = True

    def _out_of_time(self) -> bool:
        return self._deadline is not None and time.monotonic() >= self._deadline

    def _one_step(self) -> Progress:
        scale = self._scale
        assert scale is not None
        scale.optimizer.step(self._closure)
        scale.done += 1
        self._step += 1
        h, w = scale.x.shape[-2:]
        self._work_done += h * w
        preview = None
        every = self.params.preview_every
        if every and self._step % every == 0:
            preview = self._to_image(scale.x)
        return self._progress(scale.index, (w, h), self._eta(), preview)

    def _instant_progress(self) -> Progress:
        """Render the instant image: the first preview, and the optimisation's start."""
        p = self.params
        cuda = self.device.type == "cuda"
        size = self._content_full.size
        spec = instant.InstantSpec(
            size, p.strength, self.blend, p.preserve_colors, p.color_mode, cuda
        )
        self._instant = instant.render(self._content_full, self._style_images, spec)
        eta = None if self.total_steps else 0.0
        preview = to_pil(self._finish(self._instant))
        return self._progress(0, self._content_full.size, eta, preview)

    def _progress(
        self, scale: int, size: tuple[int, int], eta: float | None, preview: Image.Image | None
    ) -> Progress:
        elapsed = time.monotonic() - self._start
        return Progress(scale, len(self.schedule), *size, self._step, self.total_steps,
                        elapsed, eta, self._loss, preview)  # fmt: skip

    def _eta(self) -> float | None:
        """Remaining time, assuming a step costs time in proportion to its pixel count."""
        if not self._work_done:
            return None
        total = 0.0
        for side, steps in self.schedule:
            w, h = _scaled_size(self._content_full.size, side)
            total += w * h * steps
        rate = (time.monotonic() - self._start) / self._work_done
        return max(0.0, (total - self._work_done) * rate)

    # -- one scale ------------------------------------------------------------------------

    def _begin_scale(self, index: int, side: int, steps: int) -> _Scale:
        content = self._scaled_content(side)
        with torch.no_grad(), autocast(self.device):
            content_feat = self.model(content, [CONTENT_LAYER])[CONTENT_LAYER].float()
            style_grams = self._style_grams(side)
        previous = self._scale
        x = self._starting_image(content, previous)
        # L-BFGS needs a contiguous parameter; the network gets a channels_last copy.
        x = x.contiguous().requires_grad_(True)
        optimizer = self._optimizer(x, previous)
        return _Scale(index, steps, x, content_feat, style_grams, optimizer)

    def _starting_image(self, content: torch.Tensor, previous: _Scale | None) -> torch.Tensor:
        size = content.shape[-2:]
        if previous is None:
            return content.clone() if self._instant is None else self._instant_at(size)
        change = previous.x.detach()
        if self._instant is not None:
            # Carry over only what the coarser scale changed: upsampling the whole image
            # would blur away the instant image's full-resolution texture.
            change = change - self._instant_at(change.shape[-2:])
        change = F.interpolate(change, size=size, mode="bicubic", align_corners=False)
        return change if self._instant is None else self._instant_at(size) + change

    def _instant_at(self, size: torch.Size) -> torch.Tensor:
        assert self._instant is not None
        rgb = F.interpolate(self._instant, size=size, mode="bilinear", antialias=True)
        return self._to_input(rgb.clamp(0, 1))

    def _scaled_content(self, side: int) -> torch.Tensor:
        rgb = to_tensor(resize_long_side(self._content_full, side))
        if self.params.preserve_colors and self.params.color_mode == "luminance":
            rgb = color.luminance_image(rgb)
        return self._to_input(rgb)

    def _style_grams(self, side: int) -> dict[str, torch.Tensor]:
        content_rgb = to_tensor(resize_long_side(self._content_full, side))
        return style_grams(self.model, self._to_input, self._style_images, self.blend, side,
                           content_rgb, self.params)  # fmt: skip

    def _optimizer(self, x: torch.Tensor, previous: _Scale | None) -> Stepper:
        p = self.params
        if previous is None:
            return make_stepper(x, p.optimizer, p.adam_lr, p.lbfgs_history)
        return make_stepper(x, p.optimizer, p.adam_lr, p.lbfgs_history, previous.optimizer,
                            previous.x.numel())  # fmt: skip

    def _closure(self) -> torch.Tensor:
        scale = self._scale
        assert scale is not None
        scale.x.grad = None
        loss = self._loss_at(scale)
        loss.backward()  # type: ignore[no-untyped-call]
        value = float(loss.detach())
        self._loss = value
        if value < scale.best_loss:
            scale.best_loss, scale.best_x = value, scale.x.detach().clone()
        return loss

    def _loss_at(self, scale: _Scale) -> torch.Tensor:
        with autocast(self.device):
            x = scale.x.contiguous(memory_format=torch.channels_last)
            feats = self.model(x, [CONTENT_LAYER, *STYLE_LAYERS])
        loss, self._style_weight = gatys_loss(
            feats, scale.content_feat, scale.style_grams, scale.x, self.params, self._style_weight
        )
        return loss

    # -- conversion -----------------------------------------------------------------------

    def _to_input(self, rgb: torch.Tensor) -> torch.Tensor:
        x = self.model.preprocess(rgb.to(self.device))
        return x.contiguous(memory_format=torch.channels_last)

    def _to_image(self, x: torch.Tensor) -> Image.Image:
        return to_pil(self.model.deprocess(x.detach()).cpu())

    # -- the answer -----------------------------------------------------------------------

    def result(self) -> StyleResult:
        """The image: the final one, or the best so far when the budget ran out."""
        return StyleResult(
            image=to_pil(self._finish(self._final_rgb())),
            seconds=time.monotonic() - self._start,
            steps=self._step,
            total_steps=self.total_steps,
            finished=self._finished,
            device=str(self.device),
            loss=self._loss,
        )

    def _final_rgb(self) -> torch.Tensor:
        scale = self._scale
        if scale is None and self._instant is not None:
            return self._instant  # quality `instant`, or no time for a single step
        if scale is None:
            x = self._scaled_content(self.schedule[-1][0])
        elif self._finished or scale.best_x is None:
            x = scale.x.detach()
        else:
            x = scale.best_x
        return self.model.deprocess(x.float()).clamp(0, 1)

    def _finish(self, rgb: torch.Tensor) -> torch.Tensor:
        """At the output size, on the CPU, with the photo's chroma if colours are kept."""
        target = self._content_rgb.shape[-2:]
        if rgb.shape[-2:] != target:
            rgb = F.interpolate(rgb, size=target, mode="bicubic", align_corners=False)
        rgb = rgb.clamp(0, 1).cpu()
        if self.params.preserve_colors and self.params.color_mode == "luminance":
            rgb = color.merge_luminance(rgb, self._content_rgb)
        return rgb


def _scaled_size(size: tuple[int, int], side: int) -> tuple[int, int]:
    w, h = size
    k = side / max(w, h)
    return max(1, round(w * k)), max(1, round(h * k))


def stylize(
    content: Image.Image,
    styles: Sequence[Image.Image],
    params: StyleParams | None = None,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    time_budget: float | None = None,
) -> StyleResult:
    """Run a whole transfer. Raises `Cancelled` if `should_cancel()` turns true."""
    run = StyleTransfer(content, styles, params, time_budget=time_budget)
    if should_cancel is not None and should_cancel():
        raise Cancelled()
    for progress in run:
        if on_progress is not None:
            on_progress(progress)
        if should_cancel is not None and should_cancel():
            raise Cancelled()
    return run.result()
