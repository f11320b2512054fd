"""Resident memory of the client processes in distributed mode, right after start-up.

    python -m bench.client_memory

Starts a redis-server and, against it, `python -m api` and `python -m bot` (the bot talks to
the fake Bot API of the tests), waits until each is up, then prints its resident set size and
whether the engine's native libraries (libtorch, onnxruntime) are mapped into it. Neither
client paints in this mode, so neither should load them. Last line:
`clients: api N MB, bot M MB, engine libraries loaded: no`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.workers import ROOT, start_redis
from tests.helpers import free_port

ENGINE_LIBRARIES = ("libtorch", "onnxruntime")
BUDGET_MB = 250


def resident_mb(pid: int) -> float:
    """VmRSS from /proc, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def engine_libraries(pid: int) -> list[str]:
    """The engine's native libraries mapped into a running process (from /proc/PID/maps)."""
    found = set()
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        name = Path(line.split()[-1]).name if line.count(" ") >= 5 else ""
        if name.startswith(ENGINE_LIBRARIES) or "onnxruntime_pybind" in name:
            found.add(name)
    return sorted(found)


def client_env(broker_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    drop = ("BROKER", "REDIS", "TELEGRAM", "API_", "DATA_DIR", "EMBEDDED")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(BROKER_URL=broker_url, DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT), **extra)
    return env


@contextmanager
def client(module: str, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m MODULE` running; stopped (and reaped) on exit."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", module], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_until(check: Callable[[], bool], proc: subprocess.Popen[bytes], what: str) -> None:
    """Poll `check` until it holds (generous: a slow machine is slow, not broken)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what}: the process ended with status {proc.returncode}")
        if check():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what}: not up after 120 s")


def http_ok(url: str) -> Callable[[], bool]:
    def check() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return bool(answer.status == 200)
        except OSError:
            return False

    return check


def measure_api(broker_url: str, folder: Path) -> tuple[float, list[str]]:
    port = free_port()
    env = client_env(broker_url, folder / "api", API_PORT=str(port))
    with client("api", env, folder / "api.log") as proc:
        wait_until(http_ok(f"http://127.0.0.1:{port}/readyz"), proc, "python -m api")
        return resident_mb(proc.pid), engine_libraries(proc.pid)


def measure_bot(broker_url: str, folder: Path) -> tuple[float, list[str]]:
    from tests.bot.fakeapi import FakeTelegram  # the bot needs a Bot API to start against

    with FakeTelegram() as tg:
        env = client_env(
            broker_url, folder / "bot", TELEGRAM_BOT_TOKEN=tg.token,
            TELEGRAM_API_BASE_URL=tg.base_url, TELEGRAM_FILE_BASE_URL=tg.file_base_url,
        )  # fmt: skip
        with client("bot", env, folder / "bot.log") as proc:
            wait_until(lambda: any(c.method == "setMyCommands" for c in tg.calls), proc, "bot")
            return resident_mb(proc.pid), engine_libraries(proc.pid)


def report(module: str, resident: float, libraries: list[str]) -> None:
    names = ", ".join(libraries) or "none"
    print(f"python -m {module}: {resident:.0f} MB resident; engine libraries: {names}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        redis, url = start_redis(folder)
        try:
            api_mb, api_libs = measure_api(url, folder)
            report("api", api_mb, api_libs)
            bot_mb, bot_libs = measure_bot(url, folder)
            report("bot", bot_mb, bot_libs)
        finally:
            redis.terminate()
            redis.wait(30)
    loaded = "yes" if api_libs or bot_libs else "no"
    print(f"budget {BUDGET_MB} MB each: api {'within' if api_mb < BUDGET_MB else 'OVER'}, "
          f"bot {'within' if bot_mb < BUDGET_MB else 'OVER'}")  # fmt: skip
    print(f"clients: api {api_mb:.0f} MB, bot {bot_mb:.0f} MB, engine libraries loaded: {loaded}")


if __name__ == "__main__":
    main()
