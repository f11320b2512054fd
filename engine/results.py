"""What a run reports: one `Progress` per step, and the `StyleResult` at the end."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image


@dataclass(frozen=True)
class Progress:
    """One report per optimiser step, after one at step 0 with the instant image (if used)."""

    scale: int  # 0-based index of the current scale
    scales: int
    width: int  # size of the current scale
    height: int
    step: int  # steps done so far, over all scales
    total_steps: int
    elapsed: float  # seconds since the run started
    eta: float | None  # estimated seconds left; None until there is data
    loss: float
    preview: Image.Image | None = None

    @property
    def fraction(self) -> float:
        return self.step / self.total_steps if self.total_steps else 1.0


@dataclass(frozen=True)
class StyleResult:
    image: Image.Image
    seconds: float
    steps: int
    total_steps: int
    finished: bool  # False when the time budget ended the run early
    device: str
    loss: float
