"""Whole flows on the page: photo, style, progress, result, download, cancel, languages,
a phone's width, the keyboard alone, and an error from the API."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from PIL import Image

from bot import texts
from bot.i18n import gettext_for
from jobs.i18n import catalogue
from tests.api.conftest import photo
from tests.page.conftest import (
    SHOTS,
    Site,
    choose_photo,
    open_page,
    screenshot,
    skip_without_browser,
)

skip_without_browser()
from playwright.async_api import expect  # noqa: E402

pytestmark = pytest.mark.asyncio(loop_scope="package")

# The English texts the page translates: marked elements' and attributes' message ids.
TEXTS_SHOWN = """() => [
  ...[...document.querySelectorAll("[data-i18n]")].map((el) => el.dataset.i18n),
  ...[...document.querySelectorAll("[data-i18n-attr]")].flatMap((el) =>
    el.dataset.i18nAttr.split(" ").map((attr) => el.getAttribute(`data-i18n-${attr}`))),
]"""

# Records what the page showed while a job ran, however briefly it showed it.
RECORDER = """
window.__seen = {progress: [], previews: 0};
document.addEventListener("DOMContentLoaded", () => {
  const bar = document.getElementById("progress");
  new MutationObserver(() => window.__seen.progress.push(bar.value))
    .observe(bar, {attributes: true, attributeFilter: ["value"]});
  document.getElementById("preview").addEventListener("load", () => window.__seen.previews++);
});
"""


async def running_blocker(site: Site) -> str:
    """A long job of its own, running: what the page submits next has to wait behind it."""
    response = await site.api.post(
        "/v1/jobs", data={"artist": "monet", "quality": "fast", "size": "256"},
        files={"content": ("cat.jpg", photo())},
    )  # fmt: skip
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    async with asyncio.timeout(60):
        while (await site.api.get(f"/v1/jobs/{job_id}")).json()["state"] != "running":
            await asyncio.sleep(0.05)
    return str(job_id)


async def no_horizontal_scroll(page: Any, width: int = 375) -> None:
    scroll = await page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll <= width, f"the page is {scroll} px wide on a {width} px screen"


async def test_photo_artist_progress_result_download(site: Site, new_page: Any) -> None:
    page = await new_page(viewport={"width": 1100, "height": 900})
    await page.add_init_script(RECORDER)
    await open_page(page, site)
    await choose_photo(page)

    await page.fill("#search", "ван гог")
    van_gogh = page.locator('.card[data-slug="van-gogh"]')
    await expect(van_gogh).to_be_visible()
    await expect(page.locator("#gallery .card:visible")).to_have_count(1)
    await van_gogh.click()
    await expect(page.locator('input[value="van-gogh"]')).to_be_checked()
    await screenshot(page, "1-chosen")

    blocker = await running_blocker(site)
    await page.click("#go")
    await expect(page.locator("#work")).to_be_visible()
    await expect(page.locator("#status")).to_have_text("In the queue: 1 ahead of you.")
    await expect(page.locator("#cancel")).to_be_enabled()
    await screenshot(page, "2-queued")
    assert (await site.api.delete(f"/v1/jobs/{blocker}")).status_code == 202

    await expect(page.locator("#result")).to_be_visible()
    await page.wait_for_function("window.__seen.previews > 0")
    progress = await page.evaluate("window.__seen.progress")
    assert progress and all(0 <= p <= 1 for p in progress) and max(progress) > 0
    await expect(page.locator("#work")).to_be_hidden()
    after = page.locator("#after")
    await page.wait_for_function("document.getElementById('after').naturalWidth > 0")
    assert await after.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [32, 24]
    await expect(page.locator("#result-note")).to_have_text(re.compile(r"Done in [\d.]+ s\."))
    await screenshot(page, "3-result")

    # Before/after: the slider moves the edge of the stylized picture over the photo.
    await page.focus("#split")
    await page.keyboard.press("Home")
    await expect(page.locator("#compare")).to_have_attribute("style", re.compile(r"--split: 0%"))
    await page.keyboard.press("End")
    await expect(page.locator("#compare")).to_have_attribute("style", re.compile(r"--split: 100%"))

    async with page.expect_download() as info:
        await page.click("#download")
    download = await info.value
    assert re.fullmatch(r"stylized-[\w-]+\.png", download.suggested_filename)
    SHOTS.mkdir(parents=True, exist_ok=True)
    await download.save_as(SHOTS / "download.png")
    assert Image.open(SHOTS / "download.png").size == (32, 24)

    # Try another artist: the photo stays, the painting chosen before is still chosen.
    await page.click("#again")
    await expect(page.locator("#choose")).to_be_visible()
    await expect(page.locator("#photo-img")).to_be_visible()
    await expect(page.locator('input[value="van-gogh"]')).to_be_checked()
    await expect(page.locator('input[value="van-gogh"]')).to_be_focused()


async def test_cancel_a_running_job(site: Site, new_page: Any) -> None:
    page = await new_page()
    await open_page(page, site, "?size=256")
    await expect(page.locator("#dev-note")).to_have_text("Developer option: output size 256 px.")
    await choose_photo(page)
    await page.locator('.card[data-slug="monet"]').click()
    await page.click("#go")
    await expect(page.locator("#progress")).to_have_attribute("value", re.compile(r"."))
    await expect(page.locator("#eta")).to_have_text(re.compile(r"About \d+ (s|min) left\."))
    await screenshot(page, "4-running")
    await page.click("#cancel")
    await expect(page.locator("#notice")).to_have_text("Cancelled. Your photo is still here.")
    await expect(page.locator("#choose")).to_be_visible()
    await expect(page.locator("#alert")).to_be_hidden()
    await expect(page.locator("#go")).to_be_focused()
    await expect(page.locator("#photo-img")).to_be_visible()


async def test_own_style_image(site: Site, new_page: Any) -> None:
    page = await new_page()
    await open_page(page, site)
    await choose_photo(page)
    await page.locator('.card[data-slug="monet"]').click()
    style = {"name": "mine.png", "mimeType": "image/png", "buffer": photo(64, 64, "PNG")}
    await page.set_input_files("#style-input", files=[style])
    await expect(page.locator("#own-name")).to_have_text("Your style image: mine.png")
    await expect(page.locator('input[name="artist"]:checked')).to_have_count(0)
    await screenshot(page, "5-own-style")
    await page.click("#go")
    await expect(page.locator("#result")).to_be_visible()
    await page.wait_for_function("document.getElementById('after').naturalWidth > 0")

    # Back, then removing the own style leaves nothing chosen: the page says so.
    await page.click("#again")
    await page.click("#own-remove")
    await expect(page.locator("#own-box")).to_be_hidden()
    await page.click("#go")
    await expect(page.locator("#alert")).to_have_text(
        "Choose a painting or upload your own style image first."
    )


async def test_paste_and_drop_a_photo(site: Site, new_page: Any) -> None:
    page = await new_page()
    await open_page(page, site)
    data = list(photo(40, 30, "PNG"))
    await page.evaluate(
        """bytes => {
          const data = new DataTransfer();
          data.items.add(new File([new Uint8Array(bytes)], "pasted.png", {type: "image/png"}));
          document.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data}));
        }""",
        data,
    )
    await expect(page.locator("#photo-name")).to_have_text("pasted.png")
    await page.wait_for_function("document.getElementById('photo-img').naturalWidth === 40")
    await page.evaluate(
        """bytes => {
          const data = new DataTransfer();
          data.items.add(new File([new Uint8Array(bytes)], "dropped.png", {type: "image/png"}));
          document.getElementById("drop").dispatchEvent(
            new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
        }""",
        data,
    )
    await expect(page.locator("#photo-name")).to_have_text("dropped.png")


async def test_russian_is_remembered(site: Site, new_page: Any) -> None:
    page = await new_page()
    await open_page(page, site)
    assert await page.get_attribute("html", "lang") == "en"
    card = page.locator('.card[data-slug="van-gogh"]')
    await expect(card.locator(".name")).to_have_text("Vincent van Gogh")

    await page.click('button[data-lang="ru"]')
    assert await page.get_attribute("html", "lang") == "ru"
    await expect(page.locator("h1")).to_have_text("Перенос стиля")
    await expect(page.locator("#go")).to_have_text("Стилизовать")
    await expect(card.locator(".name")).to_have_text("Винсент Ван Гог")
    await expect(card.locator(".title")).to_have_text(re.compile("Звёздная ночь"))
    await expect(card.locator(".category")).to_have_text("Живопись")
    await expect(page.locator("#quality option[value=fast]")).to_have_text(re.compile("Быстро"))
    await expect(page.locator('button[data-lang="ru"]')).to_have_attribute("aria-pressed", "true")
    await expect(page.locator("#dev-note")).to_have_text("Опция разработчика: размер 32 px.")
    shown = await page.evaluate(TEXTS_SHOWN)
    assert len(shown) > 30 and sorted(set(shown) - catalogue("ru").keys()) == []
    await screenshot(page, "6-russian")

    await page.reload()
    await page.wait_for_selector("body.ready")
    assert await page.get_attribute("html", "lang") == "ru"
    await expect(page.locator("h1")).to_have_text("Перенос стиля")
    await expect(card.locator(".name")).to_have_text("Винсент Ван Гог")

    await page.click('button[data-lang="en"]')
    await expect(page.locator("h1")).to_have_text("Style transfer")


async def test_the_page_and_the_bot_use_the_same_names(site: Site, new_page: Any) -> None:
    """What the page shows for a quality, "Surprise me", "Suggest a style", "Cancel" and
    "Another artist" is what the bot says for it, in each language (the bot's icon aside)."""
    page = await new_page()
    await open_page(page, site)
    for language in ("en", "ru"):
        await page.click(f'button[data-lang="{language}"]')
        await expect(page.locator("html")).to_have_attribute("lang", language)
        bot = gettext_for(language)
        for quality, name in texts.QUALITY_NAMES.items():
            shown = await page.locator(f"#quality option[value={quality}]").text_content()
            assert shown is not None and re.fullmatch(rf"{re.escape(bot(name))}( \(.+\))?", shown)
        for selector, button in [
            ("#surprise", texts.BTN_SURPRISE), ("#suggest", texts.BTN_SUGGEST),
            ("#cancel", texts.BTN_CANCEL), ("#again", texts.BTN_ANOTHER_ARTIST),
        ]:  # fmt: skip
            assert await page.locator(selector).text_content() == bot(button).split(" ", 1)[1]
        # The time left on the page, in the words of the bot's captions.
        seconds = "async () => (await import('/i18n.js')).t('{s} s', {s: 5})"
        assert await page.evaluate(seconds) == bot(texts.SECONDS).format(s=5)
    assert gettext_for("ru")(texts.QUALITY_NAMES["balanced"]) == "Среднее"


async def test_russian_browser_gets_russian(site: Site, new_page: Any) -> None:
    page = await new_page(locale="ru-RU")
    await open_page(page, site)
    assert await page.get_attribute("html", "lang") == "ru"
    await expect(page.locator("#photo-h")).to_have_text("1. Ваше фото")


async def test_phone_width(site: Site, new_page: Any) -> None:
    page = await new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    await open_page(page, site)
    await no_horizontal_scroll(page)
    await choose_photo(page)
    await page.locator('.card[data-slug="klimt"]').tap()
    await no_horizontal_scroll(page)
    await screenshot(page, "7-phone")
    await page.click('button[data-lang="ru"]')
    await no_horizontal_scroll(page)
    await page.locator("#go").tap()
    await expect(page.locator("#result")).to_be_visible()
    await page.wait_for_function("document.getElementById('after').naturalWidth > 0")
    await no_horizontal_scroll(page)
    await screenshot(page, "8-phone-result")


async def test_keyboard_only(site: Site, new_page: Any) -> None:
    page = await new_page()
    await open_page(page, site)
    await choose_photo(page)
    await page.focus("body")
    for _ in range(10):  # EN, RU, the photo picker, then the search box
        await page.keyboard.press("Tab")
        if await page.evaluate("document.activeElement.id") == "search":
            break
    await expect(page.locator("#search")).to_be_focused()
    await page.keyboard.type("mon")  # Monet and Mondrian
    await page.keyboard.press("Enter")  # picks the first painting shown
    await expect(page.locator("#gallery .card:visible").nth(1)).to_be_visible()
    monet = page.locator('input[value="monet"]')
    await expect(monet).to_be_checked()
    await expect(monet).to_be_focused()
    card = page.locator('.card[data-slug="monet"]')
    assert await card.evaluate("c => getComputedStyle(c).outlineStyle") == "solid"
    await screenshot(page, "9-keyboard")

    # Arrow keys move the choice through the paintings shown.
    await page.keyboard.press("ArrowRight")
    await expect(monet).not_to_be_checked()
    await expect(page.locator('input[name="artist"]:checked')).to_have_count(1)
    await page.keyboard.press("ArrowLeft")
    await expect(monet).to_be_checked()

    # The category chips and the rest of the form work with the keyboard as well.
    await page.focus('.chip[data-category="cubism"]')
    await page.keyboard.press("Enter")
    await expect(page.locator('.chip[data-category="cubism"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    categories = await page.locator("#gallery .card:visible").evaluate_all(
        "cards => cards.map(c => c.dataset.category)"
    )
    assert categories and set(categories) == {"cubism"}
    await page.focus("#strength")
    await page.keyboard.press("ArrowRight")
    await expect(page.locator("#strength-out")).to_have_text("55%")
    await page.focus("#colors")
    await page.keyboard.press("Space")
    await expect(page.locator("#colors")).to_be_checked()


async def test_api_error_is_shown(site: Site, new_page: Any) -> None:
    fake = b"just some text, not a picture\n"
    expected = (
        await site.api.post(
            "/v1/jobs", data={"artist": "monet"}, files={"content": ("notes.jpg", fake)}
        )
    ).json()["detail"]
    page = await new_page()
    await open_page(page, site)
    await page.set_input_files(
        "#photo-input", files=[{"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": fake}]
    )
    await page.locator('.card[data-slug="monet"]').click()
    await page.click("#go")
    await expect(page.locator("#alert")).to_have_text(expected)
    await expect(page.locator("#choose")).to_be_visible()
    await screenshot(page, "10-error")


async def test_suggest_shows_the_photo_in_every_style_best_first(site: Site, new_page: Any) -> None:
    page = await new_page(viewport={"width": 1100, "height": 900})
    await open_page(page, site)
    await choose_photo(page)
    await page.click("#suggest")
    await expect(page.locator("#suggest-status")).to_have_text(re.compile("best fits come first"))
    cards = page.locator("#gallery .card")
    await expect(cards.first.locator(".rank")).to_have_text("★ 1")
    await expect(cards.nth(3).locator(".rank")).to_have_text("4")
    await expect(page.locator("#gallery .card.top")).to_have_count(3)
    src = await cards.first.locator("img").get_attribute("src")
    assert re.fullmatch(r"/v1/suggestions/[\w-]+/tiles/1", src or "")
    await page.wait_for_function("document.querySelector('#gallery .card img').naturalWidth > 0")
    top = await page.locator("#gallery .card.top").evaluate_all(
        "cards => cards.map(c => c.dataset.slug)"
    )
    await page.click("#surprise")
    chosen = await page.evaluate("document.querySelector('input[name=artist]:checked').value")
    assert chosen in top
    await screenshot(page, "4-suggested")
