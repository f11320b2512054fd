"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.deps import StateDep
from api.metrics import REGISTRY, refresh
from engine.weights import weights_path

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(s: StateDep) -> JSONResponse:
    """Ready to take jobs: the job store (and broker) answers, the engine's weights are here."""
    checks = {"store": await _check(s.service.queue_length()),
              "weights": await asyncio.to_thread(lambda: weights_path().is_file())}  # fmt: skip
    ok = all(checks.values())
    body = {"status": "ready" if ok else "not ready", "checks": checks}
    return JSONResponse(body, status_code=200 if ok else 503)


async def _check(probe: object) -> bool:
    try:
        await asyncio.wait_for(probe, 5.0)  # type: ignore[arg-type]
    except Exception as exc:
        log.warning("readiness check failed: %r", exc)
        return False
    return True


@router.get("/metrics", response_class=Response)
async def metrics(s: StateDep) -> Response:
    await refresh(s.service)
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
