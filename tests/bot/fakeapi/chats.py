"""Users, chats and messages as the fake keeps them; files; a user's text or photo."""

from __future__ import annotations

import base64
import copy
import hashlib
import mimetypes
import time
from typing import Any

from tests.bot.fakeapi.inspection import Inspection
from tests.bot.fakeapi.records import (
    FileRecord,
    UpdateDict,
    _bot_commands,
)
from tests.bot.fakeapi.wire import (
    _photo_sizes,
    _sniff_mime,
)


class Chats(Inspection):
    # ---------------------------------------------------------------- files

    def add_file(
        self,
        data: bytes,
        *,
        file_path: str | None = None,
        declared_size: int | None = None,
        mime_type: str | None = None,
        file_name: str | None = None,
        folder: str = "documents",
        width: int | None = None,
        height: int | None = None,
        file_unique_id: str | None = None,
    ) -> FileRecord:
        """Register bytes as a downloadable file. ``declared_size`` fakes ``file_size`` (e.g.
        25_000_000 to trigger "file is too big") without needing real bytes. The
        ``file_unique_id`` defaults to a hash of the content (same bytes -> same unique id)."""
        mime_type = mime_type or _sniff_mime(data)
        with self._lock:
            n = next(self._file_counter)
            if file_path is None:
                ext = ""
                if file_name and "." in file_name:
                    ext = file_name.rsplit(".", 1)[1].lower()
                elif mime_type:
                    ext = (mimetypes.guess_extension(mime_type) or ".bin").lstrip(".")
                    ext = "jpg" if ext in ("jpe", "jpeg") else ext
                file_path = f"{folder}/file_{n}.{ext or 'bin'}"
            kind = base64.urlsafe_b64encode(hashlib.sha1(file_path.encode()).digest()[:6])
            file_id = f"AgACAgIAAxkB{n:07d}{kind.decode().rstrip('=')}"
            unique = file_unique_id or "AQAD" + hashlib.sha1(data).hexdigest()[:14]
            rec = FileRecord(
                file_id=file_id,
                file_unique_id=unique,
                file_size=declared_size if declared_size is not None else len(data),
                file_path=file_path,
                data=bytes(data),
                mime_type=mime_type,
                file_name=file_name,
                width=width,
                height=height,
            )
            self._files[file_id] = rec
            self._files_by_path[file_path] = rec
            return rec

    def _register_photo_set(self, sizes: list[tuple[bytes, int, int]]) -> list[dict[str, Any]]:
        photo: list[dict[str, Any]] = []
        for i, (data, w, h) in enumerate(sizes):
            unique = "AQAD" + hashlib.sha1(data + f"{i}:{w}x{h}".encode()).hexdigest()[:14]
            rec = self.add_file(data, folder="photos", width=w, height=h, file_unique_id=unique)
            photo.append(
                {
                    "file_id": rec.file_id,
                    "file_unique_id": rec.file_unique_id,
                    "file_size": rec.file_size,
                    "width": w,
                    "height": h,
                }
            )
        for size in photo:
            self._photo_sets[size["file_id"]] = photo
        return copy.deepcopy(photo)

    # ---------------------------------------------------------------- test-side: users & updates

    def user(
        self,
        user_id: int,
        first_name: str = "Ann",
        username: str | None = None,
        language_code: str | None = "en",
    ) -> dict[str, Any]:
        """Build (and remember, for later messages of this user) a User object."""
        u: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            u["username"] = username
        if language_code:
            u["language_code"] = language_code
        with self._lock:
            self._users[user_id] = u
        return dict(u)

    def _get_user(self, user_id: int) -> dict[str, Any]:
        with self._lock:
            if user_id not in self._users:
                self.user(user_id)
            return copy.deepcopy(self._users[user_id])

    def push_update(self, update: dict[str, Any]) -> UpdateDict:
        """Queue an arbitrary Update (``update_id`` is assigned when missing)."""
        upd = copy.deepcopy(dict(update))
        with self._lock:
            if "update_id" not in upd:
                upd["update_id"] = self._next_update_id
            self._next_update_id = max(self._next_update_id, int(upd["update_id"]) + 1)
            self._updates.append(upd)
            self._update_count += 1
            self._updates_cond.notify_all()
            return UpdateDict(copy.deepcopy(upd))

    def _chat(
        self, chat_id: int, chat_type: str | None = None, user: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        with self._lock:
            chat = self._chats.get(chat_id)
            if chat is None or (chat_type and chat["type"] != chat_type):
                ctype = chat_type or (
                    "private" if chat_id > 0
                    else "supergroup" if chat_id <= -1_000_000_000_000 else "group"
                )  # fmt: skip
                chat = {"id": chat_id, "type": ctype}
                if ctype == "private":
                    src = user or self._users.get(chat_id) or {"first_name": "User"}
                    chat["first_name"] = src.get("first_name", "User")
                    for key in ("last_name", "username"):
                        if src.get(key):
                            chat[key] = src[key]
                else:
                    chat["title"] = f"Test {ctype} {chat_id}"
                self._chats[chat_id] = chat
            return copy.deepcopy(chat)

    def _next_message_id(self, chat_id: int) -> int:
        mid = self._next_mid.get(chat_id, 1)
        self._next_mid[chat_id] = mid + 1
        return mid

    def _store(self, msg: dict[str, Any], *, from_bot: bool) -> None:
        chat_id = msg["chat"]["id"]
        key = (chat_id, msg["message_id"])
        self._messages[key] = msg
        self._order.setdefault(chat_id, []).append(msg["message_id"])
        if from_bot:
            self._bot_mids.setdefault(chat_id, []).append(msg["message_id"])

    def _reply_copy(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        key = (chat_id, message_id)
        if key not in self._messages or key in self._deleted:
            return None
        reply = copy.deepcopy(self._messages[key])
        reply.pop("reply_to_message", None)
        return reply

    def _user_message(
        self,
        chat_id: int,
        user_id: int,
        content: dict[str, Any],
        *,
        reply_to: int | None = None,
        chat_type: str | None = None,
    ) -> UpdateDict:
        user = self._get_user(user_id)
        with self._lock:
            msg: dict[str, Any] = {
                "message_id": self._next_message_id(chat_id),
                "from": user,
                "chat": self._chat(chat_id, chat_type, user),
                "date": int(time.time()),
            }
            if reply_to is not None:
                reply = self._reply_copy(chat_id, reply_to)
                if reply is None:
                    raise KeyError(f"reply_to: no message {reply_to} in chat {chat_id}")
                msg["reply_to_message"] = reply
            msg.update(content)
            self._store(msg, from_bot=False)
            return self.push_update({"message": copy.deepcopy(msg)})

    def send_text(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        reply_to: int | None = None,
        chat_type: str | None = None,
    ) -> UpdateDict:
        """A user sends ``text`` (bot_command entities are added like Telegram does)."""
        content: dict[str, Any] = {"text": text}
        ents = _bot_commands(text)
        if ents:
            content["entities"] = ents
        return self._user_message(chat_id, user_id, content, reply_to=reply_to, chat_type=chat_type)

    def send_photo(
        self,
        chat_id: int,
        user_id: int,
        data: bytes,
        *,
        caption: str | None = None,
        reply_to: int | None = None,
        chat_type: str | None = None,
        media_group_id: str | None = None,
    ) -> UpdateDict:
        """A user sends a photo: ``photo`` is 2-3 PhotoSizes, the last one the original bytes.
        Photos sent with the same ``media_group_id`` form an album."""
        sizes = _photo_sizes(data, min_entries=2)
        with self._lock:
            photo = self._register_photo_set(sizes)
        content: dict[str, Any] = {"photo": photo}
        if media_group_id:
            content["media_group_id"] = media_group_id
        self._add_caption(content, caption)
        return self._user_message(chat_id, user_id, content, reply_to=reply_to, chat_type=chat_type)

    @staticmethod
    def _add_caption(content: dict[str, Any], caption: str | None) -> None:
        if caption:
            content["caption"] = caption
            ents = _bot_commands(caption)
            if ents:
                content["caption_entities"] = ents
