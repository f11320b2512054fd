"""The bot answers while its embedded worker paints.

Two causes of a stalled bot are ruled out here without measuring time: a handler that waits
for the engine (the engine is held on an Event while people talk to the bot), and a job that
imports libraries in the worker thread (an import holds the GIL, so the event loop sharing
the process stopped for as long as onnxruntime and onnx took to load). `python -m
bench.load_painting` prints how long the answers take with a real picture being painted.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot import texts
from bot.store import Store
from jobs.model import Job, JobResult
from jobs.runner import Emit, RunContext
from jobs.worker import RUNNERS
from tests.bot.conftest import ANN, BOB, StartBot, image_bytes, menu, nth_photo, photos, press, says
from tests.bot.fakeapi import FakeTelegram
from tests.helpers import ROOT


@dataclass
class Hold:
    """A picture job that waits for `release` before it paints."""

    started: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[Hold]:
    hold, paint = Hold(), RUNNERS["image"]

    def runner(job: Job, ctx: RunContext, emit: Emit, cancel: object) -> JobResult:
        hold.started.set()
        hold.release.wait()
        return paint(job, ctx, emit, cancel)  # type: ignore[arg-type]

    monkeypatch.setitem(RUNNERS, "image", runner)
    yield hold
    hold.release.set()  # before the bot stops: it waits for its running job


async def test_the_bot_answers_while_a_job_holds_the_worker(
    tg: FakeTelegram, start_bot: StartBot, held: Hold
) -> None:
    await start_bot()
    tg.send_photo(ANN, ANN, image_bytes(), caption="/stylize munch")
    await tg.wait_until(held.started.is_set)
    tg.send_text(BOB, BOB, "/help")
    await says(tg, BOB, "How it works")
    tg.send_photo(BOB, BOB, image_bytes())
    await menu(tg, BOB, texts.BTN_SUGGEST)  # the artist keyboard for a new photo
    tg.send_text(ANN, ANN, "/help")  # the person whose picture is being made, too
    await says(tg, ANN, "How it works")
    assert not held.release.is_set() and photos(tg, ANN) == []  # all while the job was held
    held.release.set()
    await nth_photo(tg, ANN)


async def test_no_handler_touches_the_database_on_the_event_loop(
    tg: FakeTelegram, start_bot: StartBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite on the loop stops every answer while it writes (seconds on a busy disk)."""
    await start_bot()
    loop_thread, on_loop = threading.current_thread(), []
    run = Store._run

    def watched(self: Store, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if threading.current_thread() is loop_thread:
            on_loop.append(sql)
        return run(self, sql, args)

    monkeypatch.setattr(Store, "_run", watched)
    tg.send_photo(ANN, ANN, image_bytes())
    press(tg, await menu(tg, ANN, "Claude Monet"), "Claude Monet")  # a draft, saved, dropped
    await nth_photo(tg, ANN)
    tg.send_photo(BOB, BOB, image_bytes())
    tg.send_text(BOB, BOB, "/cancel")
    await says(tg, BOB, texts.DRAFT_CANCELLED)
    assert on_loop == []


# A fresh interpreter: in this one, earlier tests have imported everything already.
FIRST_JOB = """
import asyncio, json, sys, tempfile, threading
from pathlib import Path

imported = []

class Recorder:
    def find_spec(self, name, path=None, target=None):
        if threading.current_thread().name.startswith("engine"):
            imported.append(name)
        return None

sys.meta_path.insert(0, Recorder())
from jobs import create_service
from styles.catalog import default_catalog
from tests.jobs.conftest import job_settings, request

async def main():
    with tempfile.TemporaryDirectory() as tmp:
        service = create_service(job_settings(Path(tmp)), default_catalog())
        await service.start()
        job, _ = await service.submit(request())
        events = [event.type async for event in service.events(job.id)]
        await service.stop()
        service.close()
    print(json.dumps({"end": events[-1], "imported": imported}))

asyncio.run(main())
"""


def test_the_first_job_imports_nothing_in_the_worker_thread() -> None:
    run = subprocess.run(
        [sys.executable, "-c", FIRST_JOB], cwd=ROOT, capture_output=True, text=True, check=True
    )
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    assert outcome == {"end": "done", "imported": []}
