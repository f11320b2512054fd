"""What the bot remembers across restarts, in one SQLite file under DATA_DIR.

* user preferences (/settings);
* recent results, so the re-run buttons under a picture still work after a restart;
* the job queue (`JobJournal`): queued and running jobs survive a restart or a crash.

sqlite3 is blocking, so the async methods run each query in a thread (`asyncio.to_thread`);
one connection guarded by a lock keeps that safe.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.models import Job, Photo, Prefs, StoredJob, Style, job_from_json, job_to_json
from engine import QUALITIES

log = logging.getLogger(__name__)

RESULT_TTL = 30 * 24 * 3600.0  # re-run buttons older than a month may stop working
PRUNE_EVERY = 100  # results saved between two clean-ups

_SCHEMA = """
CREATE TABLE IF NOT EXISTS prefs (
    user_id INTEGER PRIMARY KEY,
    quality TEXT NOT NULL,
    strength REAL NOT NULL,
    preserve_colors INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS results (
    id TEXT PRIMARY KEY,
    chat_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    user_name TEXT NOT NULL,
    reply_to INTEGER NOT NULL,
    content_file_id TEXT NOT NULL,
    content_as_document INTEGER NOT NULL,
    style_slug TEXT,
    style_file_id TEXT,
    quality TEXT NOT NULL,
    strength REAL NOT NULL,
    preserve_colors INTEGER NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS results_created ON results (created_at);
CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- queue order
    id TEXT UNIQUE NOT NULL,
    body TEXT NOT NULL,                      -- the Job as JSON (file ids and choices)
    attempts INTEGER NOT NULL DEFAULT 0,     -- runs started and not interrupted by us
    running INTEGER NOT NULL DEFAULT 0       -- 1 while a run is under way
);
"""


class Store:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._saved = 0
        self.jobs = JobJournal(self._run)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # Synchronous on purpose (see JobJournal); WAL with synchronous=NORMAL keeps each write
    # to well under a millisecond while still surviving a crash of the process.
    def _run(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # -- preferences ------------------------------------------------------------------------

    async def prefs(self, user_id: int, default: Prefs) -> Prefs:
        rows = await asyncio.to_thread(
            self._run,
            "SELECT quality, strength, preserve_colors FROM prefs WHERE user_id = ?",
            (user_id,),
        )
        if not rows:
            return default
        quality, strength, preserve = rows[0]
        if quality not in QUALITIES:  # written by a newer version, say
            quality = default.quality
        return Prefs(quality=quality, strength=float(strength), preserve_colors=bool(preserve))

    async def save_prefs(self, user_id: int, prefs: Prefs) -> None:
        await asyncio.to_thread(
            self._run,
            "INSERT OR REPLACE INTO prefs VALUES (?, ?, ?, ?)",
            (user_id, prefs.quality, prefs.strength, int(prefs.preserve_colors)),
        )

    # -- results ----------------------------------------------------------------------------

    async def save_result(self, job: Job) -> None:
        """Remember what a finished job was made from (its id is the result id)."""
        style = job.style
        row = (
            job.id, job.chat_id, job.user_id, job.user_name, job.reply_to,
            job.content.file_id, int(job.content.as_document),
            style.slug, style.photo.file_id if style.photo else None,
            job.prefs.quality, job.prefs.strength, int(job.prefs.preserve_colors), time.time(),
        )  # fmt: skip
        await asyncio.to_thread(
            self._run, f"INSERT OR REPLACE INTO results VALUES ({', '.join('?' * len(row))})", row
        )
        self._saved += 1
        if self._saved % PRUNE_EVERY == 1:
            cutoff = time.time() - RESULT_TTL
            await asyncio.to_thread(
                self._run, "DELETE FROM results WHERE created_at < ?", (cutoff,)
            )

    async def result(self, result_id: str) -> Job | None:
        """The job a result came from, as a template for a re-run; None if unknown."""
        rows = await asyncio.to_thread(
            self._run,
            "SELECT chat_id, user_id, user_name, reply_to, content_file_id, content_as_document,"
            " style_slug, style_file_id, quality, strength, preserve_colors, created_at"
            " FROM results WHERE id = ?",
            (result_id,),
        )
        if not rows:
            return None
        chat, user, name, reply_to, content, as_doc, slug, style_file, q, s, pc, created = rows[0]
        style = Style(slug=slug) if slug else Style(photo=Photo(style_file))
        return Job(
            chat_id=chat, user_id=user, user_name=name, reply_to=reply_to,
            content=Photo(content, as_document=bool(as_doc)), style=style,
            prefs=Prefs(quality=q if q in QUALITIES else "balanced", strength=s,
                        preserve_colors=bool(pc)),
            id=result_id, created_at=created,
        )  # fmt: skip


Query = Callable[..., list[tuple[Any, ...]]]


class JobJournal:
    """The queue's durable copy: every accepted job until it has ended one way or another.

    The methods are synchronous: the queue calls them from the event loop between two of its
    own steps, so the journal and the queue can never disagree about order. Each is one small
    indexed write.
    """

    def __init__(self, run: Query) -> None:
        self._run = run

    def add(self, job: Job) -> None:
        body = job_to_json(job)
        self._run("INSERT OR REPLACE INTO jobs (id, body) VALUES (?, ?)", (job.id, body))

    def started(self, job_id: str) -> int:
        """Mark a run as under way; returns the attempt number (1 for the first run)."""
        self._run("UPDATE jobs SET attempts = attempts + 1, running = 1 WHERE id = ?", (job_id,))
        rows = self._run("SELECT attempts FROM jobs WHERE id = ?", (job_id,))
        return int(rows[0][0]) if rows else 1

    def stopped(self, job_id: str, *, counts: bool) -> None:
        """The run ended without finishing the job; it stays queued for another run.

        `counts=False` (we interrupted it, e.g. to restart) gives the attempt back."""
        back = 0 if counts else 1
        self._run(
            "UPDATE jobs SET attempts = MAX(0, attempts - ?), running = 0 WHERE id = ?",
            (back, job_id),
        )

    def remove(self, job_id: str) -> None:
        self._run("DELETE FROM jobs WHERE id = ?", (job_id,))

    def pending(self) -> list[StoredJob]:
        """Every job not yet ended, in queue order."""
        rows = self._run("SELECT id, body, attempts, running FROM jobs ORDER BY seq")
        found = []
        for job_id, body, attempts, running in rows:
            try:
                found.append(StoredJob(job_from_json(body), attempts, bool(running)))
            except ValueError:  # nothing to run and nobody to tell: drop it, loudly
                log.error("dropping unreadable job record %s: %r", job_id, body[:200])
                self.remove(job_id)
        return found
