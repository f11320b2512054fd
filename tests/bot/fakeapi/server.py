"""`FakeTelegram`: the Bot API methods the bot calls, on top of the rest of the fake."""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Callable
from typing import Any

from tests.bot.fakeapi.formatting import Formatting
from tests.bot.fakeapi.records import (
    _MEDIA_KINDS,
    MAX_DOWNLOAD_SIZE,
    MAX_TEXT_LENGTH,
    NOT_MODIFIED,
    QUERY_INVALID,
    ApiError,
    _u16,
)


def _text_accessors(kind: str) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """setMyName/getMyName style method pairs."""

    def setter(self: FakeTelegram, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        with self._lock:
            self._bot_texts[(kind, str(p.get("language_code") or ""))] = str(p.get(kind) or "")
        return True

    def getter(self: FakeTelegram, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        with self._lock:
            value = self._bot_texts.get((kind, str(p.get("language_code") or "")), "")
        return {kind: value or (self.bot_first_name if kind == "name" else "")}

    return setter, getter


class FakeTelegram(Formatting):
    """Fake Bot API server. See the package docstring."""

    # ---------------------------------------------------------------- Bot API: methods

    def _api_getMe(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _api_getUpdates(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        if self._webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(p.get("offset") or 0)
        limit = min(100, max(1, int(p.get("limit") or 100)))
        timeout = max(0.0, float(p.get("timeout") or 0))
        allowed = p.get("allowed_updates")
        deadline = time.monotonic() + timeout
        with self._updates_cond:
            if isinstance(allowed, list):
                self._allowed_updates = set(allowed) or None
            self._poll_generation += 1
            generation = self._poll_generation
            self._updates_cond.notify_all()  # terminates an older pending poll (409)
            if offset < 0:
                self._updates = self._updates[offset:]
            elif offset > 0:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while True:
                if self._stopping:
                    return []
                if generation != self._poll_generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make "
                        "sure that only one bot instance is running",
                    )
                ready = [
                    u for u in self._updates
                    if u["update_id"] >= offset
                    and (self._allowed_updates is None
                         or any(k in self._allowed_updates for k in u if k != "update_id"))
                ][:limit]  # fmt: skip
                if ready:
                    return copy.deepcopy(ready)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._polls_waiting += 1
                try:
                    self._updates_cond.wait(remaining)
                finally:
                    self._polls_waiting -= 1

    def _api_deleteWebhook(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        with self._lock:
            self._webhook_url = ""
            if p.get("drop_pending_updates") is True:
                self._updates.clear()
        return True

    def _api_setWebhook(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        url = str(p.get("url") or "")
        if url and not url.startswith("https://"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        with self._lock:
            self._webhook_url = url
            if p.get("drop_pending_updates") is True:
                self._updates.clear()
            self._updates_cond.notify_all()
        return True

    def _api_getWebhookInfo(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        with self._lock:
            return {
                "url": self._webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }

    def _api_setMyCommands(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        commands = p.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        for cmd in commands:
            if not isinstance(cmd, dict) or not re.fullmatch(
                r"[a-z0-9_]{1,32}", str(cmd.get("command", ""))
            ):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", "")).strip()) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        with self._lock:
            key = (self._scope_key(p.get("scope")), str(p.get("language_code") or ""))
            self._commands[key] = copy.deepcopy(commands)
        return True

    _api_setMyDescription, _api_getMyDescription = _text_accessors("description")
    _api_setMyShortDescription, _api_getMyShortDescription = _text_accessors("short_description")

    def _api_sendMessage(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        chat_id = self._chat_id(p)
        text, ents = self._format(p.get("text"), p.get("parse_mode"), p.get("entities"), "text")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        if _u16(text) > MAX_TEXT_LENGTH:
            raise ApiError(400, "Bad Request: message is too long")
        markup = self._inline_markup(p.get("reply_markup"))
        with self._lock:
            msg = self._bot_message(chat_id, p)
            self._set_text(msg, "text", text, ents)
            if isinstance(p.get("link_preview_options"), dict):
                msg["link_preview_options"] = p["link_preview_options"]
            return self._finish_bot_message(msg, p, markup)

    def _api_sendPhoto(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        return self._send_media("photo", p, f)

    def _api_sendDocument(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        return self._send_media("document", p, f)

    def _api_sendVideo(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        return self._send_media("video", p, f)

    def _api_sendAnimation(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        return self._send_media("animation", p, f)

    def _api_getFile(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        file_id = p.get("file_id")
        with self._lock:
            rec = self._files.get(str(file_id)) if file_id else None
        if rec is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if rec.file_size > MAX_DOWNLOAD_SIZE:
            raise ApiError(400, "Bad Request: file is too big")
        return rec.to_api()

    def _api_editMessageText(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        if p.get("inline_message_id"):
            return True
        text, ents = self._format(p.get("text"), p.get("parse_mode"), p.get("entities"), "text")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        if _u16(text) > MAX_TEXT_LENGTH:
            raise ApiError(400, "Bad Request: message is too long")
        markup = self._inline_markup(p.get("reply_markup"))
        with self._lock:
            msg = self._target(p)
            if "text" not in msg:
                raise ApiError(400, "Bad Request: there is no text in the message to edit")
            if (msg["text"], msg.get("entities", []), msg.get("reply_markup")) == (
                text,
                ents,
                markup,
            ):
                raise ApiError(400, NOT_MODIFIED)
            self._set_text(msg, "text", text, ents)
            return self._apply_markup_and_date(msg, markup)

    def _api_editMessageMedia(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        if p.get("inline_message_id"):
            return True
        item = p.get("media")
        if not isinstance(item, dict) or item.get("type") not in _MEDIA_KINDS:
            raise ApiError(400, "Bad Request: can't parse InputMedia JSON object")
        kind = item["type"]
        data, filename, ref = self._input_file(item.get("media"), f, "media", direct=False)
        caption, ents = self._caption(item)
        markup = self._inline_markup(p.get("reply_markup"))
        obj = self._media_object(kind, data, filename, ref, item)
        with self._lock:
            msg = self._target(p)
            if not any(k in msg for k in _MEDIA_KINDS):
                raise ApiError(400, "Bad Request: there is no media in the message to edit")
            for old in _MEDIA_KINDS:
                msg.pop(old, None)
            msg[kind] = obj
            self._set_text(msg, "caption", caption, ents)
            return self._apply_markup_and_date(msg, markup)

    def _api_answerInlineQuery(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        iq_id = str(p.get("inline_query_id") or "")
        results = p.get("results")
        if not isinstance(results, list) or len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [r.get("id") for r in results if isinstance(r, dict)]
        if len(ids) != len(results) or len(set(ids)) != len(ids):
            raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
        for result in results:
            self._inline_markup(result.get("reply_markup"))
            if not 1 <= len(str(result["id"]).encode()) <= 64:
                raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        with self._lock:
            if self._inline_queries.get(iq_id, True):
                raise ApiError(400, QUERY_INVALID)
            self._inline_queries[iq_id] = True
            self.inline_answers[iq_id] = copy.deepcopy(results)
        return True

    def _api_editMessageReplyMarkup(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        if p.get("inline_message_id"):
            return True
        markup = self._inline_markup(p.get("reply_markup"))
        with self._lock:
            msg = self._target(p)
            if msg.get("reply_markup") == markup:
                raise ApiError(400, NOT_MODIFIED)
            return self._apply_markup_and_date(msg, markup)

    @staticmethod
    def _apply_markup_and_date(msg: dict[str, Any], markup: dict[str, Any] | None) -> Any:
        if markup:
            msg["reply_markup"] = markup
        else:
            msg.pop("reply_markup", None)
        msg["edit_date"] = int(time.time())
        return copy.deepcopy(msg)

    def _api_deleteMessage(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        with self._lock:
            msg = self._target(p, "delete")
            self._deleted.add((msg["chat"]["id"], msg["message_id"]))
        return True

    def _api_answerCallbackQuery(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        cq_id = str(p.get("callback_query_id") or "")
        with self._lock:
            if self._callback_queries.get(cq_id, True):
                raise ApiError(400, QUERY_INVALID)
            self._callback_queries[cq_id] = True
        if len(str(p.get("text") or "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True
