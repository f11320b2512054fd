"""`python -m tests.bot.load_report [--users N] [--queue N]`: run the load scenario of
tests/bot/load.py against the fake Bot API and print its figures."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from tests.bot.fake_api import FakeTelegram
from tests.bot.load import run_load


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
