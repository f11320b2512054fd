from __future__ import annotations

from collections.abc import Iterator

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


@pytest.fixture
def precision_from_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """ENGINE_PRECISION unset and read from the environment, whatever this run's environment
    or an earlier job service chose; set it with the monkeypatch this yields."""
    from engine import devices

    monkeypatch.delenv(devices.PRECISION_VARIABLE, raising=False)
    monkeypatch.setattr(devices, "_chosen", None)
    yield monkeypatch
