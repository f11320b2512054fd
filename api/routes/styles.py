"""The gallery: the list, a forgiving name lookup, thumbnails."""

from __future__ import annotations

import asyncio
import io

from fastapi import APIRouter, Query, Response
from PIL import Image

from api.deps import StateDep
from api.models import LookupOut, StyleList, StyleOut
from api.problems import Problem
from jobs.i18n import N_
from styles.categories import CATEGORIES

router = APIRouter(prefix="/v1/styles", tags=["styles"])

THUMB_SIDE = 320
CACHE = "public, max-age=86400"


@router.get("", response_model=StyleList)
async def list_styles(s: StateDep, category: str | None = None) -> StyleList:
    """Every painting of the gallery (or of one category), in gallery order."""
    entries = s.catalog.entries if category is None else s.catalog.by_category(category)
    present = {e.category for e in s.catalog.entries}
    return StyleList(
        styles=[StyleOut.of(e) for e in entries],
        categories=[{"slug": c.slug, "en": c.en, "ru": c.ru} for c in CATEGORIES
                    if c.slug in present],
    )  # fmt: skip


@router.get("/lookup", response_model=LookupOut)
async def lookup(s: StateDep, q: str = Query(min_length=1, max_length=100)) -> LookupOut:
    """Find a painting by any name people use: "van gogh", "Ван Гог", "monet", typos too."""
    found = s.catalog.lookup(q)
    return LookupOut(
        query=q, match=StyleOut.of(found.entry) if found.entry else None,
        candidates=[StyleOut.of(e) for e in found.candidates],
    )  # fmt: skip


@router.get("/{slug}/thumbnail", response_class=Response,
            responses={200: {"content": {"image/jpeg": {}}}})  # fmt: skip
async def thumbnail(slug: str, s: StateDep) -> Response:
    if slug not in s.catalog:
        raise Problem(404, "style_not_found", N_("There is no such painting in the gallery."))
    data = s.thumbnails.get(slug)
    if data is None:
        data = await asyncio.to_thread(_thumbnail, s.catalog.get(slug).path)
        s.thumbnails[slug] = data
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": CACHE})


def _thumbnail(path: object) -> bytes:
    with Image.open(path) as image:  # type: ignore[arg-type]
        small = image.convert("RGB")
        small.thumbnail((THUMB_SIDE, THUMB_SIDE))
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
