"""Throughput of the distributed mode: jobs per minute for 1 and 2 `stylize-worker`s.

    python -m bench.workers [--jobs 6] [--workers 1 2] [--quality fast] [--device cpu]

Starts its own redis-server (a free loopback port, a temporary folder) and workers with
WORKER_THREADS=1 each, warms every worker up with one job (model loading is not counted),
then submits `--jobs` jobs at once and times them from submission to the last result.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from engine import QUALITIES, StyleParams
from jobs import JobRequest, JobService, Owner, create_service
from jobs.distributed_settings import DistributedSettings
from styles.catalog import default_catalog
from tests.helpers import free_port

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "engine" / "samples" / "cat.jpg"


def start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
         "--appendonly", "yes", "--save", ""],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        ping = subprocess.run(["redis-cli", "-p", str(port), "PING"], capture_output=True)
        if ping.stdout.strip() == b"PONG":
            return proc, f"redis://127.0.0.1:{port}/0"
        time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def start_workers(url: str, count: int, logs: Path, device: str) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ, "BROKER_URL": url, "WORKER_THREADS": "1", "ENGINE_DEVICE": device}
    procs = []
    for i in range(count):
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "jobs.worker_main", "-n", f"bench{i}@%h"],
                cwd=ROOT,
                env=env,
                stdout=(logs / f"worker{i}.log").open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return procs


def stop_workers(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        proc.wait(60)


async def run_batch(
    service: JobService, count: int, params: StyleParams, tag: str
) -> tuple[float, float]:
    """Submit `count` jobs at once; seconds until the last one is done, mean engine seconds."""
    content = CONTENT.read_bytes()
    start = time.monotonic()
    ids, engine = [], []
    for i in range(count):
        request = JobRequest(Owner("bench", f"{tag}{i}"), content, "van-gogh", params=params)
        job, _ = await service.submit(request)
        ids.append(job.id)
    for job_id in ids:
        async for event in service.events(job_id):
            if event.is_end:
                if event.type != "done":
                    raise RuntimeError(f"job {job_id} ended {event.type}: {event.message}")
                engine.append(event.seconds or 0.0)
                break
    return time.monotonic() - start, sum(engine) / len(engine)


async def measure(
    url: str, workers: int, jobs: int, params: StyleParams, logs: Path, device: str
) -> tuple[float, float]:
    """Jobs per minute, and the engine's mean seconds per job."""
    settings = DistributedSettings(  # type: ignore[call-arg]
        _env_file=None, broker_url=url, queue_size=max(20, jobs * 2)
    )
    service = create_service(settings, default_catalog())
    await service.start()
    procs = start_workers(url, workers, logs, device)
    try:
        await run_batch(service, workers, params, f"warm{workers}-")  # loads the model
        seconds, engine = await run_batch(service, jobs, params, f"run{workers}-")
    finally:
        stop_workers(procs)
        await service.stop()
        service.close()
    return jobs / seconds * 60, engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=6)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--quality", choices=QUALITIES, default="fast")
    parser.add_argument("--device", choices=["cpu", "cuda", "mps", "auto"], default="cpu")
    args = parser.parse_args()
    if shutil.which("redis-server") is None:
        sys.exit("needs redis-server (apt-get install redis-server)")
    params = StyleParams(quality=args.quality)  # the worker's ENGINE_DEVICE decides
    with tempfile.TemporaryDirectory() as tmp:
        redis, url = start_redis(Path(tmp))
        try:
            for count in args.workers:
                rate, engine = asyncio.run(
                    measure(url, count, args.jobs, params, Path(tmp), args.device)
                )
                size = params.output_size
                print(
                    f"{count} worker(s), {args.jobs} {args.quality} jobs ({size} px), "
                    f"{args.device}, 1 thread each: {rate:.2f} jobs/min "
                    f"(engine {engine:.1f} s per job; load average {os.getloadavg()[0]:.1f})",
                    flush=True,
                )  # fmt: skip
        finally:
            redis.terminate()
            redis.wait(30)
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
