"""What tests of every package share: paths, free ports, sample photos, job settings."""

from __future__ import annotations

import io
import socket
from pathlib import Path
from typing import Any

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "engine" / "samples"
STARRY = ROOT / "styles" / "images" / "van-gogh-the-starry-night.jpg"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sample_photo(width: int = 120, height: int = 90, fmt: str = "JPEG") -> bytes:
    """A small real photo (the bundled cat, resized), so the engine has something to do."""
    with Image.open(SAMPLES / "cat.jpg") as im:
        photo = im.convert("RGB").resize((width, height))
    buffer = io.BytesIO()
    photo.save(buffer, fmt)
    return buffer.getvalue()


def job_values(data_dir: Path, **overrides: Any) -> dict[str, Any]:
    """Settings of a job service for tests: CPU, a short queue, quick previews;
    `overrides` win. Every settings class of the project takes them (JobSettings and its
    subclasses)."""
    values: dict[str, Any] = {
        "data_dir": data_dir, "engine_device": "cpu", "queue_size": 5, "job_time_budget": 60,
        "preview_interval": 0.1,
    }  # fmt: skip
    values.update(overrides)
    return values
