"""A load run: many people, each sending several requests at once, against a small queue.

Each simulated person sends three requests in one burst, the three ways the bot accepts:
a photo captioned "/stylize munch", a photo followed by a style photo, and a photo followed by
a typed artist name. Meanwhile another person asks for /help every half second. A request
counts as answered once the bot has replied to its photo with a picture or a refusal.

tests/bot/test_load.py asserts on what must hold on any machine (nothing lost, every /help
answered, memory bounded); `python -m bench.load_bot [--users N] [--queue N]` prints the
figures too, such as the slowest /help answer.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from bot import texts
from bot.app import build_application
from tests.bot.conftest import image_bytes, input_files, make_settings, nth_photo, running
from tests.bot.fakeapi import FakeTelegram

FIRST_USER = 20_000
HELP_USER = 19_999
# /help comes from several people in turn: one asking every half second would be over
# the per-person flood limit within a minute.
HELP_ASKERS = list(range(19_900, 19_910))
REFUSALS = {"busy": texts.ALREADY_BUSY, "full": texts.QUEUE_FULL}


@dataclass
class LoadReport:
    users: int
    requests: int
    results: int
    refused: dict[str, int]  # "busy" (one at a time), "full" (queue full)
    lost: int  # requests with neither a picture nor a refusal: must be 0
    help_asked: int
    help_unanswered: int  # /help with no answer within 30 s: must be 0
    slowest_help: float  # seconds from /help sent to answer, under load: a figure, no bound
    rss_before_mb: float
    rss_peak_mb: float
    temp_files_left: int
    seconds: float

    def lines(self) -> list[str]:
        refused = ", ".join(f"{count} {kind}" for kind, count in self.refused.items())
        return [
            f"simulated users:      {self.users} (3 requests each, sent at once)",
            f"requests:             {self.requests}",
            f"answered with a picture: {self.results}",
            f"refused with a reason:   {sum(self.refused.values())} ({refused})",
            f"requests lost:        {self.lost}",
            f"/help under load:     {self.help_asked} asked, {self.help_unanswered} unanswered,"
            f" slowest answer {self.slowest_help:.2f} s",
            f"resident memory:      {self.rss_before_mb:.0f} MB before,"
            f" peak {self.rss_peak_mb:.0f} MB",
            f"temp files left:      {self.temp_files_left}",
            f"wall time:            {self.seconds:.1f} s",
        ]


def send_burst(tg: FakeTelegram, user: int, photo: bytes, style: bytes) -> list[int]:
    """One person's three requests; returns the ids of their three content photos."""
    first = tg.send_photo(user, user, photo, caption="/stylize munch")
    second = tg.send_photo(user, user, photo)
    tg.send_photo(user, user, style)
    third = tg.send_photo(user, user, photo)
    tg.send_text(user, user, "monet")
    return [m["message"]["message_id"] for m in (first, second, third)]


def answer(tg: FakeTelegram, chat_id: int, message_id: int) -> str | None:
    """'result', a refusal kind, or None while the request is unanswered."""
    for msg in tg.sent_messages(chat_id):
        if (msg.get("reply_to_message") or {}).get("message_id") != message_id:
            continue
        if "photo" in msg:
            return "result"
        for kind, text in REFUSALS.items():
            if text in (msg.get("text") or ""):
                return kind
    return None


class Sampler:
    """Resident memory of this process, sampled every 50 ms while the load runs."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.peak = self.process.memory_info().rss

    async def run(self) -> None:
        while True:
            self.peak = max(self.peak, self.process.memory_info().rss)
            await asyncio.sleep(0.05)


async def ask_for_help(
    tg: FakeTelegram, latencies: list[float], unanswered: list[int], stop: asyncio.Event
) -> None:
    turn = 0
    while not stop.is_set():
        asker = HELP_ASKERS[turn % len(HELP_ASKERS)]
        turn += 1
        asked = time.monotonic()
        wanted = len(help_answers(tg, asker)) + 1
        tg.send_text(asker, asker, "/help")
        try:
            await tg.wait_until(lambda: len(help_answers(tg, asker)) >= wanted, timeout=30)  # noqa: B023
        except AssertionError:
            unanswered.append(asker)
            continue
        latencies.append(time.monotonic() - asked)
        await asyncio.sleep(0.5)


def help_answers(tg: FakeTelegram, chat_id: int) -> list[dict[str, Any]]:
    return [m for m in tg.sent_messages(chat_id) if "How it works" in (m.get("text") or "")]


@contextlib.asynccontextmanager
async def background(*coros: Any) -> AsyncIterator[None]:
    tasks = [asyncio.create_task(c) for c in coros]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def run_load(
    tg: FakeTelegram, data_dir: Path, *, users: int = 50, queue_size: int = 5,
    timeout: float = 300.0,
) -> LoadReport:  # fmt: skip
    people = list(range(FIRST_USER, FIRST_USER + users))
    for user in [HELP_USER, *HELP_ASKERS, *people]:
        tg.user(user, first_name=f"user{user}")
    photo, style = image_bytes(96, 72), image_bytes(64, 64, "PNG")
    # Progress every 2 s, as in production (3 s): edits count against Telegram's limits too.
    settings = make_settings(tg, data_dir, queue_size=queue_size, progress_interval=2.0)
    async with running(build_application(settings)):
        tg.send_photo(HELP_USER, HELP_USER, photo, caption="/stylize munch")
        await nth_photo(tg, HELP_USER, timeout=60)  # the model is loaded: a fair baseline
        sampler, stop = Sampler(), asyncio.Event()
        latencies: list[float] = []
        unanswered: list[int] = []
        rss_before = sampler.peak
        started = time.monotonic()
        async with background(sampler.run(), ask_for_help(tg, latencies, unanswered, stop)):
            requests = [(u, m) for u in people for m in send_burst(tg, u, photo, style)]
            with contextlib.suppress(AssertionError):  # timed out: the report counts the lost
                await tg.wait_until(
                    lambda: all(answer(tg, u, m) for u, m in requests), timeout=timeout
                )
            stop.set()
        seconds = time.monotonic() - started
    outcomes = [answer(tg, u, m) for u, m in requests]
    mb = 1024 * 1024
    return LoadReport(
        users=users, requests=len(requests), results=outcomes.count("result"),
        refused={kind: outcomes.count(kind) for kind in REFUSALS},
        lost=outcomes.count(None), help_asked=len(latencies) + len(unanswered),
        help_unanswered=len(unanswered),
        slowest_help=max(latencies, default=float("nan")),
        rss_before_mb=rss_before / mb, rss_peak_mb=sampler.peak / mb,
        temp_files_left=len(input_files(data_dir)),
        seconds=seconds,
    )  # fmt: skip


async def main(users: int, queue_size: int) -> None:
    with FakeTelegram() as tg, tempfile.TemporaryDirectory() as tmp:
        report = await run_load(tg, Path(tmp) / "data", users=users, queue_size=queue_size)
        print("\n".join(report.lines()))
        print(f"fake Bot API server errors: {len(tg.server_errors)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--queue", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.users, args.queue))
