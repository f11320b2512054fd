from __future__ import annotations

import pytest
from PIL import Image

from tests.helpers import SAMPLES, STARRY


@pytest.fixture(scope="session")
def content() -> Image.Image:
    from engine.imageio import decode_image

    return decode_image(SAMPLES / "coffee.jpg")


@pytest.fixture(scope="session")
def style() -> Image.Image:
    from engine.imageio import decode_image

    return decode_image(STARRY)
