"""What the page loads besides index.html: its texts from the shared catalogue
(GET /v1/messages/{lang}) and its scripts as ES modules, over the real server."""

from __future__ import annotations

import re

import pytest

from jobs.i18n import catalogue
from tests.jobs.test_catalogue import PAGE, ROOT, extracted
from tests.page.conftest import Site

pytestmark = pytest.mark.asyncio(loop_scope="package")


async def test_a_language_is_served_from_the_catalogue(site: Site) -> None:
    response = await site.api.get("/v1/messages/ru")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-language"] == "ru"
    served = response.json()
    assert served == catalogue("ru")
    assert served["Balanced"] == "Среднее"  # the bot's word
    page = extracted(PAGE)
    assert sorted(text for text in page if not served.get(text)) == []
    regional = await site.api.get("/v1/messages/ru-RU")
    assert regional.json() == served and regional.headers["content-language"] == "ru"


async def test_english_and_unknown_languages_are_the_texts_themselves(site: Site) -> None:
    for tag in ("en", "de-AT"):
        response = await site.api.get(f"/v1/messages/{tag}")
        assert response.status_code == 200
        assert response.json() == {}
        assert response.headers["content-language"] == "en"


async def test_a_browser_revalidates_instead_of_downloading_again(site: Site) -> None:
    first = await site.api.get("/v1/messages/ru")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    again = await site.api.get("/v1/messages/ru", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = await site.api.get("/v1/messages/en", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


async def test_the_openapi_document_describes_it(site: Site) -> None:
    paths = (await site.api.get("/openapi.json")).json()["paths"]
    operation = paths["/v1/messages/{lang}"]["get"]
    assert operation["tags"] == ["messages"]
    assert {"200", "304"} <= operation["responses"].keys()
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["additionalProperties"] == {"type": "string"}


async def test_every_script_is_served_as_javascript(site: Site) -> None:
    """Browsers refuse a module script without a JavaScript MIME type."""
    html = (await site.api.get("/")).text
    assert re.search(r'<script type="module" src="main.js"></script>', html)
    scripts = sorted(p.name for p in (ROOT / PAGE).glob("*.js"))
    assert "main.js" in scripts and len(scripts) > 5
    for name in scripts:
        response = await site.api.get(f"/{name}")
        assert response.status_code == 200, name
        assert re.match(r"(text|application)/javascript", response.headers["content-type"]), name


async def test_no_script_is_long() -> None:
    for path in (ROOT / PAGE).glob("*.js"):
        assert len(path.read_text().splitlines()) <= 300, path.name
