"""Real parts for the distributed mode: a redis-server (AOF on) on a free loopback port and
`stylize-worker` processes (`python -m jobs.worker_main`, what the console script runs)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from PIL import Image

from engine import StyleParams
from jobs import Event, Job, JobRequest, JobService, Owner, create_service
from jobs.celery_app import make_app
from jobs.distributed_settings import DistributedSettings
from styles.catalog import default_catalog
from tests.helpers import ROOT, free_port

TINY = StyleParams(quality="fast", size=32, steps=2)


def wait_for(check: Callable[[], Any], timeout: float = 90.0, what: str = "condition") -> Any:
    """Poll until `check()` is truthy; generous timeouts, never a duration assertion."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class RedisServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.folder), "--appendonly", "yes", "--appendfsync", "always", "--save", ""],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self.ping, 30, "redis-server to answer")

    def cli(self, *args: str) -> str:
        out = subprocess.run(
            ["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True, timeout=30
        )
        return out.stdout.strip()

    def ping(self) -> bool:
        return self.cli("PING") == "PONG"

    def restart(self) -> None:
        """SHUTDOWN (AOF written out), then a new server on the same port and folder."""
        assert self.proc is not None
        self.cli("SHUTDOWN")
        self.proc.wait(30)
        self.start()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run does)")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def settings(redis_server: RedisServer, tmp_path: Path) -> DistributedSettings:
    redis_server.cli("FLUSHALL")
    return DistributedSettings(  # type: ignore[call-arg]
        _env_file=None, broker_url=redis_server.url, data_dir=tmp_path, engine_device="cpu",
        job_time_budget=60, queue_size=40, job_retry_delay=0.5, preview_interval=0.5,
        worker_threads=1, broker_visibility_timeout=30, lease_ttl=3,
    )  # fmt: skip


def worker_env(settings: DistributedSettings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BROKER", "JOB_", "REDIS"))}
    names = ("broker_url", "engine_device", "job_time_budget", "job_retry_delay", "data_dir",
             "preview_interval", "worker_threads", "broker_visibility_timeout", "lease_ttl",
             "redis_prefix", "result_ttl", "job_attempts")  # fmt: skip
    values = settings.model_dump()
    env.update({name.upper(): str(values[name]) for name in names if values[name] is not None})
    return env


class Workers:
    def __init__(self, settings: DistributedSettings, logs: Path) -> None:
        self.settings = settings
        self.logs = logs
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.app = make_app(settings)

    def start(self, *names: str) -> None:
        for name in names:
            log = (self.logs / f"{name}.log").open("wb")
            self.procs[name] = subprocess.Popen(
                [sys.executable, "-m", "jobs.worker_main", "-n", f"{name}@test"],
                cwd=ROOT, env=worker_env(self.settings), stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill -9 takes the pool too
            )  # fmt: skip
        for name in names:
            wait_for(lambda n=name: self.ping(n), 120, f"worker {name} to answer ping")

    def ping(self, name: str) -> bool:
        try:
            replies = self.app.control.ping(destination=[f"{name}@test"], timeout=1.0)
        except redis.ConnectionError:  # a connection kept from before a Redis restart
            return False
        return any(f"{name}@test" in reply for reply in replies)

    def idle(self, name: str) -> bool:
        """Its pool runs no task (asked the way `celery inspect active` asks)."""
        active = self.app.control.inspect(destination=[f"{name}@test"], timeout=1.0).active()
        return active is not None and active.get(f"{name}@test") == []

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)

    def stop_all(self) -> None:
        for proc in self.procs.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(30)
        self.procs.clear()
        self.app.close()


@pytest.fixture
def workers(settings: DistributedSettings, tmp_path: Path) -> Iterator[Workers]:
    pool = Workers(settings, tmp_path)
    yield pool
    pool.stop_all()


@pytest.fixture
async def service(settings: DistributedSettings) -> AsyncIterator[JobService]:
    svc = create_service(settings, default_catalog())
    await svc.start()
    yield svc
    await svc.stop()
    svc.close()


def image_bytes(side: int = 48) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (side, side), (200, 120, 40)).save(buf, "PNG")
    return buf.getvalue()


async def submit(svc: JobService, user: str, params: StyleParams = TINY) -> Job:
    request = JobRequest(Owner("test", user), image_bytes(), "van-gogh", params=params)
    job, _ = await svc.submit(request)
    return job


async def all_events(svc: JobService, job_id: str, timeout: float = 120.0) -> list[Event]:
    async def collect() -> list[Event]:
        return [event async for event in svc.events(job_id, after="0")]

    return await asyncio.wait_for(collect(), timeout)


async def wait_ended(svc: JobService, job_ids: list[str], timeout: float = 150.0) -> list[Job]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = [await svc.get(job_id) for job_id in job_ids]
        if all(job.ended for job in jobs):
            return jobs
        await asyncio.sleep(0.2)
    raise AssertionError("jobs did not end in time")
