"""The page's texts in a language: the catalogue shared with the bot (jobs/i18n.py), as JSON."""

from __future__ import annotations

import functools
import hashlib
import json

from fastapi import APIRouter, Path, Request, Response

from jobs.i18n import Language, catalogue, language_of

router = APIRouter(prefix="/v1/messages", tags=["messages"])

# Checked again on every load (a cheap 304): a new release's texts show at once.
CACHE = "no-cache"


@router.get(
    "/{lang}", response_model=dict[str, str],
    responses={304: {"description": "Not modified: the ETag sent in If-None-Match still holds"}},
)  # fmt: skip
async def messages(
    request: Request, lang: str = Path(max_length=35, examples=["ru", "ru-RU", "en"])
) -> Response:
    """Every translated text of a language, as {English text: translation}: the page shows
    its English texts through it. `lang` is a language tag ("ru", "ru-RU"); a language
    without translations gets English, whose texts are their own ids (an empty object).
    The language served is in `Content-Language`."""
    language = language_of(lang)
    body, etag = _encoded(language)
    headers = {"ETag": etag, "Cache-Control": CACHE, "Content-Language": language}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


@functools.cache
def _encoded(language: Language) -> tuple[bytes, str]:
    body = json.dumps(catalogue(language), ensure_ascii=False, sort_keys=True).encode()
    return body, f'"{hashlib.sha256(body).hexdigest()[:20]}"'
