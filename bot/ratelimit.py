"""Telegram's flood limits on our side, network retries, and a fast lane for quick answers.

Telegram lets a bot send about 30 messages a second in all. python-telegram-bot's
AIORateLimiter keeps to that, first come first served: under a flood of requests (each
needing a menu, a refusal, a progress message) a person who just typed /help would wait
behind hundreds of messages. Calls made with `rate_limit_args=FAST` (answers to commands)
take the next free slot instead; everything else keeps its order. The overall rate is the
same, so Telegram sees no difference.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

T = TypeVar("T")

FAST = "fast"  # rate_limit_args for an answer a person is waiting for
FLOOD_RETRIES = 3  # RetryAfter: wait as told, then try again
NETWORK_RETRIES = 3  # NetworkError/TimedOut: back off and try again
NETWORK_RETRY_DELAY = 0.5  # seconds before the first retry; doubles each time
MESSAGES_PER_SECOND = 30.0
FAST_SHARE = 4  # at most this many fast-lane sends in a row while others wait

Result = bool | dict[str, Any] | list[dict[str, Any]]  # what a Bot API call returns

_fast_lane: contextvars.ContextVar[bool] = contextvars.ContextVar("fast_lane", default=False)


class PriorityBucket:
    """A token bucket (`rate` per second, bursts up to `burst`) with two queues: waiters in
    the fast lane get each free token before anyone in the normal one."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self._tokens, self._stamp = burst, time.monotonic()
        self._lanes: tuple[deque[asyncio.Future[None]], ...] = (deque(), deque())
        self._pump: asyncio.Task[None] | None = None
        self._fast_run = 0  # fast-lane tokens handed out in a row

    async def __aenter__(self) -> None:
        await self.acquire(_fast_lane.get())

    async def __aexit__(self, *exc: object) -> None:
        pass

    async def acquire(self, fast: bool = False) -> None:
        self._refill()
        if self._tokens >= 1 and not any(self._lanes):
            self._tokens -= 1
            return
        ticket = asyncio.get_running_loop().create_future()
        self._lanes[0 if fast else 1].append(ticket)
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._hand_out(), name="rate-limit")
        await ticket  # if cancelled, _hand_out skips it

    async def _hand_out(self) -> None:
        while any(self._lanes):
            self._refill()
            if self._tokens < 1:
                await asyncio.sleep((1 - self._tokens) / self.rate)
                continue
            ticket = self._next()
            if ticket is not None:
                ticket.set_result(None)
                self._tokens -= 1

    def _next(self) -> asyncio.Future[None] | None:
        """Fast lane first, but every FAST_SHARE-th token goes to the normal lane if it waits,
        so a storm of commands can slow results down but never stop them."""
        fast, normal = self._lanes
        order = (normal, fast) if self._fast_run >= FAST_SHARE else (fast, normal)
        for lane in order:
            while lane:
                ticket = lane.popleft()
                if not ticket.done():
                    self._fast_run = self._fast_run + 1 if lane is fast else 0
                    return ticket
        return None

    def _refill(self) -> None:
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now


class BotRateLimiter(AIORateLimiter):
    """AIORateLimiter (group limits, RetryAfter) with the fast lane, and retries on network
    errors.

    Every Bot API call except getUpdates goes through here, so sends, edits and getFile
    all survive a dropped connection (see `with_retries`).
    """

    def __init__(self) -> None:
        super().__init__(max_retries=FLOOD_RETRIES, overall_max_rate=MESSAGES_PER_SECOND)
        if getattr(self, "_base_limiter", None) is None:  # a python-telegram-bot upgrade
            raise RuntimeError("AIORateLimiter no longer has _base_limiter; see bot/ratelimit.py")
        # AIORateLimiter enters this around every call to a chat; ours honours the lane.
        self._base_limiter = PriorityBucket(MESSAGES_PER_SECOND, MESSAGES_PER_SECOND)  # type: ignore[assignment]

    async def process_request(  # rate_limit_args may also be FAST
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | str | None,
    ) -> Result:
        fast = rate_limit_args == FAST
        request = {
            "callback": callback, "args": args, "kwargs": kwargs, "endpoint": endpoint,
            "data": data, "rate_limit_args": None if fast else rate_limit_args,
        }  # fmt: skip
        lane = _fast_lane.set(fast)  # read by PriorityBucket, in this task only
        try:
            return await self._retrying(request)
        finally:
            _fast_lane.reset(lane)

    async def _retrying(self, request: dict[str, Any]) -> Result:
        call = super().process_request
        return await with_retries(lambda: call(**request), request["endpoint"])


async def with_retries(make: Callable[[], Awaitable[T]], what: str) -> T:
    """Run a request again on network errors (not on Telegram refusing it), with backoff.

    Bot API calls get this from BotRateLimiter; file downloads bypass the rate limiter and
    call it themselves. A timed-out send may have arrived anyway, which is why only a few
    attempts are made. BadRequest is a NetworkError subclass in PTB, but final.
    """
    delay = NETWORK_RETRY_DELAY
    for attempt in range(NETWORK_RETRIES + 1):
        try:
            return await make()
        except BadRequest:
            raise
        except NetworkError as exc:
            if attempt == NETWORK_RETRIES:
                raise
            log.warning("%s failed (%s); retrying in %.1f s", what, exc, delay)
            await asyncio.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")
