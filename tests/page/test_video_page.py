"""A clip on the page: choose it, see it, get the stylised MP4 in a <video> and download it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests import clips
from tests.page.conftest import Site, open_page, screenshot, skip_without_browser

skip_without_browser()
from playwright.async_api import expect  # noqa: E402

pytestmark = pytest.mark.asyncio(loop_scope="package")


async def test_a_clip_comes_back_as_a_video(site: Site, new_page: Any, tmp_path: Path) -> None:
    page = await new_page(viewport={"width": 1100, "height": 900})
    await open_page(page, site)
    clip = clips.pan(tmp_path / "pan.mp4")
    await page.set_input_files(
        "#photo-input",
        files=[{"name": "pan.mp4", "mimeType": "video/mp4", "buffer": clip.read_bytes()}],
    )
    await expect(page.locator("#photo-video")).to_be_visible()
    await expect(page.locator("#photo-img")).to_be_hidden()
    await expect(page.locator("#clip-note")).to_be_visible()
    await expect(page.locator("#suggest")).to_be_hidden()  # suggestions are for pictures
    assert await page.locator("#quality").input_value() == "instant"
    await page.locator('.card[data-slug="hokusai"]').click()
    await page.click("#go")

    await expect(page.locator("#result")).to_be_visible()
    await expect(page.locator("#result-h")).to_have_text("Your clip")
    await expect(page.locator("#compare-box")).to_be_hidden()
    video = page.locator("#result-video")
    await expect(video).to_be_visible()
    assert "/result" in (await video.get_attribute("src") or "")
    assert (await page.locator("#download").get_attribute("href") or "").endswith("download=1")
    playable = await page.evaluate(
        "document.createElement('video').canPlayType('video/mp4; codecs=\"avc1.640015\"')"
    )
    if playable:  # Chromium builds without H.264 show the element but cannot play it
        await page.wait_for_function("document.getElementById('result-video').readyState >= 1")
        size = await video.evaluate("v => [v.videoWidth, v.videoHeight]")
        assert size == [32, 22]
    await screenshot(page, "clip-result")
    async with page.expect_download() as caught:
        await page.click("#download")
    download = await caught.value
    assert download.suggested_filename.endswith(".mp4")
