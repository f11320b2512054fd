"""Requests still being put together: a content photo waiting for its style.

One draft per (chat, user), so two people in one group never mix. Each draft has a short id
that its keyboard carries; a button whose draft is gone (finished, cancelled, replaced or
expired) is an expired menu. Drafts are written to the bot's SQLite store, so a menu still
works after a restart: behind the handler's back, in a thread of their own and in order, so
that no handler waits for the disk (a write on the event loop stops every person's answer for
as long as SQLite takes, seconds when the disk is busy). The memory copy is the truth while
the bot runs; `close` waits for the writes still on their way.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from bot.models import Photo, new_id

log = logging.getLogger(__name__)

DRAFT_TTL = 3600.0  # an untouched menu expires after an hour
MAX_DRAFTS = 10_000

Key = tuple[int, int]  # (chat_id, user_id)


@dataclass
class Draft:
    chat_id: int
    user_id: int
    user_name: str
    content: Photo
    reply_to: int  # the content photo's message
    awaiting_photo: bool = False  # "use my own style photo" was pressed
    # Its request was refused (busy, queue full): the menu still works, but the next photo
    # starts a new request instead of silently becoming this one's style.
    held: bool = False
    menu_message_id: int | None = None
    id: str = field(default_factory=new_id)
    touched: float = field(default_factory=time.time)
    lang: str = "en"  # the owner's language (bot/i18n.py)

    @property
    def key(self) -> Key:
        return (self.chat_id, self.user_id)

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Draft:
        raw: dict[str, Any] = json.loads(text)
        raw["content"] = Photo(**raw["content"])
        return cls(**raw)


class DraftTable(Protocol):
    """Where drafts are kept across restarts (bot.store.Store)."""

    def put_draft(self, draft_id: str, body: str, touched: float) -> None: ...

    def delete_draft(self, draft_id: str) -> None: ...

    def drafts_since(self, since: float) -> list[str]: ...


class Drafts:
    def __init__(self, table: DraftTable | None = None, ttl: float = DRAFT_TTL) -> None:
        self.ttl = ttl
        self.table = table
        self._by_key: dict[Key, Draft] = {}
        self._by_id: dict[str, Draft] = {}
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="drafts")  # one: in order
        if table is not None:
            self._load(table)  # at start-up, before any handler runs

    def close(self) -> None:
        """Wait for the writes on their way (before the store closes)."""
        self._writer.shutdown(wait=True)

    def _write(self, what: str, draft_id: str, write: Callable[[], None]) -> None:
        def run() -> None:
            try:
                write()
            except Exception:  # the menu still works until a restart
                log.exception("draft %s could not be %s", draft_id, what)

        self._writer.submit(run)

    def _load(self, table: DraftTable) -> None:
        for body in table.drafts_since(time.time() - self.ttl):
            try:
                draft = Draft.from_json(body)
            except (ValueError, TypeError, KeyError):
                log.warning("dropping an unreadable draft record")
                continue
            self._by_key[draft.key] = draft
            self._by_id[draft.id] = draft

    def start(self, draft: Draft) -> Draft:
        """Make `draft` the user's current one in that chat (replacing any older one)."""
        self._prune()
        old = self._by_key.get(draft.key)
        if old is not None:
            self.drop(old)
        self._by_key[draft.key] = draft
        self._by_id[draft.id] = draft
        self.save(draft)
        return draft

    def save(self, draft: Draft) -> None:
        """Keep a change to a live draft (its menu, "awaiting a photo", ...)."""
        draft.touched = time.time()
        table = self.table
        if table is not None and self._by_id.get(draft.id) is draft:
            body, touched = draft.to_json(), draft.touched  # as it is now, not when written
            self._write("saved", draft.id, lambda: table.put_draft(draft.id, body, touched))

    def get(self, chat_id: int, user_id: int) -> Draft | None:
        draft = self._by_key.get((chat_id, user_id))
        if draft is None or self._expired(draft):
            return None
        draft.touched = time.time()
        return draft

    def by_id(self, draft_id: str) -> Draft | None:
        """The live draft with this id (the owner is checked by the caller)."""
        draft = self._by_id.get(draft_id)
        if draft is None or self._expired(draft):
            return None
        draft.touched = time.time()
        return draft

    def drop(self, draft: Draft) -> None:
        if self._by_key.get(draft.key) is draft:
            del self._by_key[draft.key]
            del self._by_id[draft.id]
            table = self.table
            if table is not None:
                self._write("deleted", draft.id, lambda: table.delete_draft(draft.id))

    def forget(self, user_id: int) -> None:
        """Drop every draft of this person, in every chat."""
        for draft in [d for d in self._by_key.values() if d.user_id == user_id]:
            self.drop(draft)

    def __len__(self) -> int:
        return len(self._by_key)

    def _expired(self, draft: Draft) -> bool:
        return time.time() - draft.touched > self.ttl

    def _prune(self) -> None:
        for draft in [d for d in self._by_key.values() if self._expired(d)]:
            self.drop(draft)
        while len(self._by_key) >= MAX_DRAFTS:  # oldest first
            self.drop(min(self._by_key.values(), key=lambda d: d.touched))
