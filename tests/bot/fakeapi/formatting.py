"""What the Bot API methods share: ids, texts, keyboards, uploaded files, bot messages."""

from __future__ import annotations

import copy
import mimetypes
import re
import time
from typing import Any

from tests.bot.fakeapi.people import People
from tests.bot.fakeapi.records import (
    _MEDIA_FOLDERS,
    MAX_CAPTION_LENGTH,
    ApiError,
    FileRecord,
    _strip,
    _u16,
)
from tests.bot.fakeapi.wire import (
    _photo_sizes,
    _sniff_mime,
)


class Formatting(People):
    # ---------------------------------------------------------------- Bot API: helpers

    def _chat_id(self, p: dict[str, Any]) -> int:
        chat_id = p.get("chat_id")
        if chat_id is None or chat_id == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    def _format(
        self, value: Any, parse_mode: Any, entities: Any, what: str
    ) -> tuple[str, list[dict[str, Any]]]:
        text = "" if value is None else str(value)
        if parse_mode:  # the bot sends entities (bot/pictures.py); markup is not emulated
            raise ApiError(400, f"Bad Request: the fake does not parse {parse_mode} markup")
        return _strip(text, entities if isinstance(entities, list) else [])

    @staticmethod
    def _inline_markup(markup: Any) -> dict[str, Any] | None:
        if markup is None or markup == "":
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in markup:
            return None  # reply keyboards / remove / force_reply are not part of the Message
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise ApiError(
                400,
                "Bad Request: can't parse inline keyboard button: "
                "InlineKeyboardMarkup must be an Array of Arrays",
            )
        actions = (
            "url",
            "login_url",
            "switch_inline_query",
            "switch_inline_query_current_chat",
            "switch_inline_query_chosen_chat",
            "callback_game",
            "pay",
            "web_app",
            "copy_text",
        )
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not button.get("text"):
                    raise ApiError(
                        400,
                        "Bad Request: can't parse inline keyboard button: "
                        'Field "text" must be of type String',
                    )
                if "callback_data" in button:
                    data = button["callback_data"]
                    if not isinstance(data, str) or not 1 <= len(data.encode()) <= 64:
                        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                elif not any(k in button for k in actions):
                    raise ApiError(
                        400,
                        "Bad Request: can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard",
                    )
        return copy.deepcopy(markup)

    def _resolve_reply(self, chat_id: int, p: dict[str, Any]) -> dict[str, Any] | None:
        rp = p.get("reply_parameters")
        if isinstance(rp, dict) and rp.get("message_id") is not None:
            mid, allow = rp.get("message_id"), rp.get("allow_sending_without_reply")
            target = rp.get("chat_id", chat_id)
        elif p.get("reply_to_message_id"):
            mid, allow = p["reply_to_message_id"], p.get("allow_sending_without_reply")
            target = chat_id
        else:
            return None
        reply = None
        if isinstance(mid, int) and isinstance(target, int):
            reply = self._reply_copy(target, mid)
        if reply is None and not allow:
            raise ApiError(400, "Bad Request: message to be replied not found")
        return reply

    def _bot_message(self, chat_id: int, p: dict[str, Any]) -> dict[str, Any]:
        """A new (not yet stored) bot message skeleton; call with the lock held."""
        reply = self._resolve_reply(chat_id, p)
        msg: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "from": self.bot_user,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
        }
        if reply is not None:
            msg["reply_to_message"] = reply
        return msg

    def _finish_bot_message(
        self, msg: dict[str, Any], p: dict[str, Any], markup: dict[str, Any] | None
    ) -> dict[str, Any]:
        if markup:
            msg["reply_markup"] = markup
        if p.get("has_spoiler") is True:
            msg["has_media_spoiler"] = True
        if p.get("show_caption_above_media") is True:
            msg["show_caption_above_media"] = True
        self._store(msg, from_bot=True)
        return copy.deepcopy(msg)

    def _target(self, p: dict[str, Any], what: str = "edit") -> dict[str, Any]:
        """The stored message addressed by chat_id + message_id (lock held)."""
        chat_id = self._chat_id(p)
        mid = p.get("message_id")
        key = (chat_id, mid)
        if not isinstance(mid, int) or key not in self._messages or key in self._deleted:
            raise ApiError(400, f"Bad Request: message to {what} not found")
        msg = self._messages[key]
        if what == "edit" and msg.get("from", {}).get("id") != self.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        return msg

    def _caption(self, p: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        caption, ents = self._format(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), "caption"
        )
        if _u16(caption) > MAX_CAPTION_LENGTH:
            raise ApiError(400, "Bad Request: message caption is too long")
        return caption, ents

    @staticmethod
    def _set_text(msg: dict[str, Any], key: str, text: str, ents: list[dict[str, Any]]) -> None:
        ent_key = "entities" if key == "text" else "caption_entities"
        msg.pop(ent_key, None)
        if text or key == "text":
            msg[key] = text
        else:
            msg.pop(key, None)
        if ents:
            msg[ent_key] = ents

    def _input_file(
        self, value: Any, files: dict[str, bytes], key: str, *, direct: bool = True
    ) -> tuple[bytes | None, str | None, str | None]:
        """-> (uploaded bytes, filename, existing file_id/URL) for parameter ``key``."""
        names = getattr(self._tls, "names", None) or {}
        if direct and key in files:
            return files[key], names.get(key), None
        if isinstance(value, str) and value.startswith("attach://"):
            name = value[len("attach://") :]
            if name not in files:
                raise ApiError(400, f"Bad Request: file {name} not found in the request")
            return files[name], names.get(name), None
        if isinstance(value, str) and value:
            return None, None, value
        raise ApiError(400, f"Bad Request: there is no {key} in the request")

    def _media_object(
        self,
        kind: str,
        data: bytes | None,
        filename: str | None,
        ref: str | None,
        p: dict[str, Any],
    ) -> Any:
        """Build the Message field (PhotoSize list / Document / ...) for a sent file."""
        if data is None:  # an existing file_id or an HTTP URL
            assert ref is not None
            with self._lock:
                if kind == "photo" and ref in self._photo_sets:
                    return copy.deepcopy(self._photo_sets[ref])
                rec = self._files.get(ref)
            if rec is None:
                if not re.match(r"https?://", ref):
                    raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
                if kind == "photo":  # no internet here: the URL "contains" a 1x1 placeholder
                    with self._lock:
                        return self._register_photo_set([(b"", 1, 1)])
                rec = self.add_file(
                    b"", folder=_MEDIA_FOLDERS[kind], file_name=ref.rsplit("/", 1)[-1] or None
                )
                return self._media_dict(kind, rec, p)
            if kind != "photo":
                return self._media_dict(kind, rec, p)
            data, filename = rec.data, rec.file_name  # e.g. a document re-sent as a photo
        if not data:
            raise ApiError(400, "Bad Request: file must be non-empty")
        if kind == "photo":
            sizes = _photo_sizes(data)
            w, h = sizes[-1][1], sizes[-1][2]
            if (w, h) == (1, 1) and self.validate_photos:
                raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
            if w + h > 10000 or max(w, h) > 20 * min(w, h):
                raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
            if len(data) > 10 * 1024 * 1024:
                raise ApiError(400, "Bad Request: PHOTO_SAVE_FILE_INVALID")
            with self._lock:
                return self._register_photo_set(sizes)
        mime = mimetypes.guess_type(filename)[0] if filename else None
        mime = mime or _sniff_mime(data) or {
            "document": "application/octet-stream", "video": "video/mp4",
            "animation": "video/mp4", "audio": "audio/mpeg", "voice": "audio/ogg",
            "sticker": "image/webp",
        }[kind]  # fmt: skip
        rec = self.add_file(data, mime_type=mime, file_name=filename, folder=_MEDIA_FOLDERS[kind])
        return self._media_dict(kind, rec, p)

    @staticmethod
    def _media_dict(kind: str, rec: FileRecord, p: dict[str, Any]) -> dict[str, Any]:
        obj: dict[str, Any] = {
            "file_id": rec.file_id,
            "file_unique_id": rec.file_unique_id,
            "file_size": rec.file_size,
        }
        if kind in ("document", "video", "animation", "audio") and rec.file_name:
            obj["file_name"] = rec.file_name
        if kind != "sticker":
            obj["mime_type"] = rec.mime_type or "application/octet-stream"
        if kind in ("video", "animation"):
            obj.update(
                width=int(p.get("width") or 640),
                height=int(p.get("height") or 360),
                duration=int(p.get("duration") or 1),
            )
        if kind in ("audio", "voice"):
            obj["duration"] = int(p.get("duration") or 1)
        if kind == "sticker":
            obj.update(
                type="regular",
                width=512,
                height=512,
                is_animated=False,
                is_video=False,
                emoji=p.get("emoji") or "🙂",
            )
        return obj

    def _send_media(self, kind: str, p: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = self._chat_id(p)
        data, filename, ref = self._input_file(p.get(kind), files, kind)
        caption, ents = self._caption(p)
        markup = self._inline_markup(p.get("reply_markup"))
        media = self._media_object(kind, data, filename, ref, p)
        with self._lock:
            msg = self._bot_message(chat_id, p)
            msg[kind] = media
            if kind != "sticker":
                self._set_text(msg, "caption", caption, ents)
            return self._finish_bot_message(msg, p, markup)
