"""The rate limiter's token bucket: the overall rate is kept, and the fast lane goes first."""

from __future__ import annotations

import asyncio
import time

from bot.ratelimit import PriorityBucket


async def test_the_rate_is_kept_after_the_burst() -> None:
    bucket = PriorityBucket(rate=50, burst=5)
    started = time.monotonic()
    await asyncio.gather(*(bucket.acquire() for _ in range(30)))
    assert time.monotonic() - started >= (30 - 5) / 50 * 0.95  # 25 tokens at 50 a second


async def test_the_fast_lane_overtakes_the_queue() -> None:
    bucket = PriorityBucket(rate=40, burst=1)
    order: list[str] = []

    async def take(name: str, fast: bool) -> None:
        await bucket.acquire(fast)
        order.append(name)

    await bucket.acquire()  # the burst is used up: everyone below waits
    slow = [asyncio.create_task(take(f"slow{i}", False)) for i in range(5)]
    await asyncio.sleep(0)
    fast = asyncio.create_task(take("fast", True))
    await asyncio.gather(*slow, fast)
    assert order == ["fast", "slow0", "slow1", "slow2", "slow3", "slow4"]


async def test_a_cancelled_waiter_gives_up_its_turn() -> None:
    bucket = PriorityBucket(rate=40, burst=1)
    await bucket.acquire()
    gone = asyncio.create_task(bucket.acquire())
    await asyncio.sleep(0)
    gone.cancel()
    await asyncio.wait_for(bucket.acquire(), timeout=1)  # the next one isn't stuck behind it
    assert gone.cancelled()


async def test_a_storm_of_fast_requests_still_lets_others_through() -> None:
    bucket = PriorityBucket(rate=200, burst=1)
    order: list[str] = []

    async def take(name: str, fast: bool) -> None:
        await bucket.acquire(fast)
        order.append(name)

    await bucket.acquire()
    waiting = [asyncio.create_task(take("slow", False)) for _ in range(2)]
    await asyncio.sleep(0)
    waiting += [asyncio.create_task(take("fast", True)) for _ in range(10)]
    await asyncio.gather(*waiting)
    assert "".join(name[0] for name in order) == "ffffsffffsff"
