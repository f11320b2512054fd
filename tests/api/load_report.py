"""`python -m tests.api.load_report [--clients N] [--jobs N]`: the API load scenario of
tests/api/load.py on a real uvicorn server on loopback, with its figures printed."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from tests.api.load import run_load


async def main(clients: int, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report = await run_load(Path(tmp) / "data", clients=clients, jobs_each=jobs)
    print("\n".join(report.lines()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(main(args.clients, args.jobs))
