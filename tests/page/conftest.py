"""The page in a real headless Chromium, against the real API on a loopback uvicorn server.

Needs Debian's `chromium` at /usr/bin/chromium and the `playwright` package (its own browser
download is not used). One server and one browser serve the whole package; every test gets
a fresh browser context (its own storage, language and viewport).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from tests.api.conftest import api_settings, photo, serving

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SHOTS = Path(__file__).resolve().parents[2] / "out" / "page"
WAIT_MS = 60_000  # generous: two busy cores also run the optimisation


def skip_without_browser() -> None:
    """Skip the calling test module when Chromium or Playwright is missing."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"page tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)",
            allow_module_level=True,
        )
    pytest.importorskip("playwright.async_api", reason="page tests need `pip install playwright`")


@dataclass
class Site:
    url: str
    api: httpx.AsyncClient


@pytest_asyncio.fixture(scope="package", loop_scope="package")
async def site(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Site]:
    data = tmp_path_factory.mktemp("page-api")
    settings = api_settings(data, api_max_active_jobs=10, api_requests_per_minute=10_000)
    async with serving(settings) as client:
        yield Site(str(client.base_url).rstrip("/"), client)


@pytest_asyncio.fixture(scope="package", loop_scope="package")
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest_asyncio.fixture(loop_scope="package")
async def new_page(browser: Any) -> AsyncIterator[Any]:
    """new_page(**context_options) -> a page in a fresh context; all closed afterwards."""
    from playwright.async_api import expect

    contexts: list[Any] = []

    async def make(**options: Any) -> Any:
        options = {"locale": "en-US", "accept_downloads": True, **options}
        context = await browser.new_context(**options)
        context.set_default_timeout(WAIT_MS)
        expect.set_options(timeout=WAIT_MS)
        contexts.append(context)
        page = await context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    errors: list[str] = []
    yield make
    for context in contexts:
        await context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


async def open_page(page: Any, site: Site, query: str = "?size=32") -> None:
    """The page, once the gallery is shown."""
    from playwright.async_api import expect

    await page.goto(site.url + "/" + query)
    await page.wait_for_selector("body.ready")
    await expect(page.locator("#gallery .card").first).to_be_visible()


async def choose_photo(page: Any) -> None:
    from playwright.async_api import expect

    await page.set_input_files(
        "#photo-input", files=[{"name": "cat.jpg", "mimeType": "image/jpeg", "buffer": photo()}]
    )
    await expect(page.locator("#photo-img")).to_be_visible()


async def screenshot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
