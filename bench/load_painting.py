"""`python -m bench.load_painting [--jobs N] [--quality Q] [--size PX]`: how quickly the bot
answers while its embedded worker paints.

The bot runs as `python -m bot` in a child process (with this process's CPU affinity and
environment, so `taskset -c 0 ENGINE_PRECISION=float32 python -m bench.load_painting` is the
one-core float32 case) against the fake Bot API in this process. People ask for pictures one
after another; meanwhile new people keep asking /help or sending a photo (which gets the
artist keyboard), one at a time, including right after the bot starts and right after each
picture arrives. An answer's time runs from the update being sent to the bot's first
sendMessage in that chat arriving at the fake API. The last line reads
`bot: slowest answer X s over N answers while painting`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot import texts
from tests.bot.fakeapi import FakeTelegram

ROOT = Path(__file__).resolve().parents[1]
PHOTO_FILE = ROOT / "engine" / "samples" / "cat.jpg"
PAINTERS = 40_000  # user ids of the people whose pictures are painted
ASKERS = 50_000  # user ids of the people who ask something while it paints (one each)
ANSWER_TIMEOUT = 60.0  # seconds; an answer later than this counts as none
PAUSE = 0.3  # seconds between one answer and the next question
RUN_LIMIT = 1800.0  # seconds; a run this long has gone wrong (a failed job, a dead bot)


@dataclass
class Answers:
    seconds: list[float] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    missing: int = 0
    askers: int = 0
    unfinished: int = 0  # pictures that never came (the run was cut short)

    def lines(self) -> list[str]:
        ordered = sorted(self.seconds)
        median = ordered[len(ordered) // 2] if ordered else float("nan")
        slowest = ordered[-1] if ordered else float("nan")
        worst = self.kinds[self.seconds.index(slowest)] if ordered else "-"
        return [
            f"answers: {len(ordered)} ({self.kinds.count('help')} /help, "
            f"{self.kinds.count('photo')} artist keyboards), none within "
            f"{ANSWER_TIMEOUT:.0f} s: {self.missing}",
            f"median {median:.3f} s; slowest {slowest:.3f} s ({worst}); pictures that never "
            f"came: {self.unfinished}",
            f"bot: slowest answer {slowest:.2f} s over {len(ordered)} answers while painting",
        ]


def bot_environment(tg: FakeTelegram, data_dir: Path, args: argparse.Namespace) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("BROKER")}
    env.update(
        TELEGRAM_BOT_TOKEN=tg.token, TELEGRAM_API_BASE_URL=tg.base_url,
        TELEGRAM_FILE_BASE_URL=tg.file_base_url, DATA_DIR=str(data_dir), ENGINE_DEVICE="cpu",
        DEFAULT_QUALITY=args.quality, ENGINE_SIZE=str(args.size), JOB_TIME_BUDGET="120",
        QUEUE_SIZE="20", LOG_LEVEL="WARNING", EMBEDDED_WORKERS="1",
    )  # fmt: skip
    return env


async def ask(tg: FakeTelegram, answers: Answers, kind: str) -> None:
    """One new person asks once; their first answer's delay is noted."""
    user = ASKERS + answers.askers
    answers.askers += 1
    tg.user(user, first_name=f"asker{user}")
    since = len(tg.calls)
    sent = time.monotonic()
    if kind == "help":
        tg.send_text(user, user, "/help")
    else:
        tg.send_photo(user, user, PHOTO_FILE.read_bytes())
    try:
        call = await tg.wait_for_call(
            "sendMessage", lambda c: c.chat_id == user, timeout=ANSWER_TIMEOUT, since=since
        )
    except AssertionError:
        answers.missing += 1
        return
    answers.seconds.append(call.time - sent)
    answers.kinds.append(kind)


def pictures(tg: FakeTelegram, painters: list[int]) -> int:
    """How many painters have their picture (a photo without the preview's caption)."""
    return sum(
        any("photo" in m and m.get("caption") != texts.PREVIEW_CAPTION
            for m in tg.sent_messages(user))
        for user in painters
    )  # fmt: skip


async def keep_asking(
    tg: FakeTelegram, answers: Answers, painters: list[int], bot: subprocess.Popen[bytes]
) -> None:
    """Alternate /help and photos; right after each picture arrives, a photo first. Stops
    when every picture has arrived, or when the bot has ended or the run took too long."""
    seen, turn = 0, 1  # a photo first
    deadline = time.monotonic() + RUN_LIMIT
    while pictures(tg, painters) < len(painters):
        if bot.poll() is not None or time.monotonic() > deadline:
            answers.unfinished = len(painters) - pictures(tg, painters)
            return
        arrived = pictures(tg, painters)
        kind = "photo" if arrived > seen or turn % 2 else "help"
        seen, turn = arrived, turn + 1
        await ask(tg, answers, kind)
        await asyncio.sleep(PAUSE)


async def run(args: argparse.Namespace) -> Answers:
    answers = Answers()
    with FakeTelegram() as tg, tempfile.TemporaryDirectory() as tmp:
        painters = [PAINTERS + i for i in range(args.jobs)]
        for user in painters:
            tg.user(user, first_name=f"painter{user}")
        bot = subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=ROOT, env=bot_environment(tg, Path(tmp), args)
        )
        try:
            await tg.wait_until(lambda: tg.polls_waiting > 0, timeout=120)
            for user in painters:  # the first job starts as the bot does
                tg.send_photo(user, user, PHOTO_FILE.read_bytes(), caption="/stylize munch")
            await keep_asking(tg, answers, painters, bot)
        finally:
            bot.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                bot.wait(30)
            if bot.poll() is None:
                bot.kill()
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=2, help="pictures painted one after another")
    parser.add_argument("--quality", default="balanced")
    parser.add_argument("--size", type=int, default=256, help="the pictures' long side")
    answers = asyncio.run(run(parser.parse_args()))
    print("\n".join(answers.lines()))


if __name__ == "__main__":
    main()
