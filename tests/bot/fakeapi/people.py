"""The other updates a person makes: documents, stickers, clips, buttons, inline queries."""

from __future__ import annotations

import copy
import time
from typing import Any

from tests.bot.fakeapi.chats import Chats
from tests.bot.fakeapi.records import (
    UpdateDict,
)


class People(Chats):
    def send_document(
        self,
        chat_id: int,
        user_id: int,
        data: bytes,
        *,
        file_name: str = "photo.jpg",
        mime_type: str = "image/jpeg",
        caption: str | None = None,
        reply_to: int | None = None,
        declared_size: int | None = None,
        chat_type: str | None = None,
        media_group_id: str | None = None,
    ) -> UpdateDict:
        rec = self.add_file(
            data,
            declared_size=declared_size,
            mime_type=mime_type,
            file_name=file_name,
            folder="documents",
        )
        doc = {
            "file_name": file_name,
            "mime_type": mime_type,
            "file_id": rec.file_id,
            "file_unique_id": rec.file_unique_id,
            "file_size": rec.file_size,
        }
        content: dict[str, Any] = {"document": doc}
        if media_group_id:
            content["media_group_id"] = media_group_id
        self._add_caption(content, caption)
        return self._user_message(chat_id, user_id, content, reply_to=reply_to, chat_type=chat_type)

    def send_sticker(
        self,
        chat_id: int,
        user_id: int,
        data: bytes = b"RIFF\x00\x00\x00\x00WEBPVP8 ",
        *,
        reply_to: int | None = None,
        chat_type: str | None = None,
    ) -> UpdateDict:
        rec = self.add_file(data, mime_type="image/webp", folder="stickers")
        sticker = {
            "file_id": rec.file_id,
            "file_unique_id": rec.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "🙂",
            "set_name": "TestStickers",
            "file_size": rec.file_size,
        }
        return self._user_message(
            chat_id, user_id, {"sticker": sticker}, reply_to=reply_to, chat_type=chat_type
        )

    def send_video(
        self,
        chat_id: int,
        user_id: int,
        data: bytes = b"\x00\x00\x00\x18ftypmp42",
        *,
        caption: str | None = None,
        reply_to: int | None = None,
        chat_type: str | None = None,
        duration: int = 3,
        size: tuple[int, int] = (640, 360),
        declared_size: int | None = None,
    ) -> UpdateDict:
        rec = self.add_file(
            data, declared_size=declared_size, mime_type="video/mp4", folder="videos"
        )
        video = {
            "file_id": rec.file_id,
            "file_unique_id": rec.file_unique_id,
            "width": size[0],
            "height": size[1],
            "duration": duration,
            "mime_type": "video/mp4",
            "file_size": rec.file_size,
        }
        content: dict[str, Any] = {"video": video}
        self._add_caption(content, caption)
        return self._user_message(chat_id, user_id, content, reply_to=reply_to, chat_type=chat_type)

    def send_animation(
        self,
        chat_id: int,
        user_id: int,
        data: bytes,
        *,
        file_name: str = "loop.gif.mp4",
        caption: str | None = None,
        reply_to: int | None = None,
        chat_type: str | None = None,
        duration: int = 1,
        size: tuple[int, int] = (96, 64),
    ) -> UpdateDict:
        """A GIF as Telegram delivers it: a silent MP4 "animation", with the same file as
        the message's document (as the Bot API does, for older clients)."""
        rec = self.add_file(data, mime_type="video/mp4", file_name=file_name, folder="animations")
        doc = {
            "file_id": rec.file_id,
            "file_unique_id": rec.file_unique_id,
            "file_name": file_name,
            "mime_type": "video/mp4",
            "file_size": rec.file_size,
        }
        animation = {**doc, "width": size[0], "height": size[1], "duration": duration}
        content: dict[str, Any] = {"animation": animation, "document": doc}
        self._add_caption(content, caption)
        return self._user_message(chat_id, user_id, content, reply_to=reply_to, chat_type=chat_type)

    def send_video_note(
        self,
        chat_id: int,
        user_id: int,
        data: bytes,
        *,
        reply_to: int | None = None,
        chat_type: str | None = None,
        duration: int = 1,
        length: int = 64,
    ) -> UpdateDict:
        """A round video message (square MP4, `length` px a side); never has a caption."""
        rec = self.add_file(data, mime_type="video/mp4", folder="video_notes")
        note = {
            "file_id": rec.file_id,
            "file_unique_id": rec.file_unique_id,
            "length": length,
            "duration": duration,
            "file_size": rec.file_size,
        }
        return self._user_message(
            chat_id, user_id, {"video_note": note}, reply_to=reply_to, chat_type=chat_type
        )

    def press_button(self, chat_id: int, user_id: int, message_id: int, data: str) -> UpdateDict:
        """A user presses an inline button with callback ``data`` under message ``message_id``
        (KeyError if that message does not exist)."""
        user = self._get_user(user_id)
        with self._lock:
            key = (chat_id, message_id)
            if key not in self._messages:
                raise KeyError(f"press_button: no message {message_id} in chat {chat_id}")
            cq_id = f"{self.bot_id % 100000}{next(self._cq_counter):012d}"
            self._callback_queries[cq_id] = False
            cq = {
                "id": cq_id,
                "from": user,
                "message": copy.deepcopy(self._messages[key]),
                "chat_instance": str(abs(hash(("chat", chat_id))) % 10**18),
                "data": data,
            }
            return self.push_update({"callback_query": cq})

    def send_inline_query(self, user_id: int, query: str, *, offset: str = "") -> UpdateDict:
        """A user types ``@bot <query>`` in some chat."""
        user = self._get_user(user_id)
        with self._lock:
            iq_id = f"{self.bot_id % 100000}{next(self._cq_counter):012d}"
            self._inline_queries[iq_id] = False
            iq = {"id": iq_id, "from": user, "query": query, "offset": offset}
            return self.push_update({"inline_query": iq})

    def post_inline_result(
        self, chat_id: int, user_id: int, query_id: str, result_id: str
    ) -> dict[str, Any]:
        """The user picks result ``result_id`` of the answer to ``query_id``: Telegram posts it
        in ``chat_id`` as the user's message "via" the bot (no update reaches the bot)."""
        with self._lock:
            results = self.inline_answers[query_id]
            result = next(r for r in results if r["id"] == result_id)
            content: dict[str, Any] = {"via_bot": self.bot_user}
            if result["type"] == "photo":
                photo = self._register_photo_set([(b"", 1, 1)])  # the URL, not fetched here
                content.update(photo=photo, caption=result.get("caption", ""))
            else:
                content["text"] = result["input_message_content"]["message_text"]
            if result.get("reply_markup"):
                content["reply_markup"] = copy.deepcopy(result["reply_markup"])
            msg: dict[str, Any] = {
                "message_id": self._next_message_id(chat_id),
                "from": self._get_user(user_id),
                "chat": self._chat(chat_id),
                "date": int(time.time()),
                **content,
            }
            self._store(msg, from_bot=False)
            return copy.deepcopy(msg)
