"""Dependencies: the shared state, API keys and per-caller request limits.

A caller is its API key when keys are configured, else its address; limits apply per caller.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from api.problems import Problem
from api.settings import ApiSettings
from jobs import JobService
from jobs.i18n import N_
from styles.catalog import Catalog

WINDOW = 60.0  # seconds of the request limit
MAX_CALLERS = 100_000  # remembered at once; the oldest are forgotten first


class RequestLimiter:
    """At most `limit` requests per caller in any 60 s."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._seen: dict[str, deque[float]] = {}

    def allow(self, caller: str, now: float | None = None) -> float:
        """0 if allowed (and counted), else seconds until it would be."""
        now = time.monotonic() if now is None else now
        times = self._seen.setdefault(caller, deque())
        while times and now - times[0] >= WINDOW:
            times.popleft()
        if len(times) >= self.limit:
            return WINDOW - (now - times[0])
        times.append(now)
        if len(self._seen) > MAX_CALLERS:
            self._seen.pop(next(iter(self._seen)))
        return 0.0


@dataclass
class State:
    """What the routes share; kept in `app.state.api`."""

    settings: ApiSettings
    service: JobService
    catalog: Catalog
    limiter: RequestLimiter = field(init=False)
    thumbnails: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.limiter = RequestLimiter(self.settings.api_requests_per_minute)


def state(request: Request) -> State:
    found = request.app.state.api
    assert isinstance(found, State)
    return found


StateDep = Annotated[State, Depends(state)]


def caller(request: Request, s: StateDep) -> str:
    """Who is asking (an API key's hash, or the address); refuses a missing or wrong key."""
    keys = s.settings.keys
    if keys:
        given = _given_key(request)
        if not any(hmac.compare_digest(given, key) for key in keys):
            raise Problem(
                401, "unauthorized", N_("A valid API key is needed (header X-API-Key)."),
                headers={"WWW-Authenticate": "Bearer"},
            )  # fmt: skip
        return "key:" + hashlib.sha256(given.encode()).hexdigest()[:16]
    host = request.client.host if request.client else "unknown"
    return f"ip:{host}"


def _given_key(request: Request) -> str:
    key = request.headers.get("x-api-key", "")
    auth = request.headers.get("authorization", "")
    if not key and auth.lower().startswith("bearer "):
        key = auth[7:].strip()
    return key


def limited(request: Request, s: StateDep, who: Annotated[str, Depends(caller)]) -> str:
    """`caller`, counted against the per-minute request limit."""
    wait = s.limiter.allow(who)
    if wait:
        raise Problem(
            429, "rate_limited", N_("Too many requests. Please slow down a little."),
            headers={"Retry-After": str(max(1, round(wait)))},
        )  # fmt: skip
    return who


CallerDep = Annotated[str, Depends(limited)]
