"""What every job builds once per process, built before the first job.

The first picture used to import onnxruntime, onnx, the weights' package and (for a clip)
PyAV and OpenCV, and to build VGG19 and the instant network's sessions, in the middle of
its run. An import holds the GIL from start to end (0.9 s for onnxruntime and 1.2 s for
onnx on one slow core, longer when the disk is busy), so a worker thread doing it froze the
event loop of the process hosting it: in embedded mode, the bot's. `preload` does it all
while the host is starting, before it answers anyone.
"""

from __future__ import annotations

import torch

from engine import instant
from engine.model import load_vgg19
from engine.params import StyleParams


def preload(device: torch.device) -> None:
    """Import the engine's libraries and build its networks on `device`, once per process."""
    import engine.video  # noqa: F401  (PyAV and OpenCV, for clips)

    load_vgg19(device, StyleParams().pooling)
    instant.load(cuda=device.type == "cuda", free=True)  # `free`: clips and suggestions
