"""Requests still being put together: a content photo waiting for its style.

One draft per (chat, user), so two people in one group never mix. Each draft has a short id
that its keyboard carries; a button whose draft is gone (finished, cancelled, replaced,
expired, or the bot restarted) is an expired menu. Drafts live in memory only: losing them
costs a user one re-sent photo.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bot.models import Photo, new_id

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
    touched: float = field(default_factory=time.monotonic)

    @property
    def key(self) -> Key:
        return (self.chat_id, self.user_id)


class Drafts:
    def __init__(self, ttl: float = DRAFT_TTL) -> None:
        self.ttl = ttl
        self._by_key: dict[Key, Draft] = {}
        self._by_id: dict[str, Draft] = {}

    def start(self, draft: Draft) -> Draft:
        """Make `draft` the user's current one in that chat (replacing any older one)."""
        self._prune()
        old = self._by_key.get(draft.key)
        if old is not None:
            self.drop(old)
        self._by_key[draft.key] = draft
        self._by_id[draft.id] = draft
        return draft

    def get(self, chat_id: int, user_id: int) -> Draft | None:
        draft = self._by_key.get((chat_id, user_id))
        if draft is None or self._expired(draft):
            return None
        draft.touched = time.monotonic()
        return draft

    def by_id(self, draft_id: str) -> Draft | None:
        """The live draft with this id (the owner is checked by the caller)."""
        draft = self._by_id.get(draft_id)
        if draft is None or self._expired(draft):
            return None
        draft.touched = time.monotonic()
        return draft

    def drop(self, draft: Draft) -> None:
        if self._by_key.get(draft.key) is draft:
            del self._by_key[draft.key]
            del self._by_id[draft.id]

    def __len__(self) -> int:
        return len(self._by_key)

    def _expired(self, draft: Draft) -> bool:
        return time.monotonic() - draft.touched > self.ttl

    def _prune(self) -> None:
        for draft in [d for d in self._by_key.values() if self._expired(d)]:
            self.drop(draft)
        while len(self._by_key) >= MAX_DRAFTS:  # oldest first
            self.drop(min(self._by_key.values(), key=lambda d: d.touched))
