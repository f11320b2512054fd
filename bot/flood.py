"""Per-person flood limit: a person who sends too much in a minute is told once, then ignored
until the minute is over, so one person can't use up the bot's share of Telegram's limits."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Literal

Verdict = Literal["ok", "warn", "drop"]  # warn: the first update over the limit

WINDOW = 60.0  # seconds
PRUNE_EVERY = 1000  # checks between two clean-ups of people who went quiet


class FloodGuard:
    """At most `per_minute` updates per person in any 60 s; a sliding window."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = per_minute
        self.clock = clock
        self._recent: dict[int, deque[float]] = {}  # user id -> times of allowed updates
        self._warned: set[int] = set()  # told to slow down, not yet allowed again
        self._checks = 0

    def check(self, user_id: int) -> Verdict:
        now = self.clock()
        self._prune(now)
        recent = self._recent.setdefault(user_id, deque())
        while recent and recent[0] <= now - WINDOW:
            recent.popleft()
        if len(recent) < self.limit:
            recent.append(now)
            self._warned.discard(user_id)
            return "ok"
        if user_id in self._warned:
            return "drop"
        self._warned.add(user_id)
        return "warn"

    def wait(self, user_id: int) -> float:
        """Seconds until the person may send again."""
        recent = self._recent.get(user_id)
        if not recent or len(recent) < self.limit:
            return 0.0
        return max(0.0, recent[0] + WINDOW - self.clock())

    def _prune(self, now: float) -> None:
        self._checks += 1
        if self._checks % PRUNE_EVERY:
            return
        quiet = [u for u, r in self._recent.items() if not r or r[-1] <= now - WINDOW]
        for user_id in quiet:
            del self._recent[user_id]
            self._warned.discard(user_id)

    def __len__(self) -> int:
        return len(self._recent)
