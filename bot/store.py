"""What the bot remembers across restarts, in one SQLite file under DATA_DIR.

* user preferences (/settings);
* recent results' orders (`bot.models.Order`, as JSON), so the re-run buttons under a
  picture still work after a restart, and after the job service has forgotten the job;
* drafts (a photo waiting for its style), so a menu still works after a restart;
* each person's language (/language), a painting picked through a link, and the ids of
  their jobs, so that /forget can delete everything.

Jobs themselves live in the job service (jobs/), not here.

sqlite3 is blocking, so the async methods run each query in a thread (`asyncio.to_thread`);
one connection guarded by a lock keeps that safe.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from bot.models import Order, Prefs
from engine import QUALITIES

log = logging.getLogger(__name__)

RESULT_TTL = 30 * 24 * 3600.0  # re-run buttons older than a month may stop working
PICK_TTL = 3600.0  # a painting picked through a link waits an hour for the photo
PRUNE_EVERY = 100  # results saved between two clean-ups

_SCHEMA = """
CREATE TABLE IF NOT EXISTS prefs (
    user_id INTEGER PRIMARY KEY,
    quality TEXT NOT NULL,
    strength REAL NOT NULL,
    preserve_colors INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS reruns (
    id TEXT PRIMARY KEY,                     -- the job service's id, the result's id
    user_id INTEGER NOT NULL,                -- for /forget
    created_at REAL NOT NULL,
    body TEXT NOT NULL                       -- the Order as JSON (file ids and choices)
);
CREATE INDEX IF NOT EXISTS reruns_created ON reruns (created_at);
CREATE TABLE IF NOT EXISTS languages (
    user_id INTEGER PRIMARY KEY,
    language TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS picks (
    user_id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,                      -- a painting chosen before the photo (a link)
    touched REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS user_jobs (
    id TEXT PRIMARY KEY,                     -- the job service's id
    user_id INTEGER NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS user_jobs_user ON user_jobs (user_id);
CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,                      -- the Draft as JSON (file ids and choices)
    touched REAL NOT NULL
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
        self._drop_old_results()
        self._saved = 0

    def _drop_old_results(self) -> None:
        """Versions before `reruns` kept results in columns of their own: their re-run buttons
        now say the photo is gone (as after RESULT_TTL), rather than carry a second format."""
        found = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'results'"
        ).fetchall()
        if found:
            (count,) = self._db.execute("SELECT COUNT(*) FROM results").fetchone()
            self._db.execute("DROP TABLE results")
            log.info("dropped %d results of an older version: their re-runs have expired", count)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # Synchronous on purpose (drafts are written between two steps of a handler); WAL with
    # synchronous=NORMAL keeps each write well under a millisecond and survives a crash.
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

    async def save_result(self, order: Order) -> None:
        """Remember what a finished job was made from (its id is the result id)."""
        row = (order.id, order.user_id, time.time(), order.to_json())
        await asyncio.to_thread(self._run, "INSERT OR REPLACE INTO reruns VALUES (?, ?, ?, ?)", row)
        self._saved += 1
        if self._saved % PRUNE_EVERY == 1:
            cutoff = time.time() - RESULT_TTL
            for table in ("reruns", "user_jobs"):
                await asyncio.to_thread(
                    self._run, f"DELETE FROM {table} WHERE created_at < ?", (cutoff,)
                )

    async def result(self, result_id: str) -> Order | None:
        """The order a result came from, as a template for a re-run; None if unknown."""
        rows = await asyncio.to_thread(
            self._run, "SELECT body FROM reruns WHERE id = ?", (result_id,)
        )
        if not rows:
            return None
        try:
            return Order.from_json(rows[0][0])
        except ValueError as exc:
            log.warning("result %s can't be read: %s", result_id, exc)
            return None

    # -- drafts (blocking: bot/drafts.py calls them from its own writer thread) --------------

    def put_draft(self, draft_id: str, body: str, touched: float) -> None:
        self._run("INSERT OR REPLACE INTO drafts VALUES (?, ?, ?)", (draft_id, body, touched))

    def delete_draft(self, draft_id: str) -> None:
        self._run("DELETE FROM drafts WHERE id = ?", (draft_id,))

    def drafts_since(self, since: float) -> list[str]:
        self._run("DELETE FROM drafts WHERE touched < ?", (since,))
        return [body for (body,) in self._run("SELECT body FROM drafts ORDER BY touched")]

    # -- language, a painting picked before the photo, the jobs of a person -----------------

    async def language(self, user_id: int) -> str | None:
        rows = await asyncio.to_thread(
            self._run, "SELECT language FROM languages WHERE user_id = ?", (user_id,)
        )
        return str(rows[0][0]) if rows else None

    async def save_language(self, user_id: int, language: str) -> None:
        await asyncio.to_thread(
            self._run, "INSERT OR REPLACE INTO languages VALUES (?, ?)", (user_id, language)
        )

    async def pick(self, user_id: int, slug: str | None) -> None:
        """Remember (or, with None, forget) the painting for the person's next photo."""
        if slug is None:
            await asyncio.to_thread(self._run, "DELETE FROM picks WHERE user_id = ?", (user_id,))
            return
        await asyncio.to_thread(
            self._run, "INSERT OR REPLACE INTO picks VALUES (?, ?, ?)",
            (user_id, slug, time.time()),
        )  # fmt: skip

    async def picked(self, user_id: int) -> str | None:
        rows = await asyncio.to_thread(
            self._run, "SELECT slug FROM picks WHERE user_id = ? AND touched >= ?",
            (user_id, time.time() - PICK_TTL),
        )  # fmt: skip
        return str(rows[0][0]) if rows else None

    async def add_job(self, user_id: int, job_id: str) -> None:
        await asyncio.to_thread(
            self._run, "INSERT OR REPLACE INTO user_jobs VALUES (?, ?, ?)",
            (job_id, user_id, time.time()),
        )  # fmt: skip

    async def jobs_of(self, user_id: int) -> list[str]:
        rows = await asyncio.to_thread(
            self._run, "SELECT id FROM user_jobs WHERE user_id = ? UNION "
            "SELECT id FROM reruns WHERE user_id = ?", (user_id, user_id),
        )  # fmt: skip
        return [str(job_id) for (job_id,) in rows]

    async def forget(self, user_id: int) -> None:
        """Delete everything kept about the person (drafts go through bot.drafts.Drafts)."""
        for table in ("prefs", "languages", "picks", "user_jobs", "reruns"):
            await asyncio.to_thread(self._run, f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
