"""What the bot remembers across restarts, in one SQLite file under DATA_DIR.

* user preferences (/settings);
* recent results, so the re-run buttons under a picture still work after a restart;
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

from bot.models import Job, Photo, Prefs, Style
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
    created_at REAL NOT NULL,
    content_clip INTEGER NOT NULL DEFAULT 0  -- a clip (bot/clips.py); added last, see _migrate
);
CREATE INDEX IF NOT EXISTS results_created ON results (created_at);
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
        self._migrate()
        self._saved = 0

    def _migrate(self) -> None:
        """Columns added since a table was first made (SQLite adds them at the end)."""
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(results)")}
        if "content_clip" not in columns:
            self._db.execute(
                "ALTER TABLE results ADD COLUMN content_clip INTEGER NOT NULL DEFAULT 0"
            )

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

    async def save_result(self, job: Job) -> None:
        """Remember what a finished job was made from (its id is the result id)."""
        style = job.style
        row = (
            job.id, job.chat_id, job.user_id, job.user_name, job.reply_to,
            job.content.file_id, int(job.content.as_document),
            style.slug, style.photo.file_id if style.photo else None,
            job.prefs.quality, job.prefs.strength, int(job.prefs.preserve_colors), time.time(),
            int(job.content.clip),
        )  # fmt: skip
        await asyncio.to_thread(
            self._run, f"INSERT OR REPLACE INTO results VALUES ({', '.join('?' * len(row))})", row
        )
        self._saved += 1
        if self._saved % PRUNE_EVERY == 1:
            cutoff = time.time() - RESULT_TTL
            for table in ("results", "user_jobs"):
                await asyncio.to_thread(
                    self._run, f"DELETE FROM {table} WHERE created_at < ?", (cutoff,)
                )

    async def result(self, result_id: str) -> Job | None:
        """The job a result came from, as a template for a re-run; None if unknown."""
        rows = await asyncio.to_thread(
            self._run,
            "SELECT chat_id, user_id, user_name, reply_to, content_file_id, content_as_document,"
            " style_slug, style_file_id, quality, strength, preserve_colors, created_at,"
            " content_clip FROM results WHERE id = ?",
            (result_id,),
        )
        if not rows:
            return None
        chat, user, name, reply_to, content, as_doc, slug, style_file, q, s, pc, created, clip = (
            rows[0]
        )
        style = Style(slug=slug, photo=Photo(style_file) if style_file else None)
        return Job(
            chat_id=chat, user_id=user, user_name=name, reply_to=reply_to,
            content=Photo(content, as_document=bool(as_doc), clip=bool(clip)), style=style,
            prefs=Prefs(quality=q if q in QUALITIES else "balanced", strength=s,
                        preserve_colors=bool(pc)),
            id=result_id, created_at=created,
        )  # fmt: skip

    # -- drafts (synchronous: bot/drafts.py calls them between two of its own steps) --------

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
            "SELECT id FROM results WHERE user_id = ?", (user_id, user_id),
        )  # fmt: skip
        return [str(job_id) for (job_id,) in rows]

    async def forget(self, user_id: int) -> None:
        """Delete everything kept about the person (drafts go through bot.drafts.Drafts)."""
        for table in ("prefs", "languages", "picks", "user_jobs", "results"):
            await asyncio.to_thread(self._run, f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
