"""Faults to inject, and what tests read: calls, messages, files; waiting for them."""

from __future__ import annotations

import asyncio
import copy
import json
import time
from collections.abc import Callable
from typing import Any

from tests.bot.fakeapi.base import Base
from tests.bot.fakeapi.records import (
    ApiCall,
    FileRecord,
    _Rule,
)


class Inspection(Base):
    # ---------------------------------------------------------------- fault injection

    def fail(
        self,
        method: str,
        *,
        status: int = 500,
        description: str = "Internal Server Error",
        retry_after: int | None = None,
        times: int | None = 1,
        chat_id: int | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (``None`` = until ``clear_faults``) fail.
        With ``retry_after`` the error is Telegram's flood-control 429."""
        parameters = None
        if retry_after is not None:
            status = 429
            description = f"Too Many Requests: retry after {retry_after}"
            parameters = {"retry_after": retry_after}
        with self._lock:
            self._rules.append(
                _Rule(
                    "fail",
                    method,
                    chat_id,
                    times,
                    status=status,
                    description=description,
                    parameters=parameters,
                )
            )

    def reset_connection(
        self, method: str, times: int | None = 1, *, chat_id: int | None = None
    ) -> None:
        """Close the socket without answering (the method is not executed)."""
        with self._lock:
            self._rules.append(_Rule("reset", method, chat_id, times))

    def delay(
        self, method: str, seconds: float, times: int | None = 1, *, chat_id: int | None = None
    ) -> None:
        """Sleep ``seconds`` before handling ``method`` (``"file"`` = file downloads)."""
        with self._lock:
            self._rules.append(_Rule("delay", method, chat_id, times, seconds=seconds))

    def delete_message(self, chat_id: int, message_id: int) -> None:
        """The user (or a group admin) deletes a message: editing it now fails with 400."""
        with self._lock:
            self._deleted.add((chat_id, message_id))

    def block_user(self, chat_id: int) -> None:
        """Every send/edit to ``chat_id`` fails with 403 "bot was blocked by the user"."""
        with self._lock:
            self._blocked.add(chat_id)

    def unblock_user(self, chat_id: int) -> None:
        with self._lock:
            self._blocked.discard(chat_id)

    def clear_faults(self) -> None:
        with self._lock:
            self._rules.clear()
            self._blocked.clear()

    def register_method(
        self, method: str, func: Callable[[dict[str, Any], dict[str, bytes]], Any]
    ) -> None:
        """Add/override a Bot API method: ``func(params, files)`` returns the ``result`` or
        raises :class:`ApiError`. It runs in a server thread."""
        self._custom[method.lower()] = (method, func)

    # ---------------------------------------------------------------- recording / inspection

    def calls_to(self, method: str, chat_id: Any = None) -> list[ApiCall]:
        with self._lock:
            return [
                c for c in self.calls
                if c.method.lower() == method.lower()
                and (chat_id is None or c.params.get("chat_id") == chat_id)
            ]  # fmt: skip

    def sent_messages(self, chat_id: int, *, include_deleted: bool = False) -> list[dict[str, Any]]:
        """Bot messages in ``chat_id`` in order, current state (after edits). Deleted messages
        are left out unless ``include_deleted``."""
        with self._lock:
            return [
                copy.deepcopy(self._messages[(chat_id, mid)])
                for mid in self._bot_mids.get(chat_id, [])
                if include_deleted or (chat_id, mid) not in self._deleted
            ]

    def history(self, chat_id: int) -> list[dict[str, Any]]:
        """All (user and bot) messages of a chat that are not deleted, in order."""
        with self._lock:
            return [
                copy.deepcopy(self._messages[(chat_id, mid)])
                for mid in self._order.get(chat_id, [])
                if (chat_id, mid) not in self._deleted
            ]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        """The stored message (current state; also for deleted ones). KeyError if unknown."""
        with self._lock:
            return copy.deepcopy(self._messages[(chat_id, message_id)])

    def is_deleted(self, chat_id: int, message_id: int) -> bool:
        with self._lock:
            return (chat_id, message_id) in self._deleted

    def file(self, file_id: str) -> FileRecord:
        with self._lock:
            return self._files[file_id]

    def file_bytes(self, file_id: str) -> bytes:
        return self.file(file_id).data

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(self._commands.get((self._scope_key(scope), language_code), []))

    def bot_text(self, kind: str, language_code: str = "") -> str:
        """What setMyDescription / setMyShortDescription / setMyName set (kind: description,
        short_description, name)."""
        with self._lock:
            return self._bot_texts.get((kind, language_code), "")

    @property
    def update_count(self) -> int:
        """Total number of updates ever pushed."""
        with self._lock:
            return self._update_count

    @property
    def polls_waiting(self) -> int:
        """getUpdates requests the server holds open, waiting for an update."""
        with self._lock:
            return self._polls_waiting

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot (getUpdates with a higher offset)."""
        with self._lock:
            return copy.deepcopy(self._updates)

    def dump_calls(self, last: int = 25) -> str:
        with self._lock:
            calls = [
                (i, c) for i, c in enumerate(self.calls)
                if not (c.method == "getUpdates" and c.ok and not c.result)
            ]  # fmt: skip
        lines = [f"  #{i} {c.summary()}" for i, c in calls[-last:]]
        return "recent calls (empty getUpdates omitted):\n" + ("\n".join(lines) or "  (none)")

    # ---------------------------------------------------------------- async waiting

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] = lambda call: True,
        *,
        timeout: float = 10.0,
        since: int = 0,
    ) -> ApiCall:
        """First call of ``method`` at index >= ``since`` in ``calls`` matching ``predicate``
        (a predicate raising an exception counts as no match)."""
        deadline = time.monotonic() + timeout
        idx, last_exc = since, None
        while True:
            while idx < len(self.calls):
                call = self.calls[idx]
                idx += 1
                if call.method.lower() != method.lower():
                    continue
                try:
                    if predicate(call):
                        return call
                except Exception as exc:
                    last_exc = exc
            if time.monotonic() >= deadline:
                extra = f"\n(predicate raised {last_exc!r})" if last_exc else ""
                raise AssertionError(
                    f"timed out after {timeout}s waiting for a matching {method} call "
                    f"(since #{since}){extra}\n{self.dump_calls()}"
                )
            await asyncio.sleep(0.02)

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        last_exc = None
        while True:
            try:
                if predicate():
                    return
            except Exception as exc:
                last_exc = exc
            if time.monotonic() >= deadline:
                extra = f"\n(predicate raised {last_exc!r})" if last_exc else ""
                raise AssertionError(
                    f"timed out after {timeout}s waiting for condition{extra}\n{self.dump_calls()}"
                )
            await asyncio.sleep(0.02)

    async def wait_for_message(
        self,
        chat_id: int,
        predicate: Callable[[dict[str, Any]], bool] = lambda msg: True,
        *,
        timeout: float = 10.0,
    ) -> dict[str, Any]:
        """First (current state of a) bot message in ``chat_id`` matching ``predicate``."""
        found: list[dict[str, Any]] = []

        def check() -> bool:
            for msg in self.sent_messages(chat_id):
                if predicate(msg):
                    found.append(msg)
                    return True
            return False

        await self.wait_until(check, timeout=timeout)
        return found[0]

    @staticmethod
    def _scope_key(scope: Any) -> str:
        if not scope or scope == {"type": "default"}:
            return "default"
        return json.dumps(scope, sort_keys=True) if isinstance(scope, dict) else str(scope)
