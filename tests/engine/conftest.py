from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "engine" / "samples"
STARRY = ROOT / "styles" / "images" / "van-gogh-the-starry-night.jpg"


@pytest.fixture(scope="session")
def content() -> Image.Image:
    from engine.imageio import decode_image

    return decode_image(SAMPLES / "coffee.jpg")


@pytest.fixture(scope="session")
def style() -> Image.Image:
    from engine.imageio import decode_image

    return decode_image(STARRY)
