"""Choosing the compute device and configuring torch for it."""

from __future__ import annotations

import contextlib
import functools
import os
from typing import Literal

import torch

from engine.errors import EngineError
from engine.params import Device

Precision = Literal["auto", "float32"]
PRECISIONS: tuple[Precision, ...] = ("auto", "float32")
PRECISION_VARIABLE = "ENGINE_PRECISION"

_chosen: Precision | None = None  # set by the process that hosts the engine, if it does


def resolve_device(name: Device | str = "auto") -> torch.device:
    """CUDA, then Apple MPS, then CPU for "auto"; an explicit choice must exist."""
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise EngineError("A CUDA GPU was requested, but none is available.")
    if name == "mps" and not _mps_available():
        raise EngineError("Apple MPS was requested, but it is not available.")
    if name not in ("cpu", "cuda", "mps"):
        raise EngineError(f"Unknown device {name!r}: use auto, cpu, cuda or mps.")
    return torch.device(name)


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend and backend.is_available())


def configure(device: torch.device) -> None:
    """On the CPU, no more threads than the cores this process may use; on CUDA, let
    cuDNN pick the fastest kernels.

    A smaller thread count set by the caller (a worker's WORKER_THREADS) is kept: raising
    it to every core made two 1-thread workers on 2 cores run 4 threads and each job 4x
    slower (docs/SCALING.md).
    """
    if device.type == "cpu":
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
        torch.set_num_threads(min(torch.get_num_threads(), cores or os.cpu_count() or 1))
    elif device.type == "cuda":
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True


def autocast_dtype(device: torch.device) -> torch.dtype | None:
    """bf16 for the network where the hardware runs it fast; None (float32) elsewhere.

    CUDA GPUs with bf16, and CPUs with AMX tiles: there one VGG19 forward and backward at
    512×341 takes 0.62 s in bf16 against 1.6 s in float32, and the optimisation's errors
    after each step agree to the third digit (docs/PERFORMANCE.md). Without AMX, bf16 on
    the CPU is emulated and slower, so float32 stays. With `precision()` "float32", float32
    everywhere: an AMX machine then computes what one without it would.
    """
    if precision() == "float32":
        return None
    if device.type == "cuda" and torch.cuda.is_bf16_supported():
        return torch.bfloat16
    if device.type == "cpu" and cpu_has_amx():
        return torch.bfloat16
    return None


def use_precision(value: Precision | None) -> None:
    """Set the precision for this process (the job service passes its ENGINE_PRECISION
    setting, which may come from .env); None goes back to reading the environment."""
    global _chosen
    if value is not None and value not in PRECISIONS:
        raise EngineError(f"Unknown precision {value!r}: use auto or float32.")
    _chosen = value


def precision() -> Precision:
    """The engine's arithmetic, "auto" (bf16 where the hardware runs it fast) or "float32":
    what `use_precision` set, else the ENGINE_PRECISION environment variable, else "auto"."""
    if _chosen is not None:
        return _chosen
    value = os.environ.get(PRECISION_VARIABLE, "").strip().lower() or "auto"
    for known in PRECISIONS:
        if value == known:
            return known
    raise EngineError(f"{PRECISION_VARIABLE}={value!r} is unknown: use auto or float32.")


@functools.cache  # asked on every optimisation step; the hardware does not change
def cpu_has_amx() -> bool:
    check = getattr(torch.cpu, "_is_amx_tile_supported", None)
    return bool(check and check())


def autocast(device: torch.device) -> contextlib.AbstractContextManager[object]:
    """The network's autocast context on `device` (a no-op where float32 is used)."""
    dtype = autocast_dtype(device)
    if dtype is None:
        return contextlib.nullcontext()
    return torch.autocast(device.type, dtype=dtype)
